// The drill's outage as a chart: one lane per prober flow (pod to pod across racks) along the
// drill's time, each loss window a red bar sized by its length with the probes it lost, and
// the fault, every operator command, the passing check and the restore as marked lines. The
// data is the prober's loss windows and lab/drills/timeline.ts's entries, as `drill end`
// reports them; `drillChartPng` is what the end report attaches.
import { createRequire } from 'node:module';
import type { LossWindow } from '../drills/prober.js';
import type { TimelineEntry } from '../drills/timeline.js';
import { COLORS } from './formats.js';
import { FONT } from './svg.js';
import { fontOptions } from './png.js';

export interface ChartInput {
  title: string;
  flows: { flow: string; sent: number; answered: number }[];
  windows: LossWindow[];
  timeline: TimelineEntry[];
  /** The right edge when the drill is still running. */
  now?: string;
}

const x = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f1 = (n: number) => Math.round(n * 10) / 10;
const hhmmss = (ms: number) => new Date(ms).toISOString().slice(11, 19);

export function outageChartSvg(c: ChartInput): string {
  const times = [
    ...c.timeline.map((e) => Date.parse(e.at)),
    ...c.windows.flatMap((w) => [Date.parse(w.brokeAt), ...(w.backAt ? [Date.parse(w.backAt)] : [])]),
    ...(c.now ? [Date.parse(c.now)] : []),
  ].filter(Number.isFinite);
  const t0 = Math.min(...times) - 2000;
  const t1 = Math.max(t0 + 10_000, Math.max(...times) + 2000);
  const labelW = Math.min(320, Math.max(160, ...c.flows.map((f) => f.flow.length * 6.6 + 20)));
  const plotW = 760;
  const laneH = 34;
  const top = 60;
  const width = labelW + plotW + 40;
  const lanes = Math.max(1, c.flows.length);
  // The fault, the commands people ran, the passing check and the restore (notes and BGP events are the postmortem's).
  const marks = c.timeline.filter((e) => ['injected', 'action', 'command', 'resolved', 'restore'].includes(e.kind));
  const plotBottom = top + lanes * laneH;
  const height = plotBottom + 50 + marks.length * 16 + 20;
  const px = (t: number) => labelW + ((t - t0) / (t1 - t0)) * plotW;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    '<rect width="100%" height="100%" fill="#ffffff"/>',
    `<text x="20" y="28" font-size="16" font-weight="bold" fill="#111">${x(c.title)}</text>`,
    `<text x="20" y="46" font-size="11" fill="#555">probes lost per flow over time (red: no answer), UTC</text>`,
  ];
  // Time axis: a tick every "nice" step.
  const span = t1 - t0;
  const step = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600].map((s) => s * 1000).find((s) => span / s <= 8) ?? 1_200_000;
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    out.push(`<line x1="${f1(px(t))}" y1="${top}" x2="${f1(px(t))}" y2="${plotBottom}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${f1(px(t))}" y="${plotBottom + 14}" font-size="10" fill="#666" text-anchor="middle">${hhmmss(t)}</text>`);
  }
  out.push(`<text x="${labelW + plotW + 4}" y="${top - 7}" font-size="9" fill="#666">lost</text>`);
  c.flows.forEach((f, i) => {
    const y = top + i * laneH;
    out.push(`<rect x="${labelW}" y="${y + 6}" width="${plotW}" height="${laneH - 12}" fill="${i % 2 ? '#f7f8fa' : '#eef6ee'}"/>`);
    out.push(`<text x="${labelW - 8}" y="${y + laneH / 2 + 4}" font-size="11" fill="#333" text-anchor="end">${x(f.flow)}</text>`);
    out.push(`<text x="${labelW + plotW + 4}" y="${y + laneH / 2 + 4}" font-size="9" fill="#666">${f.sent - f.answered}</text>`);
    for (const w of c.windows.filter((w) => w.flow === f.flow)) {
      const a = px(Date.parse(w.brokeAt));
      const b = px(w.backAt ? Date.parse(w.backAt) : t1);
      out.push(`<rect x="${f1(a)}" y="${y + 8}" width="${f1(Math.max(2, b - a))}" height="${laneH - 16}" fill="${COLORS.down}" fill-opacity="0.85"/>`);
      if (b - a > 24) out.push(`<text x="${f1((a + b) / 2)}" y="${y + laneH / 2 + 4}" font-size="10" fill="#fff" text-anchor="middle" font-weight="bold">${w.lost}</text>`);
    }
  });
  // Marks: the fault, each command, the passing check, the restore.
  const style = (e: TimelineEntry): [string, string] =>
    e.kind === 'injected' ? [COLORS.down, 'fault injected']
    : e.kind === 'action' ? [COLORS.fwd, `${e.name ?? e.user}: ${e.line}`]
    : e.kind === 'command' ? ['#888', `${e.name}: ${e.line}`]
    : e.kind === 'resolved' ? [COLORS.established, e.by === 'check' ? '`drill check` passed' : 'fixed (seen at drill end)']
    : e.kind === 'restore' ? ['#666', '`drill end`: restore']
    : ['#666', e.kind];
  marks.forEach((e, i) => {
    const [color, label] = style(e);
    const t = px(Date.parse(e.at));
    out.push(`<line x1="${f1(t)}" y1="${top - 4}" x2="${f1(t)}" y2="${plotBottom + 2}" stroke="${color}" stroke-width="2" stroke-dasharray="${e.kind === 'action' ? '' : '5 3'}"/>`);
    out.push(`<text x="${f1(t)}" y="${top - 7}" font-size="10" fill="${color}" text-anchor="middle" font-weight="bold">${i + 1}</text>`);
    out.push(`<text x="20" y="${plotBottom + 40 + i * 16}" font-size="11" fill="${color}">${x(`${i + 1}  ${hhmmss(Date.parse(e.at))}  ${label}`)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

/** The chart as a PNG, synchronously (resvg renders in-process): for the drill end report. */
export function drillChartPng(c: ChartInput): Buffer {
  const { Resvg } = createRequire(import.meta.url)('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
  return new Resvg(outageChartSvg(c), { fitTo: { mode: 'zoom', value: 1.5 }, font: fontOptions() }).render().asPng();
}
