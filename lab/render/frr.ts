// frr.conf per router: what the embedded lab runs (VyOS is FRR underneath, so this is the
// same BGP the real lab's config.boot produces), from the topology model.
import type { Router, Topology } from '../topology/schema.js';
import { isV6, networkOf } from '../topology/ip.js';

export interface FrrOptions {
  /** Embedded lab: connect-retry 1 s, datacenter defaults (advertisement interval 0, 3/9 s timers). */
  fastTimers: boolean;
  /** Where bgpd/zebra log; the embedded lab keeps one log per router in its state dir. */
  logFile?: string;
  /**
   * false: zebra installs ECMP routes with their next hops inline instead of kernel next-hop
   * groups. FRR 8.4 leaves a group short of a next hop after its interface flaps (the kernel
   * kept one spine while FRR showed two), which `check`'s path coverage then sees.
   */
  kernelNexthopGroups?: boolean;
}

export function renderFrrConf(topo: Topology, router: Router, opts: FrrOptions): string {
  const lines: string[] = [];
  const add = (...l: string[]) => lines.push(...l);
  add(`! ${router.name} (${router.role}, AS ${router.asn}) — rendered by bgp-lab from topology ${topo.name}`);
  add(opts.fastTimers ? 'frr defaults datacenter' : 'frr defaults traditional');
  add(`hostname ${router.name}`);
  if (opts.logFile) add(`log file ${opts.logFile}`, 'log timestamp precision 3');
  add('service integrated-vtysh-config');
  if (opts.kernelNexthopGroups === false) add('no zebra nexthop kernel enable');
  add('!');
  for (const itf of router.interfaces) {
    add(`interface ${itf.name}`);
    if (itf.description) add(` description ${itf.description}`);
    add(` ip address ${itf.address}`);
    if (itf.address6) add(` ipv6 address ${itf.address6}`);
    add('exit', '!');
  }
  add(`router bgp ${router.asn}`);
  add(` bgp router-id ${router.routerId}`);
  // eBGP without policies: VyOS 1.4 accepts and sends everything by default; FRR needs this said.
  add(' no bgp ebgp-requires-policy');
  // Dual stack: each neighbor is activated in its own family only, as VyOS's per-neighbor
  // address-family renders it (an IPv4 session carries ipv4-unicast, an IPv6 one ipv6-unicast).
  const v6 = router.neighbors.filter((n) => isV6(n.address));
  const v4 = router.neighbors.filter((n) => !isV6(n.address));
  if (v6.length) add(' no bgp default ipv4-unicast');
  add(' no bgp network import-check');
  add(' bgp bestpath as-path multipath-relax');
  // Update groups wait up to a second to batch their first updates; a lab of a few peers need not.
  if (opts.fastTimers) add(' coalesce-time 10');
  for (const n of router.neighbors) {
    add(` neighbor ${n.address} remote-as ${n.asn}`);
    if (n.description) add(` neighbor ${n.address} description ${n.description}`);
    if (opts.fastTimers) add(` neighbor ${n.address} timers connect 1`);
  }
  add(' !', ' address-family ipv4 unicast');
  for (const net of router.networks.filter((x) => !isV6(x))) add(`  network ${networkOf(net)}`);
  for (const n of v4) {
    if (v6.length) add(`  neighbor ${n.address} activate`);
    if (n.routeReflectorClient) add(`  neighbor ${n.address} route-reflector-client`);
    if (n.nexthopSelf) add(`  neighbor ${n.address} next-hop-self`);
  }
  add(' exit-address-family');
  const nets6 = router.networks.filter(isV6);
  if (v6.length || nets6.length) {
    add(' !', ' address-family ipv6 unicast');
    for (const net of nets6) add(`  network ${networkOf(net)}`);
    for (const n of v6) {
      add(`  neighbor ${n.address} activate`);
      if (n.routeReflectorClient) add(`  neighbor ${n.address} route-reflector-client`);
      if (n.nexthopSelf) add(`  neighbor ${n.address} next-hop-self`);
    }
    add(' exit-address-family');
  }
  add('exit', '!', 'end', '');
  return lines.join('\n');
}
