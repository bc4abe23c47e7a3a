// Operations on a running embedded lab, for operators and drills: links, daemons, netem,
// static routes, agent reconfiguration. Each one is what an on-call engineer (or a fault)
// does to a real fabric; every program is an argv array through the driver's runner.
import type { Driver, LabRecord } from '../types.js';
import type { Topology } from '../../topology/schema.js';
import { LabError } from '../../errors.js';
import { labDir } from '../index.js';
import { EmbeddedDriver } from './index.js';
import { planFabric } from './fabric.js';
import { deviceDir, nsName } from './names.js';
import { runOk } from '../../runners/local.js';
import { podsOf } from '../../topology/model.js';
import type { ConnectMode } from './agents.js';
import type { ReconcileReport } from '../../gobgp/reconcile.js';

const FRR = '/usr/lib/frr';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function embeddedOnly(driver: Driver): EmbeddedDriver {
  if (driver instanceof EmbeddedDriver) return driver;
  throw new LabError(`this operation needs the embedded driver; lab runs on ${driver.name}`, { hint: 'use kubectl/containerlab on a kind lab' });
}

export async function requireRecord(driver: Driver): Promise<LabRecord> {
  const rec = await driver.record();
  if (!rec) throw new LabError('the lab is not up', { hint: 'run `bgp-lab up`' });
  return rec;
}

async function inNs(d: EmbeddedDriver, device: string, argv: string[]): Promise<string> {
  const r = await d.exec(device, argv);
  if (r.exitCode !== 0) throw new LabError(`${device}: ${argv.join(' ')} failed: ${(r.stderr || r.stdout).trim().split('\n')[0]}`, { hint: 'see `bgp-lab status`' });
  return r.stdout;
}

export interface LinkInfo {
  device: string;
  iface: string;
  adminUp: boolean;
  carrier: boolean;
  mtu: number;
}

export async function linkInfo(d: EmbeddedDriver, device: string, iface: string): Promise<LinkInfo> {
  const [l] = JSON.parse(await inNs(d, device, ['ip', '-j', 'link', 'show', 'dev', iface])) as { flags: string[]; mtu: number; operstate: string }[];
  return { device, iface, adminUp: l!.flags.includes('UP'), carrier: l!.flags.includes('LOWER_UP'), mtu: l!.mtu };
}

export async function setLink(d: EmbeddedDriver, device: string, iface: string, state: 'up' | 'down', mtu?: number): Promise<LinkInfo> {
  await inNs(d, device, ['ip', 'link', 'set', 'dev', iface, ...(mtu ? ['mtu', String(mtu)] : []), state]);
  return linkInfo(d, device, iface);
}

/**
 * Forget the path MTUs the pods learned (ICMP frag-needed while a link's MTU was low): the kernel
 * keeps them 10 minutes, so big packets keep failing long after the link is fixed. One `ip -batch`
 * for every pod; returns how many pods.
 */
export async function flushPathMtu(d: EmbeddedDriver, topo: Topology, podsPerNode?: number): Promise<number> {
  const pods = podsOf(topo, podsPerNode);
  if (!pods.length) return 0;
  await runOk(d.runner, ['ip', '-batch', '-'], { input: pods.map((p) => `netns exec ${nsName(d.lab, p.name)} /usr/sbin/ip route flush cache`).join('\n') + '\n' });
  return pods.length;
}

/** The pid in a daemon's pid file, when that process is alive. */
export async function daemonPid(d: EmbeddedDriver, device: string, daemon: string): Promise<number | undefined> {
  const pid = (await d.runner.readFile(`${deviceDir(d.lab, device)}/${daemon}.pid`))?.trim();
  if (!pid) return undefined;
  const r = await d.runner.run(['kill', '-0', pid]);
  return r.exitCode === 0 ? Number(pid) : undefined;
}

