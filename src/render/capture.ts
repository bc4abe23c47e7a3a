// `capture`: packets grouped per interface, so ECMP shows as traffic split across links.
import type { CaptureResult } from '../../commands/results.js';
import { linesToText, seg, type Line } from './lines.js';
import type { TextOptions } from './text.js';

export function captureLines(r: CaptureResult, perIface = 20): Line[] {
  const total = r.packets.length;
  const lines: Line[] = [[
    seg(`capture on ${r.router} ${r.interfaces.join(', ')}: ${total} packet${total === 1 ? '' : 's'}`, { bold: true }),
    seg(r.cancelled ? ' (stopped early)' : '', { color: 'yellow' }),
  ]];
  for (const iface of r.interfaces) {
    const pkts = r.packets.filter((p) => p.interface === iface);
    const count = r.perInterface[iface] ?? pkts.length;
    lines.push([seg(`${iface}`, { bold: true, color: 'cyan' }), seg(`  ${count} packet${count === 1 ? '' : 's'}`)]);
    for (const p of pkts.slice(0, perIface)) {
      lines.push([seg(`  ${p.time}  `, { dim: true }), seg(`${p.src} > ${p.dst}`), seg(`  ${p.protocol}`, { color: 'magenta' }), seg(p.summary ? `  ${p.summary}` : '', { dim: true })]);
    }
    if (pkts.length > perIface) lines.push([seg(`  … ${pkts.length - perIface} more`, { dim: true })]);
  }
  return lines;
}

export const captureText = (r: CaptureResult, opts: TextOptions) => linesToText(captureLines(r), opts);
