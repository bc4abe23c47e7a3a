// The node agents at run time: one GoBGP API client per agent (kept for the life of the
// operation), the reconcile of each agent against what was applied last (kept in the node's
// directory, as Cilium keeps it in memory), and the nodes' own hostnames (a persistent UTS
// namespace per node, a bind-mounted file in its directory, that gobgpd is started in).
import type { EmbeddedDriver } from './index.js';
import type { AgentPlan } from './fabric.js';
import type { DesiredAgent } from '../../cilium/desired.js';
import type { GobgpClient } from '../../gobgp/client.js';
import type { AppliedAgent, ReconcileReport } from '../../gobgp/reconcile.js';
import type { DesiredInstance } from '../../cilium/desired.js';
import type { ConnectMode } from '../../gobgp/messages.js';
import { LabError } from '../../errors.js';
import { runOk } from '../../runners/local.js';

export type { ConnectMode };

/**
 * One gobgpd per BGP instance (Cilium: one BgpServer per virtual router / bgpInstance, all in
 * one agent). Slot 0 is the node's first instance and keeps the one-instance names (gobgpd.pid,
 * gobgpd.log, agent.json, the plan's socket); slot i > 0 has its own `-i` files and socket.
 */
export interface InstanceSlot {
  slot: number;
  /** The daemon's name for pid/log files: `gobgpd`, `gobgpd-1`, … */
  daemon: string;
  socket: string;
  pidFile: string;
  logFile: string;
  appliedFile: string;
}

export function slotOf(a: { dir: string; socket: string }, slot: number): InstanceSlot {
  const sfx = slot === 0 ? '' : `-${slot}`;
  return {
    slot,
    daemon: `gobgpd${sfx}`,
    socket: slot === 0 ? a.socket : a.socket.replace(/\.sock$/, `${sfx}.sock`),
    pidFile: `${a.dir}/gobgpd${sfx}.pid`,
    logFile: `${a.dir}/gobgpd${sfx}.log`,
    appliedFile: `${a.dir}/agent${sfx}.json`,
  };
}

/** The slots a plan's agent runs: one per desired instance (at least the first). */
export function slotsOf(a: AgentPlan): InstanceSlot[] {
  return Array.from({ length: Math.max(1, a.desired.instances.length) }, (_, i) => slotOf(a, i));
}

/**
 * The gobgpd serving a `gobgp` CLI call: `instance` by name or index when given; else the one
 * whose instance has the neighbor the arguments name (`neighbor <ip> …`); else the first.
 */
export function slotFor(a: AgentPlan, args: string[], instance?: string | number): InstanceSlot | undefined {
  const insts = a.desired.instances;
  if (instance !== undefined) {
    const i = typeof instance === 'number' ? instance : insts.findIndex((x) => x.name === instance || String(x.localASN) === instance);
    return i >= 0 && i < Math.max(1, insts.length) ? slotOf(a, i) : undefined;
  }
  const at = args.indexOf('neighbor');
  const addr = at >= 0 ? args[at + 1] : undefined;
  const i = addr ? insts.findIndex((x) => x.neighbors.some((n) => n.peerAddress === addr)) : -1;
  return slotOf(a, Math.max(0, i));
}

/**
 * gobgpd with no configuration file, its API on a unix socket, in the node's UTS namespace
 * (GoBGP sends os.Hostname() in its FQDN capability). Cilium starts its GoBGP the same way and
 * configures it through the API.
 */
export function gobgpdArgv(a: { uts: string }, s: InstanceSlot): string[] {
  return [
    '/usr/bin/nsenter', `--uts=${a.uts}`, '--',
    '/usr/sbin/start-stop-daemon', '--start', '--quiet', '--background', '--make-pidfile',
    '--pidfile', s.pidFile, '--output', s.logFile,
    '--exec', '/usr/bin/gobgpd', '--', '--api-hosts', `unix://${s.socket}`, '-l', 'warn', '-p', '--pprof-disable',
  ];
}

/** The GoBGP API calls that configure one instance, as text (`up --dry-run`). */
export function instanceCalls(inst: DesiredInstance, listenPort: number, policies: { name: string; neighbor: string; statements: { prefixes: string[] }[] }[] | undefined): string[] {
  return [
    `StartBgp asn=${inst.localASN} router-id=${inst.routerId} listen-port=${listenPort}`,
    ...(policies ?? []).map((p) => `AddPolicy ${p.name} (export to ${p.neighbor} only: ${p.statements.flatMap((s) => s.prefixes).join(', ')}), default export REJECT`),
    ...inst.neighbors.map((n) => `AddPeer ${n.peerAddress} peer-as=${n.peerASN} port=${n.peerPort}${n.gracefulRestart.enabled ? ' graceful-restart' : ''}${n.ebgpMultihopTTL > 1 ? ` multihop-ttl=${n.ebgpMultihopTTL}` : ''}`),
    ...inst.paths.map((p) => `AddPath ${p.prefix} next-hop ${p.nexthop} origin ${p.origin} (${p.reason}${p.toNeighbors ? ` to ${p.toNeighbors.join(', ')}` : ''})`),
  ];
}

