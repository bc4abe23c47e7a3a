// The node agents at run time: one GoBGP API client per agent (kept for the life of the
// operation), the reconcile of each agent against what was applied last (kept in the node's
// directory, as Cilium keeps it in memory), and the nodes' own hostnames (a persistent UTS
// namespace per node, a bind-mounted file in its directory, that gobgpd is started in).
import type { EmbeddedDriver } from './index.js';
import type { AgentPlan } from './fabric.js';
import type { DesiredAgent } from '../../cilium/desired.js';
import type { GobgpClient } from '../../gobgp/client.js';
import type { AppliedAgent, ReconcileReport } from '../../gobgp/reconcile.js';
import type { ConnectMode } from '../../gobgp/messages.js';
import { LabError } from '../../errors.js';
import { runOk } from '../../runners/local.js';

export type { ConnectMode };

/** Agents configured at once at `up`: each is a handful of calls; more only queue on 2 cores. */
const CONFIGURE_WORKERS = 16;
/** A just-started gobgpd answers its socket within a second; 256 of them on 2 cores take longer. */
const READY_MS = 30_000;

export class AgentRuntime {
  private readonly clients = new Map<string, GobgpClient>();
  constructor(private readonly d: EmbeddedDriver) {}

  private async client(a: AgentPlan): Promise<GobgpClient> {
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

  private appliedFile(a: { dir: string }): string {
    return `${a.dir}/agent.json`;
  }

  async applied(a: { dir: string }): Promise<AppliedAgent | undefined> {
    const text = await this.d.runner.readFile(this.appliedFile(a)).catch(() => undefined);
    return text ? (JSON.parse(text) as AppliedAgent) : undefined;
  }

  /**
   * Reconciles one agent: `fresh` for a gobgpd that just started (nothing applied yet),
   * otherwise against what the last reconcile applied. `next` undefined: Cilium runs no BGP.
   */
  async configure(a: AgentPlan, mode: ConnectMode, opts: { fresh: boolean; next?: DesiredAgent | null }): Promise<ReconcileReport> {
    const { reconcileAgent } = await import('../../gobgp/reconcile.js');
    const c = await this.client(a);
    await c.ready(READY_MS).catch(async (err: Error) => {
      // Say why: the daemon died (its log says why) or is alive but its API never came up.
      const pid = (await this.d.runner.readFile(`${a.dir}/gobgpd.pid`).catch(() => undefined))?.trim();
      const alive = pid ? (await this.d.runner.run(['kill', '-0', pid])).exitCode === 0 : false;
      const log = ((await this.d.runner.readFile(`${a.dir}/gobgpd.log`).catch(() => undefined)) ?? '').trim().split('\n').at(-1);
      throw new LabError(`${a.node}: ${err.message} (gobgpd ${alive ? `pid ${pid} is running` : 'is not running'}${log ? `; its log: ${log}` : ''})`, { hint: `see ${a.dir}/gobgpd.log` });
    });
    const before = opts.fresh ? undefined : await this.applied(a);
    const next = opts.next === null ? undefined : opts.next ?? a.desired;
    const { report, applied } = await reconcileAgent(c, before, next, mode).catch((err: Error) => {
      throw new LabError(`${a.node}: configuring its BGP agent failed: ${err.message}`, { hint: `see ${a.dir}/gobgpd.log; \`bgp-lab agent restart ${a.node}\` starts it from the policy again` });
    });
    if (applied) await this.d.runner.writeFile(this.appliedFile(a), JSON.stringify(applied, null, 2) + '\n');
    else await this.d.runner.run(['rm', '-f', '--', this.appliedFile(a)]);
    return report;
  }

  /** Every agent of a new lab, a few at a time. */
  async configureAll(agents: AgentPlan[], mode: ConnectMode, signal: AbortSignal): Promise<void> {
    const todo = [...agents];
    await Promise.all(
      Array.from({ length: Math.min(CONFIGURE_WORKERS, todo.length) }, async () => {
        for (let a = todo.shift(); a; a = todo.shift()) {
          signal.throwIfAborted();
          await this.configure(a, mode, { fresh: true });
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
