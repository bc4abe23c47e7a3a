// The embedded driver: the fabric in network namespaces with FRR (routers) and GoBGP
// (node agents), on the machine the runner reaches. Every program goes through the
// Runner as an argument array, so the same code runs locally and over SSH.
import type { Driver, DriverContext, DeviceHealth, GobgpOptions, LabRecord, PlannedStep, UpOptions, UpOutcome } from '../types.js';
import type { Runner, RunOptions, RunResult } from '../../runners/types.js';
import type { Topology } from '../../topology/schema.js';
import { stat } from 'node:fs/promises';
import { LabError, UsageError } from '../../errors.js';
import { labDir, readLabRecord, writeLabRecord } from '../index.js';
import { agentFilesOf, apiDir, planFabric, type AgentPlan, type FabricPlan } from './fabric.js';
import { AgentRuntime, gobgpdArgv, instanceCalls, slotFor, slotOf, slotsOf, type ConnectMode } from './agents.js';
import { exportPlan, listenPortOf, nodeOpenedSessions } from '../../gobgp/messages.js';
import { nsName, NS_PREFIX, labOfNs } from './names.js';
import { LocalRunner, runOk } from '../../runners/local.js';
import { vtyCommand, type VtyError } from './vty.js';
import { Steps } from './steps.js';
import { waitConverged } from './converge.js';
import type { ConvergeState } from '../../inspect/converge.js';
import { PROBE_ADDRESSES } from '../../inspect/paths.js';
import { findNode, findRouter } from '../../topology/model.js';

const FRR = '/usr/lib/frr';
const REQUIRED = [`${FRR}/zebra`, `${FRR}/bgpd`, '/usr/bin/vtysh', '/usr/bin/gobgpd', '/usr/bin/gobgp', '/usr/bin/busybox', '/usr/sbin/nft', '/usr/bin/unshare', '/usr/bin/nsenter'];

export class EmbeddedDriver implements Driver {
  readonly name = 'embedded' as const;
  /** The node agents' API clients and reconcilers (one persistent client per agent). */
  readonly agents: AgentRuntime;
  constructor(
    readonly lab: string,
    readonly runner: Runner,
  ) {
    this.agents = new AgentRuntime(this);
  }

  record(): Promise<LabRecord | undefined> {
    return readLabRecord(this.runner, this.lab);
  }

  private dir(device: string): string {
    return `${labDir(this.lab)}/${device}`;
  }

  /**
   * The record, parsed once per version of its file (local runner: same inode, size and mtime).
   * `up`'s convergence loop asks every router twice a round, and reading and parsing a 128-node
   * lab's record (~0.4 MB) each time was 6 s of one `up`'s CPU.
   */
  private parsedRecord?: { key: string; rec: LabRecord };

  private async requireUp(): Promise<LabRecord> {
    let rec: LabRecord | undefined;
    if (this.runner instanceof LocalRunner) {
      const st = await stat(`${labDir(this.lab)}/lab.json`).catch(() => undefined);
      const key = st ? `${st.ino} ${st.size} ${st.mtimeMs}` : '';
      if (st && this.parsedRecord?.key === key) rec = this.parsedRecord.rec;
      else {
        rec = await this.record();
        this.parsedRecord = rec && st ? { key, rec } : undefined;
      }
    } else rec = await this.record();
    if (!rec) throw new LabError(`lab ${this.lab} is not up`, { hint: `run \`bgp-lab${this.lab === 'cilium-bgp' ? '' : ` --lab ${this.lab}`} up\`` });
    return rec;
  }

  /** Namespaces of this lab (or of every bgp-lab lab) that exist on the host. */
  async namespaces(all = false): Promise<string[]> {
    const r = await this.runner.run(['ip', 'netns', 'list']);
    return r.stdout
      .split('\n')
      .map((l) => l.split(' ')[0]!)
      .filter((n) => n.startsWith(`${NS_PREFIX}.`) && (all || labOfNs(n) === this.lab));
  }

