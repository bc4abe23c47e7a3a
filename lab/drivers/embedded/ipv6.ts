// The IPv6 half of a dual-stack embedded fabric (only when the topology has IPv6): addresses,
// routes and sysctls added to the IPv4 plan of fabric.ts, never replacing a line of it.
// - Every address `nodad`, and DAD off in every lab namespace before its links exist, so the
//   kernel's own link-local addresses (FRR's IPv6 next hops) are usable at once, not after DAD's
//   1–2 s.
// - Routers forward IPv6 and hash ECMP on addresses (policy 0), as the IPv4 half does; the hash
//   seed sysctl (net.ipv4.fib_multipath_hash_seed) already covers both families.
// - Nodes: ip6 on the rack LAN, default route to the rack's gateway6; pods: their IPv6 /128 and a
//   default route to fe80::1, which lives on each lxc of the node (Cilium's pods route to the
//   node the same way, over a link-local gateway).
// The fabric stays sealed: every line runs inside a lab namespace.
import type { Topology } from '../../topology/schema.js';
import { hasIpv6, rackOf, type Pod } from '../../topology/model.js';
import type { NsPlan } from './fabric.js';

/** The pods' IPv6 gateway, a link-local address on every lxc of their node. */
export const POD_GATEWAY6 = 'fe80::1';

/** DAD off for links created from now on (default) and for the namespace as a whole (all). */
const NO_DAD = ['net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0'];

/**
 * Adds the IPv6 lines to the namespaces' plans; returns the host `ip -batch` lines to run before
 * the links are created (DAD off in each namespace). Empty for an IPv4-only topology.
 */
export function planIpv6(topo: Topology, pods: Pod[], planOf: (device: string) => NsPlan | undefined, namespaces: () => NsPlan[]): { beforeLinks: string[] } {
  if (!hasIpv6(topo)) return { beforeLinks: [] };
  for (const r of topo.routers) {
    const p = planOf(r.name)!;
    for (const itf of r.interfaces) if (itf.address6) p.ipBatch.push(`addr add ${itf.address6} dev ${itf.name} nodad`);
    p.sysctls.push('net.ipv6.conf.all.forwarding=1', 'net.ipv6.fib_multipath_hash_policy=0');
  }
  for (const n of topo.cluster.nodes) {
    const p = planOf(n.name)!;
    const rack = rackOf(topo, n);
    if (n.ip6 && rack.subnet6 && rack.gateway6) {
      p.ipBatch.push(`addr add ${n.ip6}/${rack.subnet6.split('/')[1]} dev ${n.interface} nodad`, `route replace default via ${rack.gateway6} dev ${n.interface}`);
    }
    p.sysctls.push('net.ipv6.conf.all.forwarding=1');
    pods
      .filter((pod) => pod.node === n.name && pod.ip6)
      .forEach((pod, i) => {
        const lxc = `lxc${i}`;
        p.ipBatch.push(`addr add ${POD_GATEWAY6}/64 dev ${lxc} nodad`, `route add ${pod.ip6}/128 dev ${lxc}`);
        const podNs = planOf(pod.name)!;
        podNs.ipBatch.push(`addr add ${pod.ip6}/128 dev eth0 nodad`, `route add default via ${POD_GATEWAY6} dev eth0 src ${pod.ip6}`);
      });
  }
  // Before any link exists: a veth takes its IPv6 settings from `default` when it is created.
  return { beforeLinks: namespaces().map((n) => `netns exec ${n.ns} /usr/sbin/sysctl -q -w ${NO_DAD.join(' ')}`) };
}
