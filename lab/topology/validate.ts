// Semantic checks on top of the schema: what a network engineer would catch in review.
// Each issue names the field path and says what to do.
import type { Topology } from './schema.js';
import { addressOf, contains, isValidIp, networkOf, overlaps, parsePrefix } from './ip.js';
import { podCidrOf } from './model.js';
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
      if (!r.interfaces.some((itf) => networkOf(itf.address) === networkOf(n)))
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
      const router = topo.routers.find((x) => x.interfaces.some((itf) => addressOf(itf.address) === n.address));
      const node = topo.cluster.nodes.find((x) => x.ip === n.address);
      if (router === r) add(`${path}.address`, `${n.address} is ${r.name}'s own address`);
      else if (router && router.asn !== n.asn) add(`${path}.asn`, `${router.name} is AS ${router.asn}, not ${n.asn}`);
      else if (node) {
        const intent = intentOf(topo, node);
        if (intent.state === 'configured' && !intent.agent.instances.some((x) => x.localASN === n.asn))
          add(`${path}.asn`, `node ${node.name} runs AS ${intent.agent.instances.map((x) => x.localASN).join(', ')} (${intent.agent.sources[0]}), not ${n.asn}`);
      } else if (!router) add(`${path}.address`, `no router interface or node has address ${n.address}`);
      // iBGP peers need not share a subnet (FRR's iBGP TTL is 255): a node's second virtual router may peer with a spine across its leaf.
      if (n.asn !== r.asn && !r.interfaces.some((itf) => contains(itf.address, n.address)))
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
        const router = topo.routers.find((x) => x.interfaces.some((itf) => addressOf(itf.address) === ip));
        if (!router) add(`${path}.peerAddress`, `${n.peerAddress} matches no router address; use the leaf's rack-LAN address`);
        else if (router.asn !== n.peerASN) add(`${path}.peerASN`, `${router.name} (${ip}) is AS ${router.asn}, not ${n.peerASN}`);
      }),
    );
  });
  if (!issues.length) issues.push(...ciliumIssues(topo));
  issues.push(...validateServices(topo));
  return issues;
}
