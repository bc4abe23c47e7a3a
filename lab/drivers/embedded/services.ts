// The embedded datapath of Services, workloads and the external client:
// - every node load-balances each Service IP with nftables as kube-proxy / Cilium would:
//   Cluster → any endpoint (round robin per node: numgen inc, so which backends answer does not
//   depend on luck), masqueraded when the endpoint is on another node; Local → only this node's
//   endpoints, client source preserved; no endpoint → dropped (Cilium drops, it never forwards on);
// - Deployment pods are namespaces behind the node like the demo pods (lab/services/endpoints.ts);
// - the client is a namespace on its own LAN with the spines (a bridge namespace); it spreads new
//   connections over the spines in turn (conntrack mark → routing table), so `check --from client`
//   covers both spines deterministically; the spines count the client's connections per interface.
// Pure planning first (planServices), then the runtime reconcile for `workload scale`,
// `service set` & co. Every word of an `ip -batch` line is a checked name, address or lab path.
import type { Topology } from '../../topology/schema.js';
import type { Pod } from '../../topology/model.js';
import type { LabRecord } from '../types.js';
import type { EmbeddedDriver } from './index.js';
import { findNode } from '../../topology/model.js';
import { desiredAgentOf } from '../../cilium/desired.js';
import { endpointsOf, servicesOf, workloadPods, type WorkloadPod } from '../../services/endpoints.js';
import { lbIpam, serviceKey } from '../../services/lbipam.js';
import { deviceDir, nsName } from './names.js';
import { labDir } from '../index.js';
import { runOk } from '../../runners/local.js';
import { LabError } from '../../errors.js';

export const SERVICES_TABLE = 'bgplab-services';
export const CLIENT_COUNTER_TABLE = 'bgplab-client-in';
const POD_MTU = 1500;
const CLAB_MTU = 9500;
const POD_GATEWAY = '169.254.1.1';

/** The lxc-like interface of a workload pod on its node: one per address, so names never collide. */
export const workloadIfname = (p: WorkloadPod) => `lxw${p.ip.split('.')[3]}`;

interface NsLike {
  ns: string;
  device: string;
  ipBatch: string[];
  sysctls: string[];
}

export interface ServicesPlan {
  /** nftables per namespace (node: its Service table; spines: client counters; client: its spread). */
  nft: Map<string, string>;
  files: Map<string, string>;
  podBatch: string[];
  pods: (WorkloadPod & { ns: string; dir: string })[];
}

/** The Service IPs each node announces now (from the agent model: desiredAgents' Service paths). */
export function serviceAnnouncements(topo: Topology, node: string): string[] {
  const intent = desiredAgentOf(topo, node);
  if (intent?.state !== 'configured') return [];
  return intent.agent.instances.flatMap((i) => i.paths).filter((p) => p.reason.startsWith('Service ')).map((p) => p.prefix);
}

/**
 * Adds workload pods, the client and its LAN to the fabric plan (namespaces through `nsPlan`,
 * veth pairs through `veth`), and returns the files, nftables and pod starts they need.
 */
export function planServices(
  lab: string,
  topo: Topology,
  podsPerNode: number,
  nsPlan: (device: string, kind: 'router' | 'node' | 'pod' | 'bridge') => NsLike,
  veth: (aNs: string, aIf: string, bNs: string, bIf: string) => void,
): ServicesPlan {
  const ns = (d: string) => nsName(lab, d);
  const nft = new Map<string, string>();
  const files = new Map<string, string>();
  const pods = workloadPods(topo).map((p) => ({ ...p, ns: ns(p.name), dir: deviceDir(lab, p.name) }));
  for (const p of pods) {
    const node = nsPlan(p.node, 'node');
    const pod = nsPlan(p.name, 'pod');
    veth(node.ns, workloadIfname(p), pod.ns, 'eth0');
    node.ipBatch.push(...nodeLinesFor(p));
    pod.ipBatch.push(...podLinesFor(p));
    files.set(`${p.dir}/www/index.html`, `${p.name}\n`);
  }
  if (servicesOf(topo).length) for (const n of topo.cluster.nodes) nft.set(ns(n.name), renderServiceNft(topo, n.name, podsPerNode));
  const c = topo.client;
  if (c) {
    const br = nsPlan(c.bridge, 'bridge');
    br.ipBatch.push(`link add ${c.bridge} type bridge`, `link set ${c.bridge} mtu ${CLAB_MTU} up`);
    const client = nsPlan(c.name, 'bridge');
    const members = [{ ns: client.ns, iface: c.interface }, ...c.gateways.map((g) => ({ ns: ns(g.router), iface: g.interface }))];
    members.forEach((m, i) => {
      veth(m.ns, m.iface, br.ns, `${c.bridge}-p${i}`);
      br.ipBatch.push(`link set ${c.bridge}-p${i} mtu ${CLAB_MTU} master ${c.bridge} up`);
    });
    const len = c.subnet.split('/')[1];
    const gws = c.gateways.map((g) => gatewayAddress(topo, g.router, g.interface));
    client.ipBatch.push(
      `addr add ${c.address}/${len} dev ${c.interface}`,
      `link set ${c.interface} up`,
      `route add default ${gws.map((gw) => `nexthop via ${gw} dev ${c.interface}`).join(' ')}`,
      // Marked connections (1, 2, …) take spine 1, 2, … : the spread check relies on.
      ...gws.flatMap((gw, i) => [`route add default via ${gw} dev ${c.interface} table ${101 + i}`, `rule add fwmark ${i + 1} table ${101 + i}`]),
    );
    client.sysctls.push('net.ipv4.fib_multipath_hash_policy=1');
    nft.set(client.ns, renderClientNft(gws.length));
    for (const g of c.gateways) nft.set(ns(g.router), renderClientCounterNft(g.interface));
  }
  const podBatch = pods.map((p) => httpdLine(p));
  return { nft, files, podBatch, pods };
}