/** Signals a daemon and waits until it is gone (SIGKILL after 3 s): a restart must not race it. */
export async function killDaemon(d: EmbeddedDriver, device: string, daemon: string, signal: 'TERM' | 'KILL' = 'TERM'): Promise<boolean> {
  const pid = await daemonPid(d, device, daemon);
  if (!pid) return false;
  await d.runner.run(['kill', `-${signal}`, String(pid)]);
  const deadline = Date.now() + 3000;
  while ((await d.runner.run(['kill', '-0', String(pid)])).exitCode === 0) {
    if (Date.now() > deadline) await d.runner.run(['kill', '-KILL', String(pid)]);
    await sleep(50);
  }
  return true;
}

/** zebra + bgpd (and a drill's staticd) stopped, then started from frr.conf: runtime edits are gone. */
export async function restartRouter(d: EmbeddedDriver, router: string): Promise<void> {
  for (const daemon of ['staticd', 'bgpd', 'zebra']) await killDaemon(d, router, daemon);
  await d.startRouter(router);
}

/** How the lab's sessions open (records from before the mode existed ran Cilium's way too). */
export function connectModeOf(rec: LabRecord): ConnectMode {
  return rec.connectMode ?? 'cilium';
}

/**
 * `agent restart`, as deleting the node's Cilium pod does: the process is killed (no BGP
 * NOTIFICATION, so a leaf that is a graceful-restart helper keeps its routes as stale), a new
 * gobgpd starts and is configured from the intent.
 */
export async function restartAgent(d: EmbeddedDriver, rec: LabRecord, node: string): Promise<{ running: boolean; announced: string[] }> {
  await killDaemon(d, node, 'gobgpd', 'KILL');
  const agent = planFabric(d.lab, rec.topology, rec.podsPerNode).agents.find((a) => a.node === node);
  if (!agent) return { running: false, announced: [] }; // no policy selects it: Cilium runs no BGP there
  await d.startAgent(agent, connectModeOf(rec));
  return { running: true, announced: agent.announce };
}

/** Nodes whose intent (or its absence) differs between two models: the agents Cilium reconciles. */
export function nodesWithChangedPolicy(before: Topology, after: Topology, podsPerNode: number, lab: string): string[] {
  const a = planFabric(lab, before, podsPerNode).agents;
  const b = planFabric(lab, after, podsPerNode).agents;
  return after.cluster.nodes
    .map((n) => n.name)
    .filter((n) => {
      const x = a.find((p) => p.node === n);
      const y = b.find((p) => p.node === n);
      return x?.conf !== y?.conf || x?.hostname !== y?.hostname;
    });
}

export interface AgentChange {
  node: string;
  running: boolean;
  announced: string[];
  /** What the reconcile did; undefined when the agent was started or stopped instead. */
  report?: ReconcileReport;
  /**
   * Two peering policies select the node and its Cilium (1.16–1.18) keeps the agent as it was:
   * the reconcile stops at the selection error, nothing applied, nothing withdrawn.
   */
  kept?: true;
}

/**
 * The model changed under a running lab: each node whose intent changed is reconciled in
 * place, as Cilium's reconcilers do (neighbors and paths one by one, the instance recreated
 * only when its ASN, router id or listen port change). A node newly selected gets an agent;
 * a node no longer selected loses it (Cilium removes its BGP instance).
 *
 * A node two peering policies select: 1.14–1.15 withdraw everything (the agent stops, as
 * FullWithdrawal leaves no BGP server); 1.16–1.18 return the selection error before touching
 * anything, so the node's agent is left exactly as it is (running or not) until the conflict
 * is gone, then reconciled against what it last applied (pkg/bgpv1/agent/controller.go
 * Reconcile; lab/cilium/version.ts keepsStateOnPolicyConflict).
 */