  async preflight(): Promise<void> {
    const id = await this.runner.run(['id', '-u']);
    if (id.stdout.trim() !== '0')
      throw new LabError('the embedded lab needs root (network namespaces, FRR, GoBGP)', { hint: 'run it with sudo, or as root' });
    const ls = await this.runner.run(['ls', ...REQUIRED]);
    if (ls.exitCode !== 0) {
      const missing = REQUIRED.filter((p) => ls.stderr.includes(p));
      throw new LabError(`missing on ${this.runner.where}: ${missing.join(', ')}`, { hint: 'run `make setup` (installs frr, gobgpd, busybox, nftables)' });
    }
  }

  /**
   * The kernel's ARP table is one for all namespaces, capped by the host's gc_thresh3 (1024 by
   * default): a 256-node fabric needs ~4,000 entries (every pod address behind its node's lxc,
   * every node, every link end), and past the cap new neighbours fail ("neighbor table overflow")
   * and a third of the probes go unanswered. Raise the thresholds to fit (never lower them).
   */
  private async roomForNeighbours(plan: FabricPlan): Promise<void> {
    const need = plan.pods.length * (PROBE_ADDRESSES + 3) + plan.agents.length * 4 + plan.linkBatch.length * 4;
    const want = { gc_thresh1: 128, gc_thresh2: 2 * need, gc_thresh3: 4 * need };
    const keys = Object.keys(want).map((k) => `net.ipv4.neigh.default.${k}`);
    const r = await this.runner.run(['sysctl', '-n', ...keys]);
    const have = r.stdout.trim().split(/\s+/).map(Number);
    const raise = Object.entries(want)
      .filter(([, v], i) => r.exitCode === 0 && Number.isFinite(have[i]) && have[i]! < v)
      .map(([k, v]) => `net.ipv4.neigh.default.${k}=${v}`);
    if (raise.length) await runOk(this.runner, ['sysctl', '-qw', ...raise]);
  }

