// SVG → PNG with resvg (Rust, through its napi build): no hand-written rasteriser. Drawn at
// 1.5× so the text stays sharp in Slack's preview.
export async function svgToPng(svg: string, zoom = 1.5): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: '#ffffff',
  });
  return r.render().asPng();
}