function gatewayAddress(topo: Topology, router: string, iface: string): string {
  const itf = topo.routers.find((r) => r.name === router)?.interfaces.find((i) => i.name === iface);
  if (!itf) throw new LabError(`client gateway ${router}:${iface} is not an interface of the topology`);
  return itf.address.split('/')[0]!;
}

function nodeLinesFor(p: WorkloadPod): string[] {
  const lxc = workloadIfname(p);
  return [`link set ${lxc} mtu ${POD_MTU} up`, `addr add ${POD_GATEWAY}/32 dev ${lxc} scope link`, `route add ${p.ip}/32 dev ${lxc} scope link`];
}

function podLinesFor(p: WorkloadPod): string[] {
  return ['link set lo up', `link set eth0 mtu ${POD_MTU}`, `addr add ${p.ip}/32 dev eth0`, 'link set eth0 up', `route add ${POD_GATEWAY} dev eth0 scope link`, `route add default via ${POD_GATEWAY} dev eth0 src ${p.ip}`];
}

function httpdLine(p: { ns: string; dir: string }): string {
  return ['netns', 'exec', p.ns, '/usr/sbin/start-stop-daemon', '--start', '--quiet', '--background', '--make-pidfile', '--pidfile', `${p.dir}/httpd.pid`,
    '--exec', '/usr/bin/busybox', '--', 'httpd', '-f', '-p', '80', '-h', `${p.dir}/www`].join(' ');
}

/**
 * A node's Service table: DNAT per Service IP and port. Replaced whole (`delete table` first), so
 * the same file serves `up` and every reconcile.
 */
