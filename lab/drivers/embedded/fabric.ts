// The embedded fabric as data: which namespaces, which veth pairs and bridges, which
// addresses, routes and sysctls, which daemons with which configs. Pure: `up` executes it
// in a few batched `ip` calls, tests can read it.
import { createHash } from 'node:crypto';
import type { Topology } from '../../topology/schema.js';
import { podsOf, rackOf, type Pod } from '../../topology/model.js';
import { renderFrrConf } from '../../render/frr.js';
import { desiredAgents, type DesiredAgent } from '../../cilium/desired.js';
import { deviceDir, deviceOfNs, nsName } from './names.js';
import { labDir } from '../index.js';
import { lowProbeAddressesOf, probeAddressesOf, probeBlockOf, renderCounterNft } from '../../inspect/paths.js';
import { planServices } from './services.js';
import { planIpv6 } from './ipv6.js';

/** containerlab's default veth MTU: the kind nodes' net0 and the rack bridges get it. */
export const CLAB_MTU = 9500;
/** Cilium's default pod MTU. */
export const POD_MTU = 1500;
/** Address-based ECMP (Linux's default, and what the rendered VyOS configs imply). */
export const HASH_POLICY = 0;

/** The ECMP hash seed of a router: from the lab's and router's names, never 0 (0 means random). */
export function hashSeedOf(lab: string, router: string): number {
  const n = createHash('sha256').update(`${lab}/${router}`).digest().readUInt32BE(0);
  return n || 1;
}

/** Pods route everything to this link-local gateway on the node. */
export const POD_GATEWAY = '169.254.1.1';

export interface NsPlan {
  ns: string;
  device: string;
  kind: 'router' | 'node' | 'pod' | 'bridge';
  /** `ip -batch` lines run inside the namespace after the links exist (from `batchFile`). */
  ipBatch: string[];
  batchFile: string;
  sysctls: string[];
}

export interface RouterPlan {
  name: string;
  ns: string;
  dir: string;
  frrConf: string;
}

export interface AgentPlan {
  node: string;
  ns: string;
  dir: string;
  nodeIp: string;
  /** gobgpd's API socket: short (by node index), since unix socket paths stop at 107 bytes. */
  socket: string;
  /** The node's persistent UTS namespace (a bind-mounted file): gobgpd's hostname is the node's name. */
  uts: string;
  hostname: string;
  /** What Cilium's agent wants this node's GoBGP to be (lab/cilium/desired.ts). */
  desired: DesiredAgent;
  /** The desired instance as text: two plans differ for a node exactly when this does. */
  conf: string;
  /** Prefixes the node advertises (pod CIDR when exportPodCIDR, service addresses). */
  announce: string[];
}

/** Where a lab keeps its agents' API sockets (short: see AgentPlan.socket). */
export function apiDir(lab: string): string {
  return `${labDir(lab)}/api`;
}

/**
 * A node's agent files whatever its intent: its directory and first socket (the socket is
 * numbered by the node's place in the cluster, as planFabric numbers it). For an agent kept
 * running through a policy conflict, which has no plan of its own.
 */
export function agentFilesOf(lab: string, topo: Topology, node: string): { dir: string; socket: string } | undefined {
  const i = topo.cluster.nodes.findIndex((n) => n.name === node);
  return i < 0 ? undefined : { dir: deviceDir(lab, node), socket: `${apiDir(lab)}/${i}.sock` };
}

export interface PodPlan extends Pod {
  ns: string;
  dir: string;
}

export interface FabricPlan {
  namespaces: NsPlan[];
  /** `ip -batch -` lines in the host's namespace that create links directly inside lab namespaces. */
  linkBatch: string[];
  routers: RouterPlan[];
  agents: AgentPlan[];
  pods: PodPlan[];
  /** nftables ruleset per node namespace: NodePort → demo pods, as kube-proxy does. */
  nodeNft: Map<string, string>;
  /** Every file `up` writes before it runs anything: path → content. */
  files: Map<string, string>;
  /** One host `ip -batch` that creates every namespace. */
  namespaceBatch: string[];
  /**
   * One host `ip -batch` that wires the fabric: links, then inside each namespace its own
   * batch, sysctls and nftables. One process instead of ~30: each program Node spawns costs
   * ~10 ms of its single thread.
   */
  wiringBatch: string[];
  /** One host `ip -batch` that starts the pods' web servers (start-stop-daemon returns at once). */
  podBatch: string[];
}

