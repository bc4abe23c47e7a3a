// The facts of ../shared/seed/FABRIC.md, read from its tables: what every rendered router
// config must contain, independent of the topology model.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_DIR } from '../../lab/paths.js';

export interface FabricRouter {
  name: string;
  asn: number;
  routerId: string;
  interfaces: Record<string, string>;
  networks: string[];
  neighbors: { address: string; asn: number; rrClient: boolean; nexthopSelf: boolean }[];
}

const net24 = (cidr: string) => cidr.replace(/\.\d+\/24$/, '.0/24');

export function fabricFacts(): FabricRouter[] {
  const md = readFileSync(join(SEED_DIR, 'FABRIC.md'), 'utf8');
  const rows = (first: RegExp) => md.split('\n').filter((l) => first.test(l)).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
  const routers: FabricRouter[] = rows(/^\| (spine|leaf)\d/).map(([name, asn, eth1, eth2, eth3, rid]) => {
    const interfaces: Record<string, string> = {};
    for (const [ifname, cell] of [['eth1', eth1], ['eth2', eth2], ['eth3', eth3]] as const) {
      const m = /(\d+\.\d+\.\d+\.\d+\/24)/.exec(cell!);
      if (m) interfaces[ifname] = m[1]!;
    }
    return { name: name!, asn: Number(asn), routerId: rid!.split(' ')[0]!, interfaces, networks: Object.values(interfaces).map(net24), neighbors: [] };
  });
  // Link peers: the other router with an address on the same /24.
  for (const r of routers)
    for (const [ifname, addr] of Object.entries(r.interfaces)) {
      if (ifname === 'eth3') continue;
      const peer = routers.find((o) => o !== r && Object.values(o.interfaces).some((a) => net24(a) === net24(addr)))!;
      const peerAddr = Object.values(peer.interfaces).find((a) => net24(a) === net24(addr))!;
      r.neighbors.push({ address: peerAddr.split('/')[0]!, asn: peer.asn, rrClient: false, nexthopSelf: false });
    }
  // Nodes: iBGP from the leaf owning the rack LAN gateway, each a route-reflector client;
  // "leaf0 also sets nexthop-self toward its nodes".
  for (const [, ip, , gw] of rows(/^\| cilium-bgp-/)) {
    const leaf = routers.find((r) => r.interfaces.eth3?.startsWith(`${gw}/`))!;
    leaf.neighbors.push({ address: ip!, asn: leaf.asn, rrClient: true, nexthopSelf: leaf.name === 'leaf0' });
  }
  return routers;
}