export function renderServiceNft(topo: Topology, node: string, podsPerNode: number): string {
  const ipam = lbIpam(topo);
  const n = findNode(topo, node)!;
  const rules: string[] = [];
  const snat: string[] = [];
  for (const svc of servicesOf(topo)) {
    const ip = ipam.allocations.get(serviceKey(svc))?.ip;
    if (!ip) continue;
    const all = endpointsOf(topo, svc, podsPerNode);
    const eps = svc.externalTrafficPolicy === 'Local' ? all.filter((e) => e.node === node) : all;
    const match = `ip daddr ${ip} tcp dport ${svc.port}`;
    if (!eps.length) {
      rules.push(`    ${match} counter drop comment "${svc.name}: no endpoint"`);
      continue;
    }
    const map = eps.map((e, i) => `${i} : ${e.ip}`).join(', ');
    rules.push(`    ${match} counter dnat to numgen inc mod ${eps.length} map { ${map} } : ${svc.targetPort} comment "${svc.name}"`);
    // Cluster: an endpoint on another node sees the node as source (kube-proxy masquerades),
    // so its reply comes back here to be un-NATed. Local: only local endpoints, source kept.
    if (svc.externalTrafficPolicy === 'Cluster') snat.push(`    ct original ip daddr ${ip} oifname "${n.interface}" counter masquerade comment "${svc.name}"`);
  }
  return [
    `table ip ${SERVICES_TABLE}`,
    `delete table ip ${SERVICES_TABLE}`,
    `table ip ${SERVICES_TABLE} {`,
    '  chain prerouting {',
    '    type nat hook prerouting priority dstnat - 1; policy accept;',
    ...rules,
    '  }',
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat - 1; policy accept;',
    ...snat,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** New connections of the client alternate over its routing tables 101, 102, … (one per spine). */
function renderClientNft(gateways: number): string {
  return [
    'table ip bgplab-client {',
    '  chain out {',
    '    type route hook output priority mangle; policy accept;',
    `    ct state new ct mark set numgen inc mod ${gateways} offset 1`,
    '    meta mark set ct mark',
    '  }',
    '}',
    '',
  ].join('\n');
}

/** The spine counts connections (SYNs) arriving from the client LAN. */
function renderClientCounterNft(iface: string): string {
  return [
    `table ip ${CLIENT_COUNTER_TABLE} {`,
    '  chain pre {',
    '    type filter hook prerouting priority -300; policy accept;',
    `    iifname "${iface}" tcp flags & (syn | ack) == syn counter comment "client syn"`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** The nft file of a device's Service table (under the lab directory). */
const serviceNftFile = (lab: string, device: string) => `${deviceDir(lab, device)}/services.nft`;

/**
 * What Cilium and Kubernetes do after an edit of Services, pools or workloads: pods created or
 * removed, every node's Service table replaced, and each running agent's Service /32s added or
 * withdrawn in its gobgpd (agents restarted by the policy reconcile already announce the new set).
 */
export async function reconcileServices(d: EmbeddedDriver, before: LabRecord, after: LabRecord): Promise<{ podsAdded: string[]; podsRemoved: string[]; announced: string[]; withdrawn: string[] }> {
  const lab = d.lab;
  const key = (p: WorkloadPod) => `${p.name} ${p.ip} ${p.node}`;
  const was = new Map(workloadPods(before.topology).map((p) => [key(p), p]));
  const now = new Map(workloadPods(after.topology).map((p) => [key(p), p]));
  const removed = [...was].filter(([k]) => !now.has(k)).map(([, p]) => p);
  const added = [...now].filter(([k]) => !was.has(k)).map(([, p]) => p);
  for (const p of removed) {
    const pid = (await d.runner.readFile(`${deviceDir(lab, p.name)}/httpd.pid`).catch(() => undefined))?.trim();
    if (pid && /^\d+$/.test(pid)) await d.runner.run(['kill', '-9', pid]);
  }
  if (removed.length) await runOk(d.runner, ['ip', '-batch', '-'], { input: removed.map((p) => `netns del ${nsName(lab, p.name)}`).join('\n') + '\n' });
  if (removed.length) await d.runner.run(['rm', '-rf', ...removed.map((p) => deviceDir(lab, p.name))]);
  if (added.length) {
    const lines: string[] = [];
    for (const p of added) {
      const dir = deviceDir(lab, p.name);
      const podFile = `${labDir(lab)}/netns/${p.name}.ip`;
      const nodeFile = `${labDir(lab)}/netns/${p.node}.${workloadIfname(p)}.ip`;
      await d.runner.writeFile(`${dir}/www/index.html`, `${p.name}\n`);
      await d.runner.writeFile(podFile, podLinesFor(p).join('\n') + '\n');
      await d.runner.writeFile(nodeFile, nodeLinesFor(p).join('\n') + '\n');
      const pns = nsName(lab, p.name);
      const nns = nsName(lab, p.node);
      lines.push(`netns add ${pns}`, `link add ${workloadIfname(p)} netns ${nns} type veth peer name eth0 netns ${pns}`, `netns exec ${nns} /usr/sbin/ip -batch ${nodeFile}`, `netns exec ${pns} /usr/sbin/ip -batch ${podFile}`, httpdLine({ ns: pns, dir }));
    }
    await runOk(d.runner, ['ip', '-batch', '-'], { input: lines.join('\n') + '\n' });
  }
  // Every node's table from the new model (endpoints, IPs and policies may all have moved).
  if (servicesOf(after.topology).length || servicesOf(before.topology).length) {
    await Promise.all(after.topology.cluster.nodes.map(async (n) => {
      const file = serviceNftFile(lab, n.name);
      await d.runner.writeFile(file, renderServiceNft(after.topology, n.name, after.podsPerNode));
      await runOk(d.runner, ['ip', 'netns', 'exec', nsName(lab, n.name), 'nft', '-f', file]);
    }));
  }
  // The /32s themselves are the agents' paths (desiredAgents → reconcileAgents adds and withdraws
  // them through GoBGP's API); here only what changed, per node, for the command's answer.
  const announced: string[] = [];
  const withdrawn: string[] = [];
  for (const n of after.topology.cluster.nodes) {
    if (desiredAgentOf(after.topology, n.name)?.state !== 'configured') continue;
    const a = new Set(serviceAnnouncements(before.topology, n.name));
    const b = new Set(serviceAnnouncements(after.topology, n.name));
    for (const prefix of [...a].filter((x) => !b.has(x))) withdrawn.push(`${n.name} ${prefix}`);
    for (const prefix of [...b].filter((x) => !a.has(x))) announced.push(`${n.name} ${prefix}`);
  }
  announced.sort(), withdrawn.sort();
  return { podsAdded: added.map((p) => p.name), podsRemoved: removed.map((p) => p.name), announced, withdrawn };
}

/** Workload pods as check's pods (for HTTP to a pod by name). */
export function workloadPodsAsPods(topo: Topology): Pod[] {
  return workloadPods(topo).map((p) => ({ name: p.name, node: p.node, ip: p.ip, podCIDR: p.podCIDR }));
}