  async up(topology: Topology, topologyFile: string, opts: UpOptions, ctx: DriverContext): Promise<UpOutcome> {
    if (opts.dryRun) return { steps: [], plan: dryRunPlan(this, planFabric(this.lab, topology, opts.podsPerNode ?? topology.demo.podsPerNode), opts.fastConnect ? 'fast-connect' : 'cilium') };
    const steps = new Steps(ctx.progress);
    const existing = (await this.namespaces()).length > 0 || (await this.record()) !== undefined;
    if (existing) {
      if (!opts.replace)
        throw new UsageError(`lab ${this.lab} is already up`, `use it, or \`bgp-lab${this.lab === 'cilium-bgp' ? '' : ` --lab ${this.lab}`} up --replace\` to rebuild it, or \`down\` first`);
      await steps.run('replace', 'Remove the running lab', () => this.down(ctx));
    }
    await steps.run('preflight', 'Check root, FRR, GoBGP', () => this.preflight());
    const podsPerNode = opts.podsPerNode ?? topology.demo.podsPerNode;
    const plan = planFabric(this.lab, topology, podsPerNode);
    await this.roomForNeighbours(plan);
    const record: LabRecord = {
      lab: this.lab,
      driver: 'embedded',
      topologyFile,
      topology,
      podsPerNode,
      createdAt: new Date().toISOString(),
      phase: 'creating',
      connectMode: opts.fastConnect ? 'fast-connect' : 'cilium',
    };
    const mode: ConnectMode = record.connectMode!;
    let converged: ConvergeState | undefined;
    try {
      // Intent first: `down` finds a half-made lab from this record and the namespace names.
      await steps.run('configs', 'Write router and agent configs', () => this.writeConfigs(record, plan));
      await steps.run('wiring', `Create ${plan.namespaces.length} namespaces, ${plan.linkBatch.length} links and ${topology.racks.length} rack bridges`, () =>
        ipBatch(this.runner, [...plan.namespaceBatch, ...plan.wiringBatch]),
      );
      ctx.signal.throwIfAborted();
      // Routers first, then the agents: zebra only once every address exists (one started
      // earlier raced `ip` for the addresses and left bgpd without its interfaces). Started at
      // once they only shared 2 cores: the seed's routers took 1.4 s instead of 0.7 and its
      // `up --fast-connect` 3.8 s instead of 3.5. bgpd opens its sessions 1 s after it starts
      // (FRR's fixed idle start timer): time enough for the agents to start and listen.
      const announcing = plan.agents.filter((a) => a.announce.length).length;
      await steps.run('daemons', `Start FRR on ${plan.routers.length} routers, GoBGP on ${plan.agents.length} nodes (${announcing} announce their pod CIDR), ${plan.pods.length} pods`, async () => {
        const t0 = performance.now();
        const lap = (what: string) => ctx.progress({ type: 'log', message: `${what} in ${((performance.now() - t0) / 1000).toFixed(1)} s` });
        await Promise.all([this.startRouters(plan.routers.map((r) => r.name)), this.agents.createHostnames(plan.agents)]);
        lap(`${plan.routers.length} routers started, node hostnames set`);
        {
          // Agents in waves, each wave configured through its API (as Cilium's agent configures
          // its GoBGP) while the next starts: a node's 5–9 s to its first connect runs from its
          // configuration, so on a 128-node fabric the last wave no longer waits for the first
          // to be configured. A wave's failure is kept (not left unhandled) and thrown after.
          let failed: unknown;
          const configuring: Promise<void>[] = [];
          for (let i = 0; i < plan.agents.length; i += AGENT_WAVE) {
            const wave = plan.agents.slice(i, i + AGENT_WAVE);
            await ipBatches(this.runner, wave.map((a) => agentBatchLine(a)), { env: GO_ENV });
            configuring.push(this.agents.configureAll(wave, mode, ctx.signal).catch((err: unknown) => { failed ??= err; }));
          }
          await ipBatches(this.runner, plan.podBatch);
          lap('agents and pods started');
          await Promise.all(configuring);
          if (failed) throw failed;
          const nodeOpens = mode === 'fast-connect' ? nodeOpenedSessions(plan.agents.map((a) => a.desired), mode).length : 0;
          lap(
            `${plan.agents.length} agents configured through the GoBGP API (${mode === 'cilium' ? 'no listener: each node opens its sessions' : `fast-connect: the leaves connect${nodeOpens ? `; ${nodeOpens} session${nodeOpens === 1 ? '' : 's'} of further BGP instances, which have no listener, the node opens after GoBGP's 5-10 s` : ''}`})`,
          );
        }
      });
      ctx.signal.throwIfAborted();
      if (opts.wait) {
        converged = await steps.run('converge', 'Wait for sessions, routes and a clean ping sweep', () =>
          waitConverged(this, topology, podsPerNode, { timeoutMs: opts.timeoutMs ?? 30_000, signal: ctx.signal, progress: ctx.progress }),
        );
      }
      await writeLabRecord(this.runner, { ...record, phase: 'up' });
    } catch (err) {
      // Ctrl-C or a failure: roll back so nothing half-made stays behind.
      await this.down({ ...ctx, signal: new AbortController().signal }).catch(() => {});
      throw err;
    } finally {
      this.agents.close();
    }
    return { steps: steps.timings, converged };
  }

  private async writeConfigs(record: LabRecord, plan: FabricPlan): Promise<void> {
    await writeLabRecord(this.runner, record);
    await Promise.all([...plan.files].map(([path, content]) => this.runner.writeFile(path, content)));
    await runOk(this.runner, ['mkdir', '-p', '--', apiDir(this.lab), ...plan.agents.map((a) => a.dir)]);
    // FRR drops privileges to the frr user, which must own its state directory.
    await runOk(this.runner, ['chown', '-R', 'frr:frr', ...plan.routers.map((r) => r.dir)]);
  }

  /** zebra then bgpd, each with its own pid file and vty socket in the router's directory. */
  async startRouter(router: string): Promise<void> {
    // zebra first: a bgpd that finds no zserv socket retries only after ~10 s, and until
    // then it cannot resolve next hops (seen as a 10 s convergence stall in 1 of 10 ups).
    await this.startRouterDaemon(router, 'zebra');
    await this.startRouterDaemon(router, 'bgpd');
  }

