// `interfaces`: VyOS's `show interfaces` columns (Interface, IP Address, S/L, Description) plus
// the MTU, flagged when it is not the intended one, and the far end of each link.
import type { InterfacesResult, InterfaceRow } from '../../commands/results.js';
import { linesToText, seg, table, type Line } from './lines.js';
import type { TextOptions } from './text.js';

export const stateOf = (i: InterfaceRow) => `${i.adminUp ? 'u' : 'A'}/${i.carrier ? 'u' : 'D'}`;
export const mtuOff = (i: InterfaceRow) => i.intendedMtu !== undefined && i.mtu !== i.intendedMtu;
export const mtuOf = (i: InterfaceRow) => (mtuOff(i) ? `${i.mtu} (intended ${i.intendedMtu})` : String(i.mtu));

export function interfacesLines(r: InterfacesResult): Line[] {
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
  return [
    [seg(`${r.kind} ${r.device}: ${r.interfaces.length} interfaces`, { bold: true })],
    [seg('Codes: S - State, L - Link, u - Up, D - Down, A - Admin Down', { dim: true })],
    [],
    ...table(['Interface', 'IP Address', 'S/L', 'MTU', 'Peer', 'Description'], rows),
  ];
}

export const interfacesText = (r: InterfacesResult, o: TextOptions) => linesToText(interfacesLines(r), o);
