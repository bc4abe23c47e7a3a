import { describe, expect, it } from 'vitest';
import { conversations } from '../../lab/inspect/capture.js';
import { parseTcpdumpLine } from '../../lab/parsers/tcpdump.js';

const lines: [string, string][] = [
  ['eth2', '1796105687.100000 IP 10.98.0.10 > 10.98.2.10: ICMP echo request, id 1, seq 1, length 64'],
  ['eth1', '1796105687.100100 IP 10.98.2.10 > 10.98.0.10: ICMP echo reply, id 1, seq 1, length 64'],
  ['eth1', '1796105687.200000 IP 10.98.0.10.41000 > 10.98.2.10.80: Flags [S], seq 1, win 64240, length 0'],
  ['eth1', '1796105687.300000 IP 10.1.10.1.56706 > 10.1.10.2.179: Flags [P.], seq 1:20, ack 1, win 62, length 19: BGP'],
];

describe('capture conversations', () => {
  it('groups both directions of an address pair per interface, ports dropped and BGP left out', () => {
    const packets = lines.map(([iface, l]) => parseTcpdumpLine(l, iface)!);
    const names: Record<string, string> = { '10.98.0.10': 'app-control-plane', '10.98.2.10': 'app-worker2' };
    expect(conversations(packets, (ip) => names[ip])).toEqual([
      { a: '10.98.0.10', b: '10.98.2.10', aName: 'app-control-plane', bName: 'app-worker2', aToB: { eth2: 1, eth1: 1 }, bToA: { eth1: 1 } },
    ]);
  });
});