  /**
   * Every router's zebra, then every router's bgpd, a few at a time: one xargs per daemon rather
   * than a spawn per daemon from Node (each spawn of a big CLI process holds its one thread for
   * tens of milliseconds). `-d` returns once the daemon is ready, so bgpd finds its zebra.
   */
  async startRouters(routers: string[]): Promise<void> {
    if (!routers.length) return;
    for (const daemon of ['zebra', 'bgpd'] as const) {
      const argvs = routers.map((r) => this.routerDaemonArgv(r, daemon).slice(1));
      // Each router's argument list has the same length (the paths differ, not their count).
      const input = argvs.map((a) => a.join('\0')).join('\0') + '\0';
      const r = await this.runner.run(['xargs', '-0', '-n', String(argvs[0]!.length), '-P', String(Math.min(8, routers.length)), 'ip'], { input });
      if (r.exitCode !== 0) {
        const failed = routers.filter((x) => r.stderr.includes(nsName(this.lab, x)) || r.stderr.includes(`/${x}/`));
        throw new LabError(`${daemon} did not start${failed.length ? ` on ${failed.join(', ')}` : ''}: ${r.stderr.trim().split('\n').at(-1) ?? `exit ${r.exitCode}`}`, { hint: `see ${daemon}.log under ${labDir(this.lab)}/<router>/` });
      }
    }
  }

  async startRouterDaemon(router: string, daemon: 'zebra' | 'bgpd'): Promise<void> {
    await runOk(this.runner, this.routerDaemonArgv(router, daemon));
  }

  routerDaemonArgv(router: string, daemon: 'zebra' | 'bgpd'): string[] {
    const dir = this.dir(router);
    return [
      'ip', 'netns', 'exec', nsName(this.lab, router), `${FRR}/${daemon}`, '-d', '-F', 'datacenter',
      '-f', `${dir}/frr.conf`, '-i', `${dir}/${daemon}.pid`, '--vty_socket', dir, '-z', `${dir}/zserv.api`,
      '--log', `file:${dir}/${daemon}.log`,
    ];
  }

  /** gobgpd in the node namespace and UTS namespace (as Cilium's agent), then configured through its API from the intent. */
  async startAgent(a: AgentPlan, mode: ConnectMode): Promise<void> {
    await this.agents.createHostnames([a]);
    // A killed gobgpd leaves its socket behind, and a new one cannot listen on it.
    await this.runner.run(['rm', '-f', '--', a.socket]);
    await runOk(this.runner, agentArgv(a), { env: GO_ENV });
    try {
      await this.agents.configure(a, mode, { fresh: true });
    } finally {
      // Only this agent's client: others may be mid-reconcile (several agents start at once).
      this.agents.closeClient(a);
    }
  }

  async down(_ctx?: DriverContext, all = false): Promise<{ removed: string[] }> {
    const namespaces = await this.namespaces(all);
    const labs = all ? [...new Set(namespaces.map((n) => labOfNs(n)!))] : [this.lab];
    if (all) {
      const dirs = await this.runner.run(['ls', '-1', labDir('').replace(/\/$/, '')]);
      for (const d of dirs.stdout.split('\n').filter(Boolean)) if (!labs.includes(d)) labs.push(d);
    }
    // Every process inside the lab's namespaces (daemons, pods, captures, probers), found by
    // namespace inode in two calls rather than one `ip netns pids` per namespace. SIGKILL:
    // the namespaces go away with them, so a graceful FRR shutdown buys nothing.
    const pids = new Set<string>();
    if (namespaces.length) {
      const stat = await this.runner.run(['stat', '-L', '-c', '%i', ...namespaces.map((n) => `/run/netns/${n}`)]);
      const inodes = new Set(stat.stdout.split('\n').filter(Boolean));
      const ps = await this.runner.run(['ps', '-e', '-o', 'pid=,netns=']);
      for (const line of ps.stdout.split('\n')) {
        const [pid, inode] = line.trim().split(/\s+/);
        if (pid && inode && inodes.has(inode) && pid !== String(process.pid)) pids.add(pid);
      }
    }
    if (pids.size) await this.runner.run(['kill', '-9', ...pids]);
    // The nodes' UTS namespaces are bind mounts under the lab directories: unmounted before rm.
    await this.agents.removeHostnames(labs.map((l) => labDir(l)));
    if (namespaces.length) await runOk(this.runner, ['ip', '-batch', '-'], { input: namespaces.map((n) => `netns del ${n}`).join('\n') + '\n' });
    await this.runner.run(['rm', '-rf', ...labs.map((l) => labDir(l))]);
    return { removed: namespaces };
  }

