// The one path every surface takes: parse a line, check permission, take the lab lock
// for mutating commands, run the handler, audit the outcome. Surfaces only render.
import { setMaxListeners } from 'node:events';
import type { CommandContext, Caller, CommandSpec, Terminal, WatchTick } from './types.js';
import { PERMISSION_RANK } from './types.js';
import { parseWords, tokenize, type ParsedCall } from './grammar.js';
import { commands, findCommand } from './registry.js';
import { BusyError, LabError, PermissionError, UsageError, describeError, type ErrorInfo } from '../lab/errors.js';
import { acquireLock, describeHolder } from '../lab/state/lock.js';
import { appendAudit, auditFile, newAuditId, type AuditEntry } from '../lab/state/audit.js';
import type { Driver, LabRecord, Progress } from '../lab/drivers/types.js';
import type { Runner } from '../lab/runners/types.js';
import type { Topology } from '../lab/topology/schema.js';
import { loadTopology } from '../lab/topology/load.js';
import { DEFAULT_TOPOLOGY_FILE } from '../lab/paths.js';

/** Which lab, on which host: the same choice on every surface (CLI flags, REPL, bot env). */
export interface LabTarget {
  lab?: string;
  topologyFile?: string;
  /** user@host[:port]: run the lab on that host over SSH. */
  host?: string;
  identity?: string;
  knownHosts?: string;
  acceptNewHostKey?: boolean;
}

export interface SessionOptions extends LabTarget {
  caller: Caller;
  /** Said after a refusal: how this surface grants more rights. */
  permissionHint?: string;
}

export interface Outcome {
  ok: boolean;
  exitCode: 0 | 1 | 2;
  line: string;
  command?: string;
  /** The parsed call (absent when the line did not parse). */
  call?: ParsedCall;
  result?: unknown;
  error?: ErrorInfo;
  /** What the audit log recorded: lets a surface tell a refusal (denied/busy) from a failure. */
  status?: AuditEntry['outcome'];
  durationMs: number;
  /** The outcome could not be audited (full disk…): one line a surface shows as a warning. */
  auditError?: string;
}

/** The audit log cannot take the `started` line: the command is refused before it runs. */
export class AuditWriteError extends LabError {}

function auditFailure(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return `${auditFile()}: ${e.code ? `${e.code} ` : ''}${(e.message ?? String(err)).replace(/^\w+: /, '').split('\n')[0]}`;
}

/** Per-call options; `caller` overrides the session's (one bot session serves many users). */
export interface RunOptions {
  signal?: AbortSignal;
  progress?: Progress;
  caller?: Caller;
  /** `watch`: called with each repetition's result (the surface shows it). */
  onTick?: (tick: WatchTick) => void;
  /** A terminal the command may take over (REPL, CLI on a TTY): `connect`. */
  terminal?: Terminal;
}

export const DEFAULT_LAB = 'cilium-bgp';

/** A surface's connection to one lab: REPL session, CLI invocation, or the Slack bot. */
export class Session {
  readonly lab: string;
  readonly topologyFile: string;
  private runnerPromise?: Promise<Runner>;
  private fileTopology?: Topology;
  /** Aborted by cancelAll(): SIGTERM/SIGHUP cancel what runs (it rolls back, audits `cancelled`). */
  private readonly shutdown = new AbortController();
  private readonly inflight = new Set<Promise<Outcome>>();

