// The node rows of `peers` as the Cilium agent prints them (`cilium bgp peers` in 1.14,
// `cilium-dbg bgp peers` from 1.15: cilium/cmd/bgp_peer_get.go, pkg/bgpv1/api/printers.go):
// Go's tabwriter with minwidth 5 and padding 3, `address:port`, the lowercase GoBGP state, the
// uptime as Go prints a Duration rounded to the second, and one row per address family.
import type { PeerRow } from '../../commands/results.js';
import { formatUptime } from '../../lab/parsers/gobgp.js';

export const CILIUM_PEERS_HEADER = ['Local AS', 'Peer AS', 'Peer Address', 'Session', 'Uptime', 'Family', 'Received', 'Advertised'];
/** The narrow form's header: the same columns, the two long names shortened (said under the table). */
export const CILIUM_PEERS_SHORT_HEADER = ['Local AS', 'Peer AS', 'Peer Address', 'Session', 'Uptime', 'Family', 'Rcvd', 'Adv'];

/** Cells of one node's table, header first; continuation rows (2nd family on) leave the session columns empty. */
export function ciliumPeerCells(peers: PeerRow[], header = CILIUM_PEERS_HEADER): string[][] {
  // The agent sorts by local AS, then by peer address (as strings).
  const sorted = [...peers].sort((a, b) => a.localAs - b.localAs || (a.peerAddress < b.peerAddress ? -1 : a.peerAddress > b.peerAddress ? 1 : 0));
  const rows: string[][] = [header];
  for (const p of sorted) {
    const state = p.sessionState ?? p.state.toLowerCase();
    const session = [String(p.localAs), String(p.peerAs), `${p.peerAddress}:${p.peerPort ?? 179}`, state, state === 'established' ? formatUptime(p.uptimeSeconds ?? 0) : '0s'];
    const families = p.families?.length ? p.families : [{ afi: 'ipv4', safi: 'unicast', received: p.received, advertised: p.advertised }];
    families.forEach((f, i) => rows.push([...(i === 0 ? session : session.map(() => '')), `${f.afi}/${f.safi}`, String(f.received), String(f.advertised)]));
  }
  return rows;
}

/** Go's text/tabwriter over tab-terminated cells: each column as wide as its widest cell plus padding, at least minwidth. */
export function tabwriter(rows: string[][], padding = 3, minwidth = 5): string[] {
  const cols = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, i) => Math.max(minwidth, ...rows.map((r) => (i < r.length - 1 ? r[i]!.length + padding : 0))));
  return rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('').trimEnd());
}