  async health(): Promise<DeviceHealth[]> {
    const rec = await this.record();
    if (!rec) return [];
    const present = new Set(await this.namespaces());
    const plan = planFabric(this.lab, rec.topology, rec.podsPerNode);
    // A killed daemon can linger as a zombie (its parent is init, which reaps late): not running.
    const ps = await this.runner.run(['ps', '-eo', 'pid=,stat=,comm=']);
    const running = new Map(
      ps.stdout
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .filter(([, stat]) => stat && !stat.startsWith('Z'))
        .map(([pid, , comm]) => [pid!, comm!]),
    );
    const daemon = async (device: string, name: string, comm = name) => {
      const pid = (await this.runner.readFile(`${this.dir(device)}/${name}.pid`))?.trim();
      return { name, pid: pid ? Number(pid) : undefined, alive: Boolean(pid && running.get(pid) === comm) };
    };
    return Promise.all(
      plan.namespaces.map(async (n): Promise<DeviceHealth> => {
        const daemons =
          n.kind === 'router' ? await Promise.all([daemon(n.device, 'zebra'), daemon(n.device, 'bgpd')])
          : n.kind === 'node' && plan.agents.some((a) => a.node === n.device) ? await Promise.all(slotsOf(plan.agents.find((a) => a.node === n.device)!).map((s) => daemon(n.device, s.daemon, 'gobgpd')))
          : n.kind === 'pod' ? [await daemon(n.device, 'httpd', 'busybox')]
          : [];
        return { name: n.device, kind: n.kind, namespace: present.has(n.ns), daemons };
      }),
    );
  }

  async vtysh(router: string, command: string, opts?: RunOptions): Promise<string> {
    const rec = await this.requireUp();
    if (!findRouter(rec.topology, router)) throw new UsageError(`no router ${router}`, `valid: ${rec.topology.routers.map((r) => r.name).join(', ')}`);
    const daemon = /^show (ip route|interface)|^show (ip )?nht/.test(command) ? 'zebra' : /^show (ip )?bgp/.test(command) ? 'bgpd' : undefined;
    const fail = (msg: string, hint = `is its ${daemon ?? 'FRR'} running? see \`bgp-lab status\``) => new LabError(`${router}: \`${command}\` failed: ${msg}`, { hint });
    if (daemon && this.runner instanceof LocalRunner) {
      // Read-only show commands go straight to the daemon's socket (no vtysh process), queued
      // per socket and retried while the daemon is alive (vty.ts).
      const alive = () => this.daemonAlive(router, daemon);
      const r = await vtyCommand(`${this.dir(router)}/${daemon}.vty`, command, { alive }).catch(async (err: VtyError) => {
        // "Not running" only when its pid says so: a full backlog is a busy daemon, not a dead one.
        if (!(await alive())) throw fail(`${daemon} is not running`, `see \`bgp-lab status\`; \`bgp-lab router restart ${router}\` starts it again`);
        throw fail(`${daemon} is running but its vty did not answer (${err.message})`, 'the router is busy: try again in a moment');
      });
      if (r.status !== 0 && !answeredJson(command, r.output)) throw fail(r.output.trim().split('\n')[0] ?? `status ${r.status}`);
      return r.output;
    }
    const r = await this.runner.run(['vtysh', '--vty_socket', this.dir(router), ...(daemon ? ['-d', daemon] : []), '-c', command], opts);
    if (r.exitCode !== 0 && !answeredJson(command, r.stdout)) throw fail((r.stderr || r.stdout).trim().split('\n')[0] ?? '');
    return r.stdout;
  }

