// Node sessions on the kind lab come from `cilium bgp peers -o json`; the shared GoBGP parser
// must read them as it reads the embedded lab's gobgpd.
import { describe, expect, it } from 'vitest';
import { ciliumPeersAsGobgp } from '../../lab/drivers/kind/cilium-peers.js';
import { parseGobgpNeighbors } from '../../lab/parsers/gobgp.js';

describe('cilium bgp peers → gobgp neighbor shape', () => {
  it('keeps address, ASNs, state, uptime and prefix counts', () => {
    const now = Date.UTC(2026, 0, 1);
    const cilium = JSON.stringify([
      { 'local-asn': 65005, 'peer-address': '10.1.5.1', 'peer-asn': 65005, 'peer-port': 179, 'session-state': 'established', 'uptime-nanoseconds': 125e9, families: [{ afi: 'ipv4', safi: 'unicast', received: 6, advertised: 1 }] },
      { 'local-asn': 65008, 'peer-address': '10.1.8.1', 'peer-asn': 65008, 'session-state': 'active' },
    ]);
    const peers = parseGobgpNeighbors(ciliumPeersAsGobgp(cilium, now), now);
    expect(peers).toEqual([
      { peerAddress: '10.1.5.1', peerPort: 179, peerAs: 65005, localAs: 65005, state: 'Established', sessionState: 'established', uptimeSeconds: 125, received: 6, advertised: 1, families: [{ afi: 'ipv4', safi: 'unicast', received: 6, advertised: 1 }] },
      // No peer-port in the agent's answer: BGP's own, 179; no family counts: the one IPv4 family, empty.
      { peerAddress: '10.1.8.1', peerPort: 179, peerAs: 65008, localAs: 65008, state: 'Active', sessionState: 'active', uptimeSeconds: undefined, received: 0, advertised: 0, families: [{ afi: 'ipv4', safi: 'unicast', received: 0, advertised: 0 }] },
    ]);
  });

  it('reads an agent without peers', () => {
    expect(parseGobgpNeighbors(ciliumPeersAsGobgp('[]'))).toEqual([]);
  });
});
