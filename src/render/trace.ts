// `trace`: the path as a chain of devices with their addresses; one hop per line when the
// chain does not fit the terminal (laid out, not wrapped).
import type { TraceResult } from '../../commands/results.js';
import { linesToText, seg, type Line } from './lines.js';
import type { TextOptions } from './text.js';

/** `UDP 10.98.0.10:41234 → 10.98.2.10:53`: the one flow every probe of `trace --udp` used. */
export const probeText = (r: TraceResult) =>
  r.probe?.protocol === 'udp' ? `UDP probes, source port ${r.probe.sourcePort} → destination port ${r.probe.destPort} (${r.toIp}:${r.probe.destPort})` : undefined;

export function traceLines(r: TraceResult, width = 100): Line[] {
  const probe = probeText(r);
  const lines = chainLines(r, width);
  return probe ? [...lines, [seg(`  ${probe}`, { dim: true })]] : lines;
}

function chainLines(r: TraceResult, width: number): Line[] {
  const hops = r.hops.map((h) => `${h.device ?? '?'} (${h.ip})`);
  const tail = r.ok ? [] : ['✗ no answer'];
  const chain = [r.from, ...hops, ...tail].join(' → ');
  const status = seg(r.ok ? '✓ ' : '✗ ', { color: r.ok ? 'green' : 'red' });
  if (chain.length + 2 <= width) {
    const line: Line = [status, seg(r.from, { bold: true })];
    r.hops.forEach((h, i) => line.push(seg(' → ', { dim: true }), seg(h.device ?? '?', { bold: i === r.hops.length - 1 }), seg(` (${h.ip})`, { dim: true })));
    if (!r.ok) line.push(seg(' → ', { dim: true }), seg('✗ no answer', { color: 'red' }));
    return [line];
  }
  const lines: Line[] = [[status, seg(`${r.from} → ${r.to} (${r.toIp})`, { bold: true })]];
  for (const h of r.hops) {
    lines.push([seg(`  ${String(h.hop).padStart(2)} → `, { dim: true }), seg(h.device ?? '?', { bold: true }), seg(` (${h.ip})`), seg(h.rttMs !== undefined ? `  ${h.rttMs.toFixed(2)} ms` : '', { dim: true })]);
  }
  if (!r.ok) lines.push([seg('     ✗ no answer', { color: 'red' })]);
  return lines;
}

export const traceText = (r: TraceResult, opts: TextOptions) => linesToText(traceLines(r, opts.width), opts);