  /** The daemon named by its pid file is alive (not a zombie) and is that daemon: read from /proc, no process spawned. */
  private async daemonAlive(router: string, daemon: string): Promise<boolean> {
    const pid = (await this.runner.readFile(`${this.dir(router)}/${daemon}.pid`).catch(() => undefined))?.trim();
    if (!pid || !/^\d+$/.test(pid)) return false;
    const stat = await this.runner.readFile(`/proc/${pid}/stat`).catch(() => undefined);
    // `<pid> (<comm>) <state> …`
    const m = stat ? /^\d+ \((.*)\) (\S)/.exec(stat) : null;
    return Boolean(m && m[1] === daemon && m[2] !== 'Z' && m[2] !== 'X');
  }

  async gobgp(node: string, args: string[], opts?: GobgpOptions): Promise<string> {
    const rec = await this.requireUp();
    if (!findNode(rec.topology, node)) throw new UsageError(`no node ${node}`, `valid: ${rec.topology.cluster.nodes.map((n) => n.name).join(', ')}`);
    // The CLI reaches the agent's API socket (no TCP API port in the node namespace); one gobgpd
    // per BGP instance (agents.ts slotFor: the instance asked for, or the one with that neighbor).
    const agent = planFabric(this.lab, rec.topology, rec.podsPerNode).agents.find((a) => a.node === node);
    const kept = agent ? undefined : await keptAgentFiles(this.lab, rec.topology, node);
    if (!agent && !kept) throw new LabError(`${node}: no BGP agent runs there (no policy selects it, or Cilium would run none)`, { hint: 'see `bgp-lab policy show`' });
    const { instance, ...run } = opts ?? {};
    // An agent kept through a policy conflict (1.16–1.18) has no plan: its first instance, or the one asked for by index.
    const socket = agent ? slotFor(agent, args, instance)?.socket : slotOf(kept!, typeof instance === 'number' ? instance : 0).socket;
    if (!socket) throw new UsageError(`${node}: no BGP instance ${instance}`, `valid: ${agent!.desired.instances.map((x) => x.name).join(', ')}`);
    const r = await this.runner.run(['ip', 'netns', 'exec', nsName(this.lab, node), 'gobgp', '--target', `unix://${socket}`, ...args], { env: GO_ENV, ...run });
    if (r.exitCode !== 0) throw new LabError(`${node}: gobgp ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim().split('\n')[0]}`, { hint: "is the node's BGP agent running? see `bgp-lab status`" });
    return r.stdout;
  }

  async exec(device: string, argv: string[], opts?: RunOptions): Promise<RunResult> {
    return this.runner.run(['ip', 'netns', 'exec', nsName(this.lab, device), ...argv], opts);
  }
}

/** FRR answers `show ip route P json` for an unknown P with `{}` and a warning status: an empty answer, not a failure. */
function answeredJson(command: string, output: string): boolean {
  if (!command.endsWith(' json')) return false;
  try {
    JSON.parse(output);
    return true;
  } catch {
    return false;
  }
}

/** Host `ip -batch -`: it stops at the first failing line; the error names that line. */
/**
 * GoBGP's processes (gobgpd per node, the gobgp client) on one OS thread each: a node's agent
 * holds a handful of sessions, and 256 Go runtimes each sized for every core spent the CPU the
 * bring-up needed on scheduler and GC threads.
 */
const GO_ENV = { GOMAXPROCS: '1' };

/** Agents started per wave at `up` (the seed's four are one wave). */
const AGENT_WAVE = 32;