  constructor(readonly options: SessionOptions) {
    this.lab = options.lab ?? process.env.BGP_LAB_NAME ?? DEFAULT_LAB;
    if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(this.lab))
      throw new UsageError(`lab name "${this.lab}" is not valid`, 'use up to 31 lower-case letters, digits and dashes');
    this.topologyFile = options.topologyFile ?? DEFAULT_TOPOLOGY_FILE;
  }

  /** The model from --topology (validated once per session). */
  topologyFromFile(): Topology {
    this.fileTopology ??= loadTopology(this.topologyFile);
    return this.fileTopology;
  }

  runner(): Promise<Runner> {
    this.runnerPromise ??= (async () => {
      if (!this.options.host) {
        const { LocalRunner } = await import('../lab/runners/local.js');
        return new LocalRunner();
      }
      const { SshRunner } = await import('../lab/runners/ssh.js');
      return SshRunner.connect(this.options.host, {
        identity: this.options.identity,
        knownHosts: this.options.knownHosts,
        acceptNewHostKey: this.options.acceptNewHostKey,
      });
    })();
    return this.runnerPromise;
  }

  /** The lab's driver: what the lab was brought up with, else `preferred`, else embedded. */
  async driver(preferred?: 'embedded' | 'kind'): Promise<Driver> {
    const runner = await this.runner();
    const { openDriver, readLabRecord } = await import('../lab/drivers/index.js');
    const record = await readLabRecord(runner, this.lab);
    return openDriver(record?.driver ?? preferred ?? 'embedded', this.lab, runner);
  }

  async record(): Promise<LabRecord | undefined> {
    const { readLabRecord } = await import('../lab/drivers/index.js');
    return readLabRecord(await this.runner(), this.lab);
  }

  /** Cancels every command of this session, now and later (the process is going away). */
  cancelAll(): void {
    this.shutdown.abort();
  }

  /** Resolves once every command of this session has finished (rolled back, audited). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.inflight]);
  }

  async close(): Promise<void> {
    if (this.runnerPromise) await (await this.runnerPromise).close();
    this.runnerPromise = undefined;
  }

  /** Parses and runs one command line; never throws. */
  run(input: string | string[], opts: RunOptions = {}): Promise<Outcome> {
    const p = this.runOne(input, opts);
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
    return p;
  }

  private async runOne(input: string | string[], runOpts: RunOptions): Promise<Outcome> {
    const caller = runOpts.caller ?? this.options.caller;
    const started = performance.now();
    // Per call (listeners of its spawns go with it), and aborted by cancelAll() too.
    const signal = AbortSignal.any([runOpts.signal ?? new AbortController().signal, this.shutdown.signal]);
    // Every spawn of a command listens on its signal: dozens at once is expected, not a leak.
    setMaxListeners(0, signal);
    const opts: RunOptions = { ...runOpts, signal };
    const audit: { id?: string } = {};
    let call: ParsedCall | undefined;
    let line = Array.isArray(input) ? input.join(' ') : input;
    let result: unknown;
    let error: ErrorInfo | undefined;
    let outcome: AuditEntry['outcome'] = 'ok';
    try {
      call = parseWords(Array.isArray(input) ? input : tokenize(input), commands);
      line = call.line;
      if (call.help) {
        call = parseWords(['help', call.spec.name], commands);
      }
      result = await this.invoke(call, { ...opts, caller }, audit);
      // A verdict cut short by Ctrl-C (a partial `check`) is audited as cancelled, not failed.
      if (isFailedVerdict(result)) outcome = opts.signal?.aborted ? 'cancelled' : 'failed';
    } catch (err) {
      error = describeError(err);
      outcome =
        err instanceof UsageError ? 'bad-input'
        : err instanceof PermissionError ? 'denied'
        : err instanceof BusyError ? 'busy'
        : error.message === 'cancelled' || opts.signal?.aborted ? 'cancelled'
        : 'error';
      if (outcome === 'cancelled') error = { ...error, message: 'cancelled' };
    }
    const durationMs = performance.now() - started;
    const exitCode: 0 | 1 | 2 = error ? error.exitCode : outcome === 'failed' || outcome === 'cancelled' ? 1 : 0;
    let auditError: string | undefined;
    if (call?.spec.name !== 'help' || error) {
      try {
        appendAudit({
          at: new Date().toISOString(),
          id: audit.id,
          lab: this.lab,
          surface: caller.surface,
          user: caller.user,
          channel: caller.channel,
          command: call?.spec.name ?? line.split(/\s+/)[0] ?? '',
          line,
          outcome,
          message: error?.message,
          durationMs: Math.round(durationMs),
        });
      } catch (err) {
        // Refused already when it was the `started` line; otherwise said once, never thrown.
        if (!error?.message.startsWith('cannot write the audit log')) auditError = `the audit log could not be written (${auditFailure(err)})`;
      }
    }
    return { ok: !error && outcome === 'ok', exitCode, line, command: call?.spec.name, call, result, error, status: outcome, durationMs, auditError };
  }

  private async invoke(call: ParsedCall, opts: RunOptions & { caller: Caller }, audit: { id?: string }): Promise<unknown> {
    const spec = call.spec as CommandSpec;
    const caller = opts.caller;
    const needed = spec.permissionFor?.(call.args as never) ?? spec.permission;
    if (PERMISSION_RANK[caller.level] < PERMISSION_RANK[needed]) {
      throw new PermissionError(
        `\`${call.line}\` needs ${needed} permission; ${caller.surface === 'slack' ? `<@${caller.user}>` : caller.user} has ${caller.level}${((why) => (why ? ` (${why})` : ''))(spec.permissionReason?.(call.args as never))}`,
        this.options.permissionHint,
      );
    }
    (await import('./surface-paths.js')).checkSurfacePaths(spec, call.args, caller);
    const held = spec.mutating
      ? await acquireLock(this.lab, { command: call.line, owner: caller.user, ownerName: caller.name, surface: caller.surface }, { force: spec.breaksLock?.(call.args as never) })
      : undefined;
    try {
      if (spec.mutating) {
        // Before it runs: a crash from here on leaves a `started` line with no outcome, and a
        // log that cannot take it (full disk) refuses the command rather than run it unaudited.
        const id = newAuditId();
        try {
          appendAudit({ at: new Date().toISOString(), id, lab: this.lab, surface: caller.surface, user: caller.user, channel: caller.channel, command: spec.name, line: call.line, outcome: 'started', durationMs: 0 });
        } catch (err) {
          throw new AuditWriteError(`cannot write the audit log (${auditFailure(err)}): \`${call.line}\` was not run`, { hint: 'free space there (or point BGP_LAB_AUDIT_LOG elsewhere), then run it again' });
        }
        audit.id = id;
      }
      opts.signal?.throwIfAborted();
      const ctx = await this.context(opts, spec.offline, held?.broke ? describeHolder(held.broke) : undefined);
      const startedAt = new Date().toISOString();
      const result = await spec.handler(call.args as never, ctx);
      if (spec.drillAction) {
        // When it started, not when it returned: a 5 s router restart's own outage is the fix's.
        const { noteAction } = await import('../lab/state/drill-state.js');
        await noteAction(this.lab, call.line, caller.user, startedAt, caller.name);
      }
      // During a drill every command, from every surface, is on its timeline (gameday).
      if (!spec.offline) {
        const { noteCommand } = await import('../lab/state/drill-state.js');
        await noteCommand(this.lab, spec.name, { at: startedAt, user: caller.user, name: caller.name, surface: caller.surface, line: call.line, fix: spec.drillAction || undefined }).catch(() => {});
      }
      return result;
    } finally {
      await held?.release();
    }
  }

  /**
   * Runs a read command for the surface's own upkeep (the prompt's health, warming up), not
   * because someone asked: no audit entry, no lock. Mutating commands are refused.
   */
  async peek<T>(name: string, args: Record<string, unknown> = {}, opts: RunOptions = {}): Promise<{ result: T; context: CommandContext }> {
    const spec = findCommand(name);
    if (!spec || spec.mutating) throw new Error(`peek runs read commands only, not ${name}`);
    const context = await this.context(opts, spec.offline);
    return { result: (await spec.handler(spec.args.parse(args) as never, context)) as T, context };
  }

  async context(opts: RunOptions = {}, offline = false, brokeLock?: string): Promise<CommandContext> {
    const record = offline ? undefined : await this.record().catch(() => undefined);
    const session = this;
    return {
      lab: this.lab,
      get topology() {
        return record?.topology ?? session.topologyFromFile();
      },
      topologyFile: record?.topologyFile ?? this.topologyFile,
      caller: opts.caller ?? this.options.caller,
      signal: opts.signal ?? unlimited(new AbortController().signal),
      progress: opts.progress ?? (() => {}),
      host: this.options.host,
      brokeLock,
      tick: opts.onTick,
      terminal: opts.terminal,
      driver: (preferred) => session.driver(preferred),
    };
  }
}

export function isFailedVerdict(result: unknown): boolean {
  return typeof result === 'object' && result !== null && 'ok' in result && (result as { ok: unknown }).ok === false;
}

function unlimited(signal: AbortSignal): AbortSignal {
  setMaxListeners(0, signal);
  return signal;
}
