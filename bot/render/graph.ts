// `graph` in Slack: a short message (what is down, the trace's path) and the picture as an
// uploaded PNG in the channel (or the drill's thread); a text export comes as a file.
import type { GraphResult } from '../../commands/graph.js';
import { context, esc, section, type SlackMessage } from './blocks.js';
import type { DrillEndResult } from '../../commands/drill-results.js';
import { drillChartPng } from '../../lab/graph/chart.js';

export function renderGraph(r: GraphResult): SlackMessage {
  const blocks: SlackMessage['blocks'] = [section(`:frame_with_picture: *${esc(r.summary)}*${r.png ? ' — the picture is attached' : ''}`)];
  if (r.notes.length) blocks.push(context(esc(r.notes.slice(0, 12).map((n) => `• ${n}`).join('\n'))));
  const ext = { mermaid: 'mmd', dot: 'dot', drawio: 'drawio', svg: 'svg', png: 'png' }[r.format];
  return {
    text: r.summary,
    blocks,
    image: r.png ? { filename: r.png.filename, data: Buffer.from(r.png.base64, 'base64'), title: r.summary } : undefined,
    attachment: !r.png && r.text !== undefined ? { filename: `${r.name}.${ext}`, content: r.text } : undefined,
  };
}

/**
 * The outage chart of a drill's end report, for the Slack drill-end rendering (bot/dispatch.ts
 * uploads it into the drill's thread). Undefined when the drill had no prober flows; a chart
 * that cannot be drawn is logged, never in the way of the report.
 */
export function drillEndChart(r: DrillEndResult, onError?: (err: Error) => void): { filename: string; data: Buffer; title: string } | undefined {
  if (!r?.prober?.flows?.length) return undefined;
  try {
    const data = drillChartPng({ title: `drill ${r.id}: ${r.title} — ${r.outcome}`, flows: r.prober.flows, windows: r.prober.windows, timeline: r.timeline ?? [] });
    return { filename: `drill-${r.id}-outage.png`, data, title: `drill ${r.id}: outage chart` };
  } catch (err) {
    onError?.(err as Error);
    return undefined;
  }
}