async function ipBatch(runner: Runner, lines: string[], opts: { env?: Record<string, string> } = {}): Promise<RunResult> {
  const r = await runner.run(['ip', '-batch', '-'], { input: lines.join('\n') + '\n', env: opts.env });
  if (r.cancelled) throw new LabError('cancelled');
  if (r.exitCode === 0) return r;
  const at = Number(/Command failed -:(\d+)/.exec(r.stderr)?.[1]);
  const why = r.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('Command failed')).at(-1)?.trim();
  throw new LabError(`ip -batch failed${at ? ` at \`${lines[at - 1]}\`` : ` (exit ${r.exitCode})`}${why ? `: ${why}` : ''}`);
}

/**
 * The same lines over a few `ip -batch` processes at once: each line forks and waits for its
 * program (a gobgpd's start is ~50 ms of CPU), so one batch of 512 lines ran them one by one.
 */
async function ipBatches(runner: Runner, lines: string[], opts: { env?: Record<string, string> } = {}): Promise<void> {
  // Up to 4, at least 8 lines each: a spawn from the CLI (or the bot, whose acks wait on its one
  // thread) costs more than a few lines run one after another.
  const parts = Math.min(4, Math.ceil(lines.length / 8));
  // Dealt round-robin: the agents' lines (the costly ones) come first, and spread over all.
  const chunks = Array.from({ length: parts }, (_, i) => lines.filter((_, k) => k % parts === i)).filter((c) => c.length);
  const results = await Promise.allSettled(chunks.map((c) => ipBatch(runner, c, opts)));
  for (const r of results) if (r.status === 'rejected') throw r.reason;
}

function agentArgv(a: AgentPlan): string[] {
  return ['ip', 'netns', 'exec', a.ns, ...agentDaemonArgv(a)];
}

/** The node's first gobgpd (agents.ts gobgpdArgv; the other instances' start at configure). */
function agentDaemonArgv(a: AgentPlan): string[] {
  return gobgpdArgv(a, slotOf(a, 0));
}

/** The same start as a line of a host `ip -batch` (paths carry no spaces: names are checked). */
function agentBatchLine(a: AgentPlan): string {
  return ['netns', 'exec', a.ns, ...agentDaemonArgv(a)].join(' ');
}

/** `up --dry-run` on the embedded driver: the programs `up` would run, in order. */
function dryRunPlan(d: EmbeddedDriver, plan: FabricPlan, mode: ConnectMode): PlannedStep[] {
  return [
    ...plan.namespaces.map((n) => ({ label: `Write the configuration of ${n.device}`, argv: [], file: n.batchFile, input: n.ipBatch })),
    { label: `Create ${plan.namespaces.length} namespaces and ${plan.linkBatch.length} veth pairs inside them, configure each`, argv: ['ip', '-batch', '-'], input: [...plan.namespaceBatch, ...plan.wiringBatch] },
    ...plan.routers.flatMap((r) => (['zebra', 'bgpd'] as const).map((dm) => ({ label: `Start ${dm} on ${r.name}`, argv: d.routerDaemonArgv(r.name, dm) }))),
    ...plan.agents.map((a) => ({ label: `Give ${a.node}'s BGP agent its own hostname (${a.hostname})`, argv: ['unshare', `--uts=${a.uts}`, '--', 'hostname', '--', a.hostname] })),
    { label: 'Start the BGP agents and the pods', argv: ['ip', '-batch', '-'], input: [...plan.agents.map((a) => agentBatchLine(a)), ...plan.podBatch] },
    // Not programs: the GoBGP API calls each agent gets on its socket, as Cilium's agent makes them.
    // One gobgpd per BGP instance (agents.ts): the first with the batch above, the others at configure.
    ...plan.agents.flatMap((a) =>
      a.desired.instances.map((inst, i) => ({
        label: `Configure ${a.node}'s GoBGP${a.desired.instances.length > 1 ? ` instance ${inst.name} (gobgpd ${i + 1} of ${a.desired.instances.length})` : ''} through its API`,
        argv: i === 0 ? [] : ['ip', 'netns', 'exec', a.ns, ...gobgpdArgv(a, slotOf(a, i))],
        file: slotOf(a, i).socket,
        input: instanceCalls(inst, listenPortOf(inst, mode, i), exportPlan(inst).policies),
      })),
    ),
  ];
}

/** A node two peering policies select, whose Cilium (1.16–1.18) keeps the agent it ran: its files; else undefined. */
async function keptAgentFiles(lab: string, topo: Topology, node: string): Promise<{ dir: string; socket: string } | undefined> {
  const { desiredAgentOf } = await import('../../cilium/desired.js');
  const { keepsStateOnPolicyConflict } = await import('../../cilium/version.js');
  if (desiredAgentOf(topo, node)?.state !== 'conflict' || !keepsStateOnPolicyConflict(topo.cilium.version)) return undefined;
  return agentFilesOf(lab, topo, node);
}
