// Semantic checks on top of the schema: what a network engineer would catch in review.
// Each issue names the field path and says what to do.
import type { Topology } from './schema.js';
import { addressOf, contains, isV6, isValidIp, isValidIp6, networkOf, overlaps, parsePrefix, parsePrefix6 } from './ip.js';
import { podCidr6Of, podCidrOf } from './model.js';
import { intentOf } from '../cilium/desired.js';
import { ciliumIssues } from '../cilium/issues.js';
import { validateServices } from '../services/validate.js';

export interface TopologyIssue {
  path: string;
  message: string;
  line?: number;
  /** A warning: Cilium accepts the model, with the consequence named; the topology still loads. */
  severity?: 'warning';
}

const MAX_IFNAME = 15; // IFNAMSIZ - 1: the kernel refuses longer interface names

export function validateTopology(topo: Topology): TopologyIssue[] {
  const issues: TopologyIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  // Names: every device, rack and bridge once.
  const names = new Map<string, string>();
  const claim = (name: string, path: string) => {
    const prev = names.get(name);
    if (prev) add(path, `duplicate name "${name}" (also at ${prev}); give each device a unique name`);
    else names.set(name, path);
  };
  topo.routers.forEach((r, i) => claim(r.name, `routers[${i}].name`));
  topo.cluster.nodes.forEach((n, i) => claim(n.name, `cluster.nodes[${i}].name`));
  topo.cluster.nodes.forEach((n, i) => claim(n.server, `cluster.nodes[${i}].server`));
  topo.racks.forEach((r, i) => claim(r.bridge, `racks[${i}].bridge`));
  const rackNames = new Set<string>();
  topo.racks.forEach((r, i) => {
    if (rackNames.has(r.name)) add(`racks[${i}].name`, `duplicate rack "${r.name}"; give each rack a unique name`);
    rackNames.add(r.name);
  });

  // Addresses: every interface and node address once, every address valid.
  const addrs = new Map<string, string>();
  const claimAddr = (ip: string, path: string) => {
    if (!isValidIp(ip)) return add(path, `"${ip}" is not a valid IPv4 address`);
    const prev = addrs.get(ip);
    if (prev) add(path, `duplicate address ${ip} (also at ${prev}); use a free address`);
    else addrs.set(ip, path);
  };
  topo.routers.forEach((r, i) => {
    const ifnames = new Set<string>();
    r.interfaces.forEach((itf, j) => {
      const path = `routers[${i}].interfaces[${j}]`;
      claimAddr(addressOf(itf.address), `${path}.address`);
      if (itf.name.length > MAX_IFNAME) add(`${path}.name`, `interface name "${itf.name}" is ${itf.name.length} characters; Linux allows ${MAX_IFNAME}`);
      if (ifnames.has(itf.name)) add(`${path}.name`, `duplicate interface ${itf.name} on ${r.name}`);
      ifnames.add(itf.name);
    });
    if (!isValidIp(r.routerId)) add(`routers[${i}].routerId`, `"${r.routerId}" is not a valid IPv4 address`);
    r.networks.forEach((n, j) => {
      if (!r.interfaces.some((itf) => networkOf(itf.address) === networkOf(n) || (itf.address6 && networkOf(itf.address6) === networkOf(n))))
        add(`routers[${i}].networks[${j}]`, `${n} is not connected to ${r.name}; announce only its interface subnets`);
    });
  });
  topo.cluster.nodes.forEach((n, i) => {
    claimAddr(n.ip, `cluster.nodes[${i}].ip`);
    if (n.interface.length > MAX_IFNAME) add(`cluster.nodes[${i}].interface`, `interface name "${n.interface}" is over ${MAX_IFNAME} characters`);
  });
  topo.racks.forEach((r, i) => {
    if (r.bridge.length > MAX_IFNAME) add(`racks[${i}].bridge`, `bridge name "${r.bridge}" is ${r.bridge.length} characters; Linux allows ${MAX_IFNAME}`);
    // Bridge ports are named <bridge>-netN, containerlab style: net0…netK for K nodes and the leaf.
    else if (`${r.bridge}-net${topo.cluster.nodes.filter((n) => n.rack === r.name).length}`.length > MAX_IFNAME)
      add(`racks[${i}].bridge`, `bridge name "${r.bridge}" leaves no room for port names (${r.bridge}-netN); shorten it`);
  });

  // Links: endpoints exist, both ends on one subnet.
  const routerIf = (ep: string) => {
    const [dev, ifname] = ep.split(':');
    const router = topo.routers.find((r) => r.name === dev);
    return { router, itf: router?.interfaces.find((x) => x.name === ifname), dev, ifname };
  };
  const segments: { subnet: string; path: string }[] = [];
  topo.links.forEach((l, i) => {
    const ends = l.endpoints.map(routerIf);
    ends.forEach((e, j) => {
      if (!e.ifname) add(`links[${i}].endpoints[${j}]`, `"${l.endpoints[j]}" is not device:interface`);
      else if (!e.router) add(`links[${i}].endpoints[${j}]`, `no router named "${e.dev}"; valid: ${topo.routers.map((r) => r.name).join(', ')}`);
      else if (!e.itf) add(`links[${i}].endpoints[${j}]`, `${e.dev} has no interface ${e.ifname}; it has ${e.router.interfaces.map((x) => x.name).join(', ')}`);
    });
    const [a, b] = ends;
    if (a?.itf && b?.itf) {
      if (networkOf(a.itf.address) !== networkOf(b.itf.address))
        add(`links[${i}]`, `${l.endpoints[0]} (${a.itf.address}) and ${l.endpoints[1]} (${b.itf.address}) are on different subnets; put both ends on one subnet`);
      else segments.push({ subnet: networkOf(a.itf.address), path: `links[${i}]` });
    }
  });

  // Racks: the leaf exists, owns the gateway on the rack subnet; nodes live on their rack subnet.
  topo.racks.forEach((r, i) => {
    const leaf = topo.routers.find((x) => x.name === r.leaf);
    if (!leaf) return add(`racks[${i}].leaf`, `no router named "${r.leaf}"; valid: ${topo.routers.map((x) => x.name).join(', ')}`);
    const itf = leaf.interfaces.find((x) => x.name === r.leafInterface);
    if (!itf) return add(`racks[${i}].leafInterface`, `${leaf.name} has no interface ${r.leafInterface}`);
    if (!contains(r.subnet, r.gateway)) add(`racks[${i}].gateway`, `gateway ${r.gateway} is not in the rack subnet ${r.subnet}`);
    if (addressOf(itf.address) !== r.gateway)
      add(`racks[${i}].gateway`, `gateway ${r.gateway} is not ${leaf.name} ${itf.name}'s address (${addressOf(itf.address)})`);
    segments.push({ subnet: networkOf(r.subnet), path: `racks[${i}].subnet` });
  });
  topo.cluster.nodes.forEach((n, i) => {
    const rack = topo.racks.find((r) => r.name === n.rack);
    if (!rack) return add(`cluster.nodes[${i}].rack`, `no rack named "${n.rack}"; valid: ${topo.racks.map((r) => r.name).join(', ')}`);
    if (!contains(rack.subnet, n.ip))
      add(`cluster.nodes[${i}].ip`, `node ${n.name} (${n.ip}) is not on ${rack.name}'s subnet ${rack.subnet}, so its gateway ${rack.gateway} is unreachable`);
  });

  // Subnets: link and rack segments and the pod subnet must not overlap.
  for (let a = 0; a < segments.length; a++)
    for (let b = a + 1; b < segments.length; b++)
      if (overlaps(segments[a]!.subnet, segments[b]!.subnet))
        add(segments[b]!.path, `subnet ${segments[b]!.subnet} overlaps ${segments[a]!.subnet} (${segments[a]!.path}); give each segment its own subnet`);
  for (const s of segments)
    if (overlaps(s.subnet, topo.cluster.podSubnet))
      add('cluster.podSubnet', `podSubnet ${topo.cluster.podSubnet} overlaps ${s.subnet} (${s.path})`);

  // Pod CIDRs fit podSubnet and do not collide.
  const podSubnetLen = parsePrefix(topo.cluster.podSubnet).length;
  if (podSubnetLen > 24) add('cluster.podSubnet', `podSubnet ${topo.cluster.podSubnet} is smaller than one /24 per node`);
  else if (topo.cluster.nodes.length > 2 ** (24 - podSubnetLen))
    add('cluster.podSubnet', `${topo.cluster.nodes.length} nodes need ${topo.cluster.nodes.length} /24s; ${topo.cluster.podSubnet} has ${2 ** (24 - podSubnetLen)}`);
  else {
    const seen: string[] = [];
    topo.cluster.nodes.forEach((n, i) => {
      const cidr = podCidrOf(topo, n);
      if (!contains(topo.cluster.podSubnet, cidr)) add(`cluster.nodes[${i}].podCIDR`, `pod CIDR ${cidr} does not fit podSubnet ${topo.cluster.podSubnet}`);
      const clash = seen.find((s) => overlaps(s, cidr));
      if (clash) add(`cluster.nodes[${i}].podCIDR`, `pod CIDR ${cidr} overlaps ${clash} of another node`);
      seen.push(cidr);
    });
  }

  // Router neighbors: each one is a device of the fabric with that AS.
  topo.routers.forEach((r, i) =>
    r.neighbors.forEach((n, j) => {
      const path = `routers[${i}].neighbors[${j}]`;
      const router = topo.routers.find((x) => x.interfaces.some((itf) => addressOf(itf.address) === n.address || (itf.address6 && addressOf(itf.address6) === n.address)));
      const node = topo.cluster.nodes.find((x) => x.ip === n.address || x.ip6 === n.address);
      if (router === r) add(`${path}.address`, `${n.address} is ${r.name}'s own address`);
      else if (router && router.asn !== n.asn) add(`${path}.asn`, `${router.name} is AS ${router.asn}, not ${n.asn}`);
      else if (node) {
        const intent = intentOf(topo, node);
        if (intent.state === 'configured' && !intent.agent.instances.some((x) => x.localASN === n.asn))
          add(`${path}.asn`, `node ${node.name} runs AS ${intent.agent.instances.map((x) => x.localASN).join(', ')} (${intent.agent.sources[0]}), not ${n.asn}`);
      } else if (!router) add(`${path}.address`, `no router interface or node has address ${n.address}`);
      // iBGP peers need not share a subnet (FRR's iBGP TTL is 255): a node's second virtual router may peer with a spine across its leaf.
      if (n.asn !== r.asn && !r.interfaces.some((itf) => contains(isV6(n.address) ? itf.address6 ?? '::/128' : itf.address, n.address)))
        add(`${path}.address`, `${n.address} is on none of ${r.name}'s subnets; peers must be directly connected`);
    }),
  );

  // Peering policies: neighbors are router addresses with the router's AS. Selection, versions
  // and what the agent refuses: lab/cilium/issues.ts (warnings for what Cilium accepts).
  topo.cilium.bgpPeeringPolicies.forEach((p, i) => {
    p.virtualRouters.forEach((vr, j) =>
      vr.neighbors.forEach((n, k) => {
        const path = `cilium.bgpPeeringPolicies[${i}].virtualRouters[${j}].neighbors[${k}]`;
        const ip = addressOf(n.peerAddress);
        const router = topo.routers.find((x) => x.interfaces.some((itf) => addressOf(itf.address) === ip || (itf.address6 && addressOf(itf.address6) === ip)));
        if (!router) add(`${path}.peerAddress`, `${n.peerAddress} matches no router address; use the leaf's rack-LAN address`);
        else if (router.asn !== n.peerASN) add(`${path}.peerASN`, `${router.name} (${ip}) is AS ${router.asn}, not ${n.peerASN}`);
      }),
    );
  });
  issues.push(...ipv6Issues(topo));
  if (!issues.length) issues.push(...ciliumIssues(topo));
  issues.push(...validateServices(topo));
  return issues;
}

