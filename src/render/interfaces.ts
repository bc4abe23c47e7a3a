// `interfaces`: VyOS's `show interfaces` columns (Interface, IP Address, S/L, Description) plus
// the MTU, flagged when it is not the intended one, and the far end of each link.
import type { InterfacesResult, InterfaceRow } from '../../commands/results.js';
import { linesToText, seg, table, wrapLine, type Line } from './lines.js';
import type { TextOptions } from './text.js';

export const stateOf = (i: InterfaceRow) => `${i.adminUp ? 'u' : 'A'}/${i.carrier ? 'u' : 'D'}`;
export const mtuOff = (i: InterfaceRow) => i.intendedMtu !== undefined && i.mtu !== i.intendedMtu;
export const mtuOf = (i: InterfaceRow) => (mtuOff(i) ? `${i.mtu} (intended ${i.intendedMtu})` : String(i.mtu));

export function interfacesLines(r: InterfacesResult, width = Infinity): Line[] {
  const rows = r.interfaces.map((i) => {
    const off = mtuOff(i);
    return [
      seg(i.name, { bold: true }),
      seg(i.addresses.join(', ') || '-'),
      seg(stateOf(i), { color: i.adminUp && i.carrier ? 'green' : 'red' }),
      seg(mtuOf(i), off ? { color: 'yellow', bold: true } : {}),
      seg(i.peer ?? ''),
      seg(i.description ?? '', { dim: true }),
    ];
  });
  const lines: Line[] = [
    [seg(`${r.kind} ${r.device}: ${r.interfaces.length} interfaces`, { bold: true })],
    [seg('Codes: S - State, L - Link, u - Up, D - Down, A - Admin Down', { dim: true })],
    [],
    ...table(['Interface', 'IP Address', 'S/L', 'MTU', 'Peer', 'Description'], rows),
  ];
  return [...lines, ...countersLines(r, width)];
}

/** The second table: `ip -s link` counters each way and the root qdisc; then what drops where. */
export function countersLines(r: InterfacesResult, width = Infinity): Line[] {
  const withStats = r.interfaces.filter((i) => i.stats);
  if (!withStats.length) return [];
  const bad = (n: number) => (n ? { color: 'red' as const, bold: true } : {});
  const rows = withStats.map((i) => {
    const s = i.stats!;
    const impaired = /netem/.test(i.qdisc ?? '') || Boolean(i.dropRules?.length);
    return [
      seg(i.name, { bold: true }),
      seg(String(s.rxPackets)),
      seg(String(s.rxErrors), bad(s.rxErrors)),
      seg(String(s.rxDropped), bad(s.rxDropped)),
      seg(String(s.txPackets)),
      seg(String(s.txErrors), bad(s.txErrors)),
      seg(String(s.txDropped), bad(s.txDropped)),
      seg(i.qdisc ?? '-', impaired ? { color: 'yellow', bold: true } : { dim: true }),
    ];
  });
  const out: Line[] = [[], ...table(['Interface', 'RX packets', 'errors', 'dropped', 'TX packets', 'errors', 'dropped', 'Qdisc'], rows)];
  for (const i of r.interfaces) for (const d of i.dropRules ?? []) out.push(...wrapLine([seg('✗ ', { color: 'red' }), seg(i.name, { bold: true }), seg(`: ${dropRuleText(d)}`, { color: 'yellow' })], width, 4));
  return out;
}

export const dropRuleText = (d: NonNullable<InterfaceRow['dropRules']>[number]) =>
  `nftables ${d.table} chain ${d.chain}${d.hook ? ` (${d.hook})` : ''} drops ${d.lossPct !== undefined ? `${d.lossPct}% of ` : ''}packets ${d.direction === 'out' ? 'sent' : 'received'}${d.packets !== undefined ? `: ${d.packets} dropped so far` : ''} — ${d.rule}`;

export const interfacesText = (r: InterfacesResult, o: TextOptions) => linesToText(interfacesLines(r, o.width), o);