export async function reconcileAgents(d: EmbeddedDriver, before: LabRecord, after: Topology): Promise<AgentChange[]> {
  const { desiredAgents } = await import('../../cilium/desired.js');
  const { keepsStateOnPolicyConflict } = await import('../../cilium/version.js');
  const { agentFilesOf } = await import('./fabric.js');
  const stateOf = (t: Topology) => new Map(desiredAgents(t).map((i) => [i.node, i.state]));
  const [was, now] = [stateOf(before.topology), stateOf(after)];
  const held = after.cluster.nodes.map((n) => n.name).filter((n) => now.get(n) === 'conflict' && keepsStateOnPolicyConflict(after.cilium.version));
  // A node leaving a conflict is reconciled even when its plan did not change (it had none):
  // an agent kept through the conflict runs what it applied before, not what the model says.
  const leaving = after.cluster.nodes.map((n) => n.name).filter((n) => was.get(n) === 'conflict' && now.get(n) !== 'conflict');
  const touched = [...new Set([...nodesWithChangedPolicy(before.topology, after, before.podsPerNode, d.lab), ...leaving])];
  const changed = touched.filter((n) => !held.includes(n));
  const filesOf = (node: string) => agentFilesOf(d.lab, before.topology, node) ?? agentFilesOf(d.lab, after, node);
  const plan = planFabric(d.lab, after, before.podsPerNode).agents;
  const mode = connectModeOf(before);
  try {
    const keptAgents = await Promise.all(
      // The nodes this edit concerned whose agent Cilium leaves as it was: said, not touched.
      held.filter((n) => touched.includes(n)).map(async (node): Promise<AgentChange> => {
        const files = filesOf(node)!;
        const alive = await daemonPid(d, node, 'gobgpd');
        return { node, running: Boolean(alive), announced: alive ? await d.agents.appliedPrefixes(files) : [], kept: true };
      }),
    );
    const reconciled = await Promise.all(
      changed.map(async (node): Promise<AgentChange> => {
        const agent = plan.find((a) => a.node === node);
        const alive = await daemonPid(d, node, 'gobgpd');
        if (!agent) {
          if (alive) await killDaemon(d, node, 'gobgpd', 'KILL');
          await d.agents.stopExtraInstances(filesOf(node)); // agent: every instance's gobgpd
          await d.runner.run(['rm', '-f', '--', `${deviceDir(d.lab, node)}/agent.json`]);
          return { node, running: false, announced: [] };
        }
        if (!alive) {
          await d.startAgent(agent, mode);
          return { node, running: true, announced: agent.announce };
        }
        const report = await d.agents.configure(agent, mode, { fresh: false });
        return { node, running: true, announced: agent.announce, report };
      }),
    );
    return [...reconciled, ...keptAgents.filter((k) => k.running)];
  } finally {
    d.agents.close();
  }
}

export interface Netem {
  delayMs?: number;
  lossPct?: number;
}

export async function setNetem(d: EmbeddedDriver, device: string, iface: string, netem: Netem | 'clear'): Promise<string | undefined> {
  const table = `bgplab-netem-${iface}`;
  if (netem === 'clear') {
    if ((await d.exec(device, ['tc', 'qdisc', 'show', 'dev', iface])).stdout.includes('netem')) await inNs(d, device, ['tc', 'qdisc', 'del', 'dev', iface, 'root']);
    if ((await d.exec(device, ['nft', 'list', 'table', 'ip', table])).exitCode === 0) await inNs(d, device, ['nft', 'delete', 'table', 'ip', table]);
    return netemOf(d, device, iface);
  }
  const args = [...(netem.delayMs ? ['delay', `${netem.delayMs}ms`] : []), ...(netem.lossPct ? ['loss', `${netem.lossPct}%`] : [])];
  const r = await d.exec(device, ['tc', 'qdisc', 'replace', 'dev', iface, 'root', 'netem', ...args]);
  if (r.exitCode === 0) return netemOf(d, device, iface);
  if (!/qdisc kind is unknown/.test(r.stderr)) throw new LabError(`${device}: tc netem on ${iface} failed: ${r.stderr.trim().split('\n')[0]}`);
  // Kernels without sch_netem: random loss with nftables instead; delay has no substitute.
  if (!netem.lossPct) throw new LabError(`this kernel has no netem qdisc: delay cannot be added on ${device} ${iface}`, { hint: 'use --loss (done with nftables here)' });
  const rules = [`table ip ${table} {`, `  chain out { type filter hook postrouting priority 0; policy accept; oifname "${iface}" numgen random mod 100 < ${Math.round(netem.lossPct)} counter drop; }`, '}', ''].join('\n');
  await runOk(d.runner, ['ip', 'netns', 'exec', nsName(d.lab, device), 'nft', '-f', '-'], { input: rules });
  return netemOf(d, device, iface);
}