export function planFabric(lab: string, topo: Topology, podsPerNode = topo.demo.podsPerNode): FabricPlan {
  const ns = (d: string) => nsName(lab, d);
  const byNs = new Map<string, NsPlan>();
  const nsPlan = (device: string, kind: NsPlan['kind']): NsPlan => {
    const name = ns(device);
    let p = byNs.get(name);
    if (!p) {
      p = { ns: name, device, kind, ipBatch: ['link set lo up'], batchFile: `${labDir(lab)}/netns/${device}.ip`, sysctls: [] };
      byNs.set(name, p);
    }
    return p;
  };
  const linkBatch: string[] = [];
  const veth = (aNs: string, aIf: string, bNs: string, bIf: string) =>
    linkBatch.push(`link add ${aIf} netns ${aNs} type veth peer name ${bIf} netns ${bNs}`);

  // Routers: interfaces with their addresses and MTU; forwarding and address-based ECMP hashing.
  for (const r of topo.routers) {
    const p = nsPlan(r.name, 'router');
    for (const itf of r.interfaces) {
      p.ipBatch.push(`link set ${itf.name} mtu ${itf.mtu}`, `addr add ${itf.address} dev ${itf.name}`, `link set ${itf.name} up`);
    }
    // New namespaces start with rp_filter off; forwarding and ECMP hashing must be set up.
    // Hash on addresses only (policy 0), as the real lab does: the rendered VyOS configs set no
    // `layer4-hashing`. The seed is pinned per router from the lab's name, so a lab's paths are
    // the same on every run, and differs between routers (as on real ones), so a reply can take
    // another spine than its request. ICMP errors come from the interface the probe came in on,
    // as routers answer traceroute.
    p.sysctls.push(
      'net.ipv4.ip_forward=1',
      `net.ipv4.fib_multipath_hash_policy=${HASH_POLICY}`,
      `net.ipv4.fib_multipath_hash_seed=${hashSeedOf(lab, r.name)}`,
      'net.ipv4.icmp_errors_use_inbound_ifaddr=1',
    );
  }
  for (const l of topo.links) {
    const [a, b] = l.endpoints.map((e) => e.split(':') as [string, string]);
    veth(ns(a![0]), a![1], ns(b![0]), b![1]);
  }

  // Racks: a bridge in its own namespace; nodes on ports netN, the leaf on the next one.
  for (const rack of topo.racks) {
    const br = nsPlan(rack.bridge, 'bridge');
    br.ipBatch.push(`link add ${rack.bridge} type bridge`, `link set ${rack.bridge} mtu ${CLAB_MTU} up`);
    const nodes = topo.cluster.nodes.filter((n) => n.rack === rack.name);
    const port = (i: number) => `${rack.bridge}-net${i}`;
    nodes.forEach((n, i) => {
      veth(ns(n.name), n.interface, br.ns, port(i));
      br.ipBatch.push(`link set ${port(i)} mtu ${CLAB_MTU} master ${rack.bridge} up`);
    });
    veth(ns(rack.leaf), rack.leafInterface, br.ns, port(nodes.length));
    br.ipBatch.push(`link set ${port(nodes.length)} mtu ${CLAB_MTU} master ${rack.bridge} up`);
  }

  // Nodes: net0 on the rack LAN, default route to the leaf, pods behind veths (lxcN).
  const pods = podsOf(topo, podsPerNode);
  const agents: AgentPlan[] = [];
  const nodeNft = new Map<string, string>();
  for (const n of topo.cluster.nodes) {
    const rack = rackOf(topo, n);
    const p = nsPlan(n.name, 'node');
    const prefixLen = rack.subnet.split('/')[1];
    p.ipBatch.push(
      `link set ${n.interface} mtu ${CLAB_MTU}`,
      `addr add ${n.ip}/${prefixLen} dev ${n.interface}`,
      `link set ${n.interface} up`,
      `route replace default via ${rack.gateway} dev ${n.interface}`,
    );
    p.sysctls.push('net.ipv4.ip_forward=1');
    pods
      .filter((pod) => pod.node === n.name)
      .forEach((pod, i) => {
        const lxc = `lxc${i}`;
        veth(p.ns, lxc, ns(pod.name), 'eth0');
        // The pod's gateway address lives on every lxc of the node (as on cilium_host), so the
        // node answers the pod's ARP for it without proxy ARP.
        // The pod's probe block (check's extra source/destination addresses) lives behind the same lxc.
        p.ipBatch.push(
          `link set ${lxc} mtu ${POD_MTU} up`,
          `addr add ${POD_GATEWAY}/32 dev ${lxc} scope link`,
          `route add ${pod.ip}/32 dev ${lxc} scope link`,
          `route add ${probeBlockOf(pod)} dev ${lxc} scope link`,
          ...lowProbeAddressesOf(pod).map((a) => `route add ${a}/32 dev ${lxc} scope link`),
        );
        const podNs = nsPlan(pod.name, 'pod');
        podNs.ipBatch.push(
          `link set eth0 mtu ${POD_MTU}`,
          `addr add ${pod.ip}/32 dev eth0`,
          ...probeAddressesOf(pod).map((a) => `addr add ${a}/32 dev eth0`),
          'link set eth0 up',
          `route add ${POD_GATEWAY} dev eth0 scope link`,
          // The pod's own address is the source of everything but check's path probes.
          `route add default via ${POD_GATEWAY} dev eth0 src ${pod.ip}`,
        );
      });
    nodeNft.set(p.ns, renderNodePortNft(topo, pods, n.ip));
  }
  // A node agent where Cilium would run BGP: the model says what each one wants.
  desiredAgents(topo).forEach((intent, i) => {
    if (intent.state !== 'configured') return;
    const a = intent.agent;
    const node = topo.cluster.nodes.find((n) => n.name === intent.node)!;
    agents.push({
      node: a.node,
      ns: ns(a.node),
      dir: deviceDir(lab, a.node),
      nodeIp: node.ip,
      socket: `${apiDir(lab)}/${i}.sock`,
      uts: `${deviceDir(lab, a.node)}/uts`,
      hostname: a.hostname,
      desired: a,
      conf: JSON.stringify(a.instances),
      announce: a.instances.flatMap((x) => x.paths.map((p) => p.prefix)),
    });
  });

  // Dual stack (lab/drivers/embedded/ipv6.ts): IPv6 lines beside the IPv4 ones; nothing for IPv4-only.
  const v6 = planIpv6(topo, pods, (d) => byNs.get(ns(d)), () => [...byNs.values()]);
  const svcPlan = planServices(lab, topo, podsPerNode, nsPlan, veth);

  const routers: RouterPlan[] = topo.routers.map((r) => ({
    name: r.name,
    ns: ns(r.name),
    dir: deviceDir(lab, r.name),
    frrConf: renderFrrConf(topo, r, { fastTimers: true, logFile: `${deviceDir(lab, r.name)}/frr.log`, kernelNexthopGroups: false }),
  }));

  // Leaves count check's probes per uplink and direction: the proof each ECMP member carried them.
  const nft = new Map<string, string>([...nodeNft]);
  for (const r of topo.routers.filter((x) => x.role === 'leaf')) {
    const rack = topo.racks.find((k) => k.leaf === r.name);
    nft.set(ns(r.name), renderCounterNft(r.interfaces.map((i) => i.name).filter((i) => i !== rack?.leafInterface)));
  }

  for (const [devNs, rules] of svcPlan.nft) nft.set(devNs, (nft.get(devNs) ?? '') + rules);
  const namespaces = [...byNs.values()];
  const podPlans = pods.map((pod) => ({ ...pod, ns: ns(pod.name), dir: deviceDir(lab, pod.name) }));
  const nftFile = (devNs: string) => `${deviceDir(lab, deviceOfNs(devNs))}/${nodeNft.has(devNs) ? 'kube-proxy' : 'counters'}.nft`;
  const files = new Map<string, string>([
    ...routers.map((r): [string, string] => [`${r.dir}/frr.conf`, r.frrConf]),
    ...podPlans.map((p): [string, string] => [`${p.dir}/www/index.html`, `${p.name}\n`]),
    ...[...nft].map(([devNs, rules]): [string, string] => [nftFile(devNs), rules]),
    ...namespaces.map((n): [string, string] => [n.batchFile, n.ipBatch.join('\n') + '\n']),
    ...svcPlan.files,
  ]);
  // Absolute paths: `ip netns exec` would otherwise search PATH for each program.
  const wiringBatch = [
    ...v6.beforeLinks,
    ...linkBatch,
    ...namespaces.flatMap((n) => [
      `netns exec ${n.ns} /usr/sbin/ip -batch ${n.batchFile}`,
      ...(n.sysctls.length ? [`netns exec ${n.ns} /usr/sbin/sysctl -q -e -w ${n.sysctls.join(' ')}`] : []),
      ...(nft.has(n.ns) ? [`netns exec ${n.ns} /usr/sbin/nft -f ${nftFile(n.ns)}`] : []),
    ]),
  ];
  // Argument lists joined by spaces: every word is a checked name or a path under the lab dir.
  const podBatch = podPlans.map((p) =>
    ['netns', 'exec', p.ns, '/usr/sbin/start-stop-daemon', '--start', '--quiet', '--background', '--make-pidfile', '--pidfile', `${p.dir}/httpd.pid`,
      '--exec', '/usr/bin/busybox', '--', 'httpd', '-f', '-p', '80', '-h', `${p.dir}/www`].join(' '),
  );
  podBatch.push(...svcPlan.podBatch);
  const namespaceBatch = namespaces.map((n) => `netns add ${n.ns}`);
  return { namespaces, linkBatch, routers, agents, pods: podPlans, nodeNft, files, namespaceBatch, wiringBatch, podBatch };
}

/** kube-proxy's NodePort: any node's :nodePort load-balances over every demo pod, masqueraded. */
function renderNodePortNft(topo: Topology, pods: Pod[], nodeIp: string): string {
  const { nodePort, targetPort } = topo.demo.service;
  const map = pods.map((p, i) => `${i} : ${p.ip}`).join(', ');
  return [
    'table ip bgplab-kube-proxy {',
    '  chain prerouting {',
    '    type nat hook prerouting priority dstnat; policy accept;',
    `    ip daddr ${nodeIp} tcp dport ${nodePort} dnat to numgen random mod ${pods.length} map { ${map} } : ${targetPort}`,
    '  }',
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    `    ct original ip daddr ${nodeIp} ct status dnat masquerade`,
    '  }',
    '}',
    '',
  ].join('\n');
}