/**
 * Dual stack: the IPv6 half checked as the IPv4 half is (addresses once, both ends of a link on
 * one subnet, gateways on the leaf, nodes on their rack's subnet6, pod CIDRs /64s that fit
 * podSubnet6), and IPv6 never without its IPv4 twin being there too.
 */
export function ipv6Issues(topo: Topology): TopologyIssue[] {
  const issues: TopologyIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const addrs = new Map<string, string>();
  const claim = (ip: string, path: string) => {
    if (!isValidIp6(ip)) return add(path, `"${ip}" is not a valid IPv6 address`);
    const prev = addrs.get(ip);
    if (prev) add(path, `duplicate address ${ip} (also at ${prev}); use a free address`);
    else addrs.set(ip, path);
  };
  const segments: { subnet: string; path: string }[] = [];
  topo.routers.forEach((r, i) => r.interfaces.forEach((itf, j) => itf.address6 && claim(addressOf(itf.address6), `routers[${i}].interfaces[${j}].address6`)));
  topo.cluster.nodes.forEach((n, i) => n.ip6 && claim(n.ip6, `cluster.nodes[${i}].ip6`));
  topo.links.forEach((l, i) => {
    const itfs = l.endpoints.map((ep) => {
      const [dev, ifname] = ep.split(':');
      return topo.routers.find((r) => r.name === dev)?.interfaces.find((x) => x.name === ifname);
    });
    const [a, b] = itfs;
    if (!a || !b) return;
    if (Boolean(a.address6) !== Boolean(b.address6)) add(`links[${i}]`, `only one end of ${l.endpoints.join(' - ')} has an address6; give both ends one or neither`);
    else if (a.address6 && b.address6) {
      if (networkOf(a.address6) !== networkOf(b.address6)) add(`links[${i}]`, `${l.endpoints[0]} (${a.address6}) and ${l.endpoints[1]} (${b.address6}) are on different IPv6 subnets; put both ends on one`);
      else segments.push({ subnet: networkOf(a.address6), path: `links[${i}]` });
    }
  });
  topo.racks.forEach((r, i) => {
    if (Boolean(r.subnet6) !== Boolean(r.gateway6)) return add(`racks[${i}]`, 'give subnet6 and gateway6 together, or neither');
    if (!r.subnet6 || !r.gateway6) return;
    if (!contains(r.subnet6, r.gateway6)) add(`racks[${i}].gateway6`, `gateway6 ${r.gateway6} is not in the rack subnet6 ${r.subnet6}`);
    const itf = topo.routers.find((x) => x.name === r.leaf)?.interfaces.find((x) => x.name === r.leafInterface);
    if (itf && (!itf.address6 || addressOf(itf.address6) !== r.gateway6))
      add(`racks[${i}].gateway6`, `gateway6 ${r.gateway6} is not ${r.leaf} ${itf.name}'s address6 (${itf.address6 ? addressOf(itf.address6) : 'none'})`);
    segments.push({ subnet: networkOf(r.subnet6), path: `racks[${i}].subnet6` });
  });
  topo.cluster.nodes.forEach((n, i) => {
    const rack = topo.racks.find((r) => r.name === n.rack);
    if (!n.ip6) return;
    if (!rack?.subnet6) add(`cluster.nodes[${i}].ip6`, `node ${n.name} has an ip6 but rack ${n.rack} has no subnet6/gateway6`);
    else if (!contains(rack.subnet6, n.ip6)) add(`cluster.nodes[${i}].ip6`, `node ${n.name} (${n.ip6}) is not on ${rack.name}'s subnet6 ${rack.subnet6}`);
  });
  for (let a = 0; a < segments.length; a++)
    for (let b = a + 1; b < segments.length; b++)
      if (overlaps(segments[a]!.subnet, segments[b]!.subnet))
        add(segments[b]!.path, `subnet ${segments[b]!.subnet} overlaps ${segments[a]!.subnet} (${segments[a]!.path}); give each segment its own subnet`);
  const ps6 = topo.cluster.podSubnet6;
  const explicit6 = topo.cluster.nodes.some((n) => n.podCIDR6);
  if (explicit6 && !ps6) add('cluster.podSubnet6', 'a node has a podCIDR6 but the cluster has no podSubnet6');
  if (ps6) {
    for (const s of segments) if (overlaps(s.subnet, ps6)) add('cluster.podSubnet6', `podSubnet6 ${ps6} overlaps ${s.subnet} (${s.path})`);
    const len = parsePrefix6(ps6).length;
    if (len > 64) add('cluster.podSubnet6', `podSubnet6 ${ps6} is smaller than one /64 per node`);
    else if (len > 48 && topo.cluster.nodes.length > 2 ** (64 - len))
      add('cluster.podSubnet6', `${topo.cluster.nodes.length} nodes need ${topo.cluster.nodes.length} /64s; ${ps6} has ${2 ** (64 - len)}`);
    else {
      const seen: string[] = [];
      topo.cluster.nodes.forEach((n, i) => {
        const c = podCidr6Of(topo, n)!;
        if (!contains(ps6, c)) add(`cluster.nodes[${i}].podCIDR6`, `IPv6 pod CIDR ${c} does not fit podSubnet6 ${ps6}`);
        const clash = seen.find((x) => overlaps(x, c));
        if (clash) add(`cluster.nodes[${i}].podCIDR6`, `IPv6 pod CIDR ${c} overlaps ${clash} of another node`);
        seen.push(c);
      });
      // A node with a pod IPv6 needs a way out: its ip6 and its rack's gateway6.
      topo.cluster.nodes.forEach((n, i) => {
        if (!n.ip6) add(`cluster.nodes[${i}].ip6`, `podSubnet6 is set but node ${n.name} has no ip6; give it one on its rack's subnet6`);
      });
    }
  }
  return issues;
}