/** The impairment on an interface (tc netem, or the nftables loss fallback); undefined when none. */
export async function netemOf(d: EmbeddedDriver, device: string, iface: string): Promise<string | undefined> {
  const out = await inNs(d, device, ['tc', 'qdisc', 'show', 'dev', iface]);
  const q = out.split('\n').find((l) => l.includes('netem'))?.trim();
  if (q) return q;
  const nft = await d.exec(device, ['nft', 'list', 'table', 'ip', `bgplab-netem-${iface}`]);
  const m = /mod 100 < (\d+)/.exec(nft.stdout);
  return nft.exitCode === 0 && m ? `nftables loss ${m[1]}% on ${iface} (no netem in this kernel)` : undefined;
}

/** Runtime config through vtysh (several -c, as typed); staticd started first when a static route needs it. */
export async function vtyshConfig(d: EmbeddedDriver, router: string, lines: string[]): Promise<void> {
  const dir = deviceDir(d.lab, router);
  if (lines.some((l) => /^(no )?ip route /.test(l)) && !(await daemonPid(d, router, 'staticd'))) {
    await runOk(d.runner, [
      'ip', 'netns', 'exec', nsName(d.lab, router), `${FRR}/staticd`, '-d', '-F', 'datacenter', '-f', `${dir}/frr.conf`,
      '-i', `${dir}/staticd.pid`, '--vty_socket', dir, '-z', `${dir}/zserv.api`, '--log', `file:${dir}/staticd.log`,
    ]);
    // vtysh needs staticd's vty socket before it can send it `ip route`.
    for (let i = 0; i < 40 && !(await d.runner.readFile(`${dir}/staticd.pid`)); i++) await sleep(50);
    await sleep(200);
  }
  const argv = ['vtysh', '--vty_socket', dir, '-c', 'configure terminal', ...lines.flatMap((l) => ['-c', l])];
  const r = await d.runner.run(argv);
  if (r.exitCode !== 0 || /^%/m.test(r.stdout)) throw new LabError(`${router}: ${lines.join('; ')} failed: ${(r.stderr || r.stdout).trim().split('\n')[0]}`, { hint: 'see `bgp-lab status`' });
}

/** A program left running inside a lab namespace (prober, flapper); `down` kills it with the namespace. */
export async function startDetached(d: EmbeddedDriver, device: string, name: string, argv: string[]): Promise<{ pidFile: string; logFile: string }> {
  const dir = `${labDir(d.lab)}/drill`;
  await runOk(d.runner, ['mkdir', '-p', dir]);
  const pidFile = `${dir}/${name}.pid`;
  const logFile = `${dir}/${name}.log`;
  await d.runner.run(['rm', '-f', logFile]); // --output appends: a new run starts a new log
  await runOk(d.runner, [
    'ip', 'netns', 'exec', nsName(d.lab, device), 'start-stop-daemon', '--start', '--quiet', '--background', '--make-pidfile',
    '--pidfile', pidFile, '--output', logFile, '--exec', argv[0]!, '--', ...argv.slice(1),
  ]);
  return { pidFile, logFile };
}

export async function stopDetached(d: EmbeddedDriver, pidFile: string): Promise<void> {
  await d.runner.run(['start-stop-daemon', '--stop', '--quiet', '--oknodo', '--pidfile', pidFile, '--remove-pidfile', '--retry', 'TERM/2/KILL/1']);
}