const GO_ENV = { GOMAXPROCS: '1' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Agents configured at once at `up`: each is a handful of calls; more only queue on 2 cores. */
const CONFIGURE_WORKERS = 16;
/** A just-started gobgpd answers its socket within a second; 256 of them on 2 cores take longer. */
const READY_MS = 30_000;

export class AgentRuntime {
  private readonly clients = new Map<string, GobgpClient>();
  constructor(private readonly d: EmbeddedDriver) {}

  private async client(a: { socket: string }): Promise<GobgpClient> {
    let c = this.clients.get(a.socket);
    if (!c) {
      const { GobgpClient } = await import('../../gobgp/client.js');
      // Over SSH the socket is on the lab host: reached through a forwarded local socket.
      const runner = this.d.runner as { forwardLocalUnix?: (remotePath: string) => Promise<string> };
      c = new GobgpClient(runner.forwardLocalUnix ? await runner.forwardLocalUnix(a.socket) : a.socket);
      this.clients.set(a.socket, c);
    }
    return c;
  }

  /** Closes every client (their channels would keep a CLI process alive). */
  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }

  /** Closes one agent's client (a restarted gobgpd listens on a fresh socket). */
  closeClient(a: { socket: string }): void {
    this.clients.get(a.socket)?.close();
    this.clients.delete(a.socket);
  }

  async applied(a: { dir: string; socket?: string }, slot = 0): Promise<AppliedAgent | undefined> {
    const text = await this.d.runner.readFile(slotOf({ dir: a.dir, socket: a.socket ?? '' }, slot).appliedFile).catch(() => undefined);
    return text ? (JSON.parse(text) as AppliedAgent) : undefined;
  }

  private async pidOf(s: InstanceSlot): Promise<string | undefined> {
    const pid = (await this.d.runner.readFile(s.pidFile).catch(() => undefined))?.trim();
    if (!pid || !/^\d+$/.test(pid)) return undefined;
    return (await this.d.runner.run(['kill', '-0', pid])).exitCode === 0 ? pid : undefined;
  }

  /** SIGKILL (as a deleted Cilium pod) and wait until it is gone; its socket and record removed. */
  private async stopSlot(s: InstanceSlot): Promise<void> {
    this.closeClient(s);
    const pid = await this.pidOf(s);
    if (pid) {
      await this.d.runner.run(['kill', '-KILL', pid]);
      for (let t = 0; t < 60 && (await this.d.runner.run(['kill', '-0', pid])).exitCode === 0; t++) await sleep(50);
    }
    await this.d.runner.run(['rm', '-f', '--', s.socket, s.appliedFile]);
  }

  private async startSlot(a: AgentPlan, s: InstanceSlot, newLab = false): Promise<void> {
    if (!newLab) await this.stopSlot(s);
    await runOk(this.d.runner, ['ip', 'netns', 'exec', a.ns, ...gobgpdArgv(a, s)], { env: GO_ENV });
  }

  /** The instance slots above 0 whose gobgpd runs now (from their pid files). */
  private async extraSlotsRunning(a: { dir: string; socket: string }): Promise<InstanceSlot[]> {
    const ls = await this.d.runner.run(['ls', '-1', '--', a.dir]);
    const slots = [...new Set(ls.stdout.split('\n').flatMap((f) => { const m = /^gobgpd-(\d+)\.pid$/.exec(f.trim()); return m ? [Number(m[1])] : []; }))];
    const out: InstanceSlot[] = [];
    for (const i of slots) if (await this.pidOf(slotOf(a, i))) out.push(slotOf(a, i));
    return out;
  }

  /** Stops every instance's gobgpd above the first (the node lost its BGP configuration). */
  async stopExtraInstances(a: { dir: string; socket: string } | undefined): Promise<void> {
    if (a) for (const s of await this.extraSlotsRunning(a)) await this.stopSlot(s);
  }

  /** The prefixes a running agent announces, from what it last applied (every running instance). */
  async appliedPrefixes(a: { dir: string; socket: string }): Promise<string[]> {
    const slots = [slotOf(a, 0), ...(await this.extraSlotsRunning(a))];
    const applied = await Promise.all(slots.map((s) => this.applied(a, s.slot)));
    return applied.flatMap((x) => x?.instance.paths.map((p) => p.prefix) ?? []);
  }

  /**
   * Reconciles one agent, every instance on its own gobgpd: `fresh` for an agent whose first
   * gobgpd just started (nothing applied yet; the other instances' gobgpds are started anew),
   * otherwise against what the last reconcile applied. `next` undefined: Cilium runs no BGP.
   */
  async configure(a: AgentPlan, mode: ConnectMode, opts: { fresh: boolean; next?: DesiredAgent | null; newLab?: boolean }): Promise<ReconcileReport> {
    const { reconcileInstance, mergeReports } = await import('../../gobgp/reconcile.js');
    const next = opts.next === null ? undefined : opts.next ?? a.desired;
    const wanted = next?.instances ?? [];
    const reports: ReconcileReport[] = [];
    // Instances that are gone: their gobgpd stops (Cilium stops that BgpServer). In a lab that
    // `up` is creating nothing runs yet: no look (an `ls` per node was 256 spawns at `up`).
    if (!opts.newLab) for (const s of await this.extraSlotsRunning(a)) if (s.slot >= wanted.length || opts.fresh) await this.stopSlot(s);
    for (let i = 0; i < Math.max(1, wanted.length); i++) {
      const s = slotOf(a, i);
      let fresh = opts.fresh;
      if (i > 0 && (fresh || opts.newLab || !(await this.pidOf(s)))) {
        await this.startSlot(a, s, opts.newLab);
        fresh = true;
      }
      const c = await this.client(s);
      await c.ready(READY_MS).catch(async (err: Error) => {
        // Say why: the daemon died (its log says why) or is alive but its API never came up.
        const pid = (await this.d.runner.readFile(s.pidFile).catch(() => undefined))?.trim();
        const alive = pid ? (await this.d.runner.run(['kill', '-0', pid])).exitCode === 0 : false;
        const log = ((await this.d.runner.readFile(s.logFile).catch(() => undefined)) ?? '').trim().split('\n').at(-1);
        throw new LabError(`${a.node}: ${err.message} (${s.daemon} ${alive ? `pid ${pid} is running` : 'is not running'}${log ? `; its log: ${log}` : ''})`, { hint: `see ${s.logFile}` });
      });
      const before = fresh ? undefined : await this.applied(a, i);
      const { report, applied } = await reconcileInstance(c, before, wanted[i], next?.nodeIp ?? a.nodeIp, mode, i).catch((err: Error) => {
        throw new LabError(`${a.node}: configuring its BGP agent${wanted.length > 1 ? ` (instance ${wanted[i]?.name ?? i})` : ''} failed: ${err.message}`, { hint: `see ${s.logFile}; \`bgp-lab agent restart ${a.node}\` starts it from the policy again` });
      });
      if (applied) await this.d.runner.writeFile(s.appliedFile, JSON.stringify(applied, null, 2) + '\n');
      else await this.d.runner.run(['rm', '-f', '--', s.appliedFile]);
      reports.push(report);
    }
    return mergeReports(reports);
  }

  /** Every agent of a new lab, a few at a time. */
  async configureAll(agents: AgentPlan[], mode: ConnectMode, signal: AbortSignal): Promise<void> {
    const todo = [...agents];
    await Promise.all(
      Array.from({ length: Math.min(CONFIGURE_WORKERS, todo.length) }, async () => {
        for (let a = todo.shift(); a; a = todo.shift()) {
          signal.throwIfAborted();
          await this.configure(a, mode, { fresh: true, newLab: true });
        }
      }),
    );
  }

  /** Mount points under any of `dirs` (the lab's UTS namespace files). */
  private async mountsUnder(dirs: string[]): Promise<string[]> {
    const info = (await this.d.runner.readFile('/proc/self/mountinfo').catch(() => undefined)) ?? '';
    return info
      .split('\n')
      .map((l) => l.split(' ')[4])
      .filter((m): m is string => Boolean(m && dirs.some((d) => m.startsWith(`${d}/`))));
  }

  /**
   * A persistent UTS namespace per node with the node's name as hostname (skipped where it
   * exists): `unshare --uts=FILE -- hostname -- NAME`, run by one xargs over NUL-separated
   * argument lists (no shell; one program spawned by Node for any number of nodes).
   */
  async createHostnames(agents: AgentPlan[]): Promise<void> {
    const mounted = new Set(await this.mountsUnder([...new Set(agents.map((a) => a.dir))]));
    const todo = agents.filter((a) => !mounted.has(a.uts));
    if (!todo.length) return;
    await runOk(this.d.runner, ['touch', '--', ...todo.map((a) => a.uts)]);
    const input = todo.flatMap((a) => [`--uts=${a.uts}`, '--', '/usr/bin/hostname', '--', a.hostname]).join('\0') + '\0';
    await runOk(this.d.runner, ['xargs', '-0', '-n', '5', '-P', '4', '/usr/bin/unshare'], { input });
  }

  /** Unmounts every UTS namespace file under `dirs` (so the directories can go). */
  async removeHostnames(dirs: string[]): Promise<void> {
    const mounts = await this.mountsUnder(dirs);
    if (mounts.length) await this.d.runner.run(['umount', '-l', '--', ...mounts]);
  }
}
