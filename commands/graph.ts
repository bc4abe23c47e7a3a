import { z } from 'zod';
import { defineCommand } from './types.js';
import { resolvePod } from './names.js';
import { UsageError } from '../lab/errors.js';

export type GraphFormat = 'mermaid' | 'dot' | 'drawio' | 'svg' | 'png';

export interface GraphResult {
  name: string;
  /** What the picture is of: the fabric, or the drill's outage chart. */
  view: 'fabric' | 'drill';
  format: GraphFormat;
  /** Where it was written (CLI --out). */
  file?: string;
  /** The text of a text format (mermaid, dot, drawio, svg) when not written to a file. */
  text?: string;
  /** The picture for a surface that uploads it (Slack): never on the CLI's JSON. */
  png?: { filename: string; base64: string; width: number; height: number };
  width?: number;
  height?: number;
  live: boolean;
  /** What is down, where the fault is, the trace's path: said beside the picture. */
  notes: string[];
  summary: string;
}

const EXT: Record<string, GraphFormat> = { png: 'png', svg: 'svg', mmd: 'mermaid', mermaid: 'mermaid', dot: 'dot', gv: 'dot', drawio: 'drawio', xml: 'drawio' };

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export default defineCommand({
  name: 'graph',
  summary: 'The fabric as a picture with live state (sessions, down links, dead daemons), a trace path, or a drill outage chart',
  examples: ['graph --out fabric.png', 'graph --format mermaid', 'graph --trace app-control-plane app-worker2 --out trace.svg', 'graph --drill --out outage.png'],
  positionals: [{ name: 'pods', complete: 'pod', variadic: true }],
  args: z.object({
    pods: z.array(z.string()).max(2).optional().describe('with --trace: the two pods'),
    format: z.enum(['mermaid', 'dot', 'drawio', 'svg', 'png']).optional().describe('export format (default: from --out, else mermaid; png in Slack)'),
    out: z.string().max(4096).optional().describe('write the picture to FILE (.png, .svg, .mmd, .dot, .drawio)'),
    trace: z.boolean().default(false).describe('highlight the path between two pods, per direction: --trace POD POD'),
    drill: z.boolean().default(false).describe("the running drill's outage timeline as a chart"),
    force: z.boolean().default(false).describe('overwrite a non-empty --out file'),
  }),
  permission: 'read',
  hostPaths: { out: 'out' },
  async handler(args, ctx): Promise<GraphResult> {
    const slack = ctx.caller.surface === 'slack';
    const fromExt = args.out ? EXT[args.out.split('.').pop()?.toLowerCase() ?? ''] : undefined;
    if (args.out && !fromExt && !args.format) throw new UsageError(`cannot tell the format of ${args.out}`, 'end it in .png, .svg, .mmd, .dot or .drawio, or add --format');
    const format: GraphFormat = args.format ?? fromExt ?? (slack ? 'png' : 'mermaid');
    if (args.trace && args.pods?.length !== 2) throw new UsageError('--trace takes two pods: graph --trace POD POD', 'pods: see `topo show`');
    if (!args.trace && args.pods?.length) throw new UsageError(`unexpected "${args.pods[0]}"`, 'pods go with --trace: graph --trace POD POD');
    if (args.drill && args.trace) throw new UsageError('--drill and --trace draw different pictures', 'ask for one of them');
    if (args.out) {
      // Said before the picture is drawn (the writer checks again, without following, when it writes).
      const { lstatSync } = await import('node:fs');
      const st = (() => { try { return lstatSync(args.out!); } catch { return undefined; } })();
      if (st?.isSymbolicLink()) throw new UsageError(`refusing to write ${args.out}: it is a symlink`, 'choose another path');
      if (st && st.size > 0 && !args.force) throw new UsageError(`refusing to write ${args.out}: it exists and is not empty`, 'choose a new file, or add --force to overwrite it');
    }
    const driver = await ctx.driver();
    const rec = await driver.record().catch(() => undefined);
    const t = ctx.topology;

    let svg: string | undefined;
    let text: string | undefined;
    let notes: string[];
    let view: GraphResult['view'] = 'fabric';
    if (args.drill) {
      if (format !== 'png' && format !== 'svg') throw new UsageError('--drill draws a chart: png or svg', 'graph --drill --out outage.png');
      const [{ readDrill }, { embeddedOnly }, { readProber }, { buildTimeline }, { outageChartSvg }] = await Promise.all([
        import('../lab/state/drill-state.js'), import('../lab/drivers/embedded/ops.js'), import('../lab/drills/prober.js'), import('../lab/drills/timeline.js'), import('../lab/graph/chart.js'),
      ]);
      const state = await readDrill(ctx.lab);
      if (!state) throw new UsageError(`no drill is running on ${ctx.lab}`, 'start one with `drill start`; `drill end` attaches the chart of a finished one');
      const report = await readProber(embeddedOnly(driver), state.prober);
      const now = new Date().toISOString();
      const timeline = buildTimeline(state, report, Date.now()).filter((e) => e.kind !== 'restore');
      svg = outageChartSvg({ title: `drill ${state.hidden ? '(hidden)' : state.id}: outage so far`, flows: report.flows, windows: report.windows, timeline, now });
      const lost = report.flows.reduce((n, f) => n + f.sent - f.answered, 0);
      notes = [`${report.flows.length} flows, ${lost} probes lost so far, ${report.windows.length} loss windows`];
      view = 'drill';
    } else {
      const [{ buildGraph }, { readLive }] = await Promise.all([import('../lab/graph/model.js'), import('../lab/graph/live.js')]);
      const podsPerNode = rec?.podsPerNode;
      const trace = args.trace ? ([resolvePod(t, args.pods![0]!, podsPerNode), resolvePod(t, args.pods![1]!, podsPerNode)] as const) : undefined;
      if (trace && !rec) throw new UsageError('--trace needs the lab running', 'bring it up with `up`');
      const live = rec ? await readLive(driver, t, { user: ctx.caller.user, lab: ctx.lab, trace: trace ? [trace[0], trace[1]] : undefined, signal: ctx.signal }) : {};
      const g = buildGraph(t, podsPerNode, live);
      notes = [...g.notes];
      if (g.trace) notes.push(`request: ${g.trace.fwd.join(' → ')}`, `reply: ${g.trace.rev.join(' → ')}`);
      const formats = await import('../lab/graph/formats.js');
      if (format === 'mermaid') text = formats.toMermaid(g);
      else if (format === 'dot') text = formats.toDot(g);
      else {
        const { layoutGraph } = await import('../lab/graph/layout.js');
        const layout = await layoutGraph(g);
        if (format === 'drawio') text = formats.toDrawio(g, layout);
        else svg = (await import('../lab/graph/svg.js')).toSvg(g, layout, { title: trace ? `${t.name}: trace ${trace[0].name} ⇄ ${trace[1].name}` : undefined });
      }
    }
    let png: Buffer | undefined;
    if (format === 'png') png = await (await import('../lab/graph/png.js')).svgToPng(svg!);
    else if (format === 'svg') text = svg;
    const size = png ? pngSize(png) : undefined;
    const what = view === 'drill' ? 'outage chart' : args.trace ? 'trace picture' : 'fabric picture';
    const base: Omit<GraphResult, 'summary'> = { name: t.name, view, format, live: Boolean(rec), notes, ...size };
    if (args.out) {
      const { writeFileNoFollow } = await import('../lab/render/write.js');
      const file = writeFileNoFollow(args.out, png ?? text!, { force: args.force });
      return { ...base, file, summary: `wrote the ${what} (${format}${size ? `, ${size.width}×${size.height}` : ''}) to ${file}` };
    }
    if (png) {
      if (!slack) throw new UsageError('a PNG needs a file: add --out FILE.png', 'or --format mermaid|dot|drawio|svg to print it');
      const filename = view === 'drill' ? 'drill-outage.png' : `${t.name}${args.trace ? '-trace' : ''}.png`;
      return { ...base, png: { filename, base64: png.toString('base64'), ...size! }, summary: `${what} of ${t.name}${rec ? '' : ' (plan: the lab is not running)'}` };
    }
    return { ...base, text, summary: `${what} of ${t.name} as ${format}` };
  },
});
