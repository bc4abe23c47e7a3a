// The shape of every command: a name, a zod schema for its arguments, a permission level
// and a handler that reports progress and returns a typed result. Surfaces render results;
// handlers never format text for one surface.
import type { z } from 'zod';
import type { Topology } from '../lab/topology/schema.js';
import type { Driver, Progress } from '../lab/drivers/types.js';

export type Permission = 'read' | 'operate' | 'admin';
export const PERMISSION_RANK: Record<Permission, number> = { read: 0, operate: 1, admin: 2 };

/** What the REPL completes a positional with, and what the Slack bot offers in a menu. */
export type Completion = 'router' | 'node' | 'device' | 'pod' | 'interface' | 'policy' | 'scenario' | 'command' | { values: string[] }
  /** `leaf0:eth1,eth2`: a router, a colon, then a comma list of its interfaces. */
  | 'router:interfaces';

export type HostPathArg = 'out' | 'topology';

export interface Positional {
  name: string;
  complete?: Completion;
  variadic?: boolean;
  /** Variadic and verbatim: from its first word on, every word is its own (`watch peers --all`). */
  rest?: boolean;
}

export interface Caller {
  surface: 'cli' | 'repl' | 'slack' | 'test';
  /** User name or Slack user id. */
  user: string;
  /** What people read: the Slack display name (users.info) or the terminal login; the ID stays in `user` and the audit log. */
  name?: string;
  /** Slack channel id; terminal for the REPL/CLI. */
  channel?: string;
  /** The highest level this caller may run. */
  level: Permission;
}

/** The surface's terminal, lent to a command for an interactive program (`connect`). */
export interface Terminal {
  /** Runs argv on the terminal (its keys, its screen) until it exits; resolves its exit code. */
  handOver(argv: string[]): Promise<number>;
}

export interface CommandContext {
  lab: string;
  /** The model: the running lab's recorded one when it is up, else the one from --topology. */
  topology: Topology;
  topologyFile: string;
  caller: Caller;
  signal: AbortSignal;
  progress: Progress;
  /** The driver for this lab (embedded by default, or what the lab was brought up with). */
  driver(preferred?: 'embedded' | 'kind'): Promise<Driver>;
  /** Options of the surface that the command may need (e.g. --host). */
  host?: string;
  /** `down --force`: whose lock it broke, one line (the command says so in its result). */
  brokeLock?: string;
  /** Only where a person sits at a terminal (REPL, CLI on a TTY); never from Slack. */
  terminal?: Terminal;
  /** `watch`: each repetition's result, for the surface to show as it comes (absent: not shown). */
  tick?: (tick: WatchTick) => void;
}

/** One repetition of a watched command. */
export interface WatchTick {
  n: number;
  at: string;
  /** The watched command's name (its renderer's key) and line. */
  command: string;
  line: string;
  intervalSeconds: number;
  result?: unknown;
  error?: { message: string; hint?: string };
}

export interface CommandSpec<S extends z.ZodObject = z.ZodObject, R = unknown> {
  /** One or two words: `routes`, `topo validate`, `drill start`. */
  name: string;
  summary: string;
  /** Other names people type for it (`topo` for `topo show`). */
  aliases?: string[];
  /** Examples shown by `help <cmd>`. */
  examples?: string[];
  positionals: Positional[];
  /** Keys are positional names and flag names (camelCase; --pods-per-node → podsPerNode). */
  args: S;
  permission: Permission;
  /** When an option raises the level (`down --all` touches every lab: admin). */
  permissionFor?(args: z.infer<S>): Permission;
  /** Why these arguments need more than read (said in the refusal): `vtysh`'s non-show command. */
  permissionReason?(args: z.infer<S>): string | undefined;
  /** Mutating commands take the lab lock; read commands never wait for it. */
  mutating?: boolean;
  /** Breaks a live holder's lock instead of answering busy (`down --force`, admin only). */
  breaksLock?(args: z.infer<S>): boolean;
  /** Needs no lab (help, topo, render): the lab record is not read. */
  offline?: boolean;
  /** Long-running: surfaces show progress and Slack answers with one updated message. */
  long?: boolean;
  /** An operator's fix (link, restarts, policy set, netem): during a drill, recorded with the time it started. */
  drillAction?: boolean;
  /**
   * Arguments that name a path on the lab host: 'out' is written (refused from Slack, whose
   * results come back as uploads), 'topology' is read (from Slack only a built-in topology name).
   * Checked by the core (surface-paths.ts) before the handler runs.
   */
  hostPaths?: Record<string, HostPathArg>;
  /**
   * What Ctrl-C does to it, so a surface can say so truthfully. 'rollback': cancelled and what
   * it made is undone (`up`); 'finish': it cannot be stopped halfway and runs to its result
   * (`drill end` restoring the fabric); 'partial': it stops early and returns what it did
   * (`check`, `capture`). Unset: cancelled, nothing to undo.
   */
  cancel?: 'rollback' | 'finish' | 'partial';
  /** Flags that take completion hints (e.g. --from pod). */
  flagCompletions?: Record<string, Completion>;
  handler(args: z.infer<S>, ctx: CommandContext): Promise<R>;
}

/** A result that says whether what was checked held; `ok: false` maps to exit code 1. */
export interface Verdict {
  ok: boolean;
}

export function defineCommand<S extends z.ZodObject, R>(spec: CommandSpec<S, R>): CommandSpec<S, R> {
  return spec;
}
