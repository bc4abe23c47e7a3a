// The running drill of a lab, if any (one at a time per lab). Kept with the tool's state
// so every surface (REPL prompt, Slack thread, status) sees the same drill.
import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stateDir } from '../paths.js';
import type { Topology } from '../topology/schema.js';
import { LabError } from '../errors.js';
import { appendPrivateAsync, stateSubdir, writePrivateAsync } from './dir.js';
import { flockFile } from './lock.js';
import type { ProcessIdentity } from './identity.js';

/**
 * `drill start` is a journal, each step recorded before the next one begins, so a crash at
 * any step leaves a state that says what was done: `starting` (intent: baseline, fault target
 * and the prober's pid files, nothing started yet), `probing` (the prober runs), `injecting`
 * (the fault is being injected: it may be in place), `injected`, `running` (start finished).
 * `drill end` / `down` of anything but `running` restores and scores it aborted.
 */
export type DrillPhase = 'starting' | 'probing' | 'injecting' | 'injected' | 'running';

/** What a converged lab looked like when the drill started: `drill end` must get back to it. */
export interface Baseline {
  /** Per router: one line per selected route, `prefix protocol nexthop,nexthop`. */
  routes: Record<string, string[]>;
  /** One line per expected session end: `device → peer (address) state`. */
  sessions: string[];
}

export interface DrillAction {
  at: string;
  line: string;
  user: string;
}

export interface ScoreEntry {
  lab: string;
  id: string;
  title: string;
  user: string;
  surface: string;
  startedAt: string;
  endedAt: string;
  /** From injection to the first passing `drill check`; absent when not resolved. */
  timeToResolveMs?: number;
  hintsUsed: number;
  outcome: 'resolved' | 'gave-up' | 'aborted';
}

export interface DrillState {
  lab: string;
  /** Absent in files written before the journal: those were running. */
  phase?: DrillPhase;
  /** The process running `drill start` (until `running`): dead means the start was interrupted. */
  starter?: ProcessIdentity;
  id: string;
  title: string;
  startedAt: string;
  startedBy: string;
  surface: string;
  hintsUsed: number;
  seed?: number;
  /** Slack thread the drill lives in, when started from Slack. */
  thread?: { channel: string; ts: string };
  /** Scenario-specific data needed to restore (e.g. which node, which link). */
  fault: Record<string, string | number>;
  /** Started with --random: surfaces do not show the id or title until `drill end`. */
  hidden?: boolean;
  baseline?: Baseline;
  /** The lab's model before the drill: policies edited by the fault or the responder go back to it. */
  baselineTopology?: Topology;
  injectedAt?: string;
  /** Leaves' tables stopped changing this long after injection (undefined: they never settled). */
  injectConvergenceMs?: number;
  /** Operator commands run during the drill (link, agent restart, policy set, …). */
  actions?: DrillAction[];
  resolvedAt?: string;
  /** Whose test found it fixed: a passing `drill check`, or `drill end` when nobody checked first. */
  resolvedBy?: 'check' | 'end';
  fixConvergenceMs?: number;
  prober?: { flows: { from: string; to: string; toIp: string; pidFile: string; logFile: string }[]; intervalMs: number };
}

function file(lab: string): string {
  return join(stateDir(), 'drills', `${lab}.json`);
}

export async function readDrill(lab: string): Promise<DrillState | undefined> {
  try {
    return JSON.parse(await readFile(file(lab), 'utf8')) as DrillState;
  } catch {
    return undefined;
  }
}

/** Whole-state write, atomic (temp file + rename): a reader never sees half a file. 0600: it names a --random drill's scenario. */
export async function writeDrill(state: DrillState): Promise<void> {
  stateSubdir('drills');
  const tmp = `${file(state.lab)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writePrivateAsync(tmp, JSON.stringify(state, null, 2));
  await rename(tmp, file(state.lab));
}

/**
 * Read-modify-write of the running drill under a per-lab lock file. The drill is shared by
 * processes and surfaces at once (a Slack `router restart` while `drill check` waits): a plain
 * read then write lost the other's change. Returns the updated state, or undefined (no drill).
 */
export async function updateDrill(lab: string, mutate: (s: DrillState) => void): Promise<DrillState | undefined> {
  stateSubdir('drills');
  // An flock (see lock.ts): a holder that dies mid-update frees it at once, and two waiters
  // never both decide it is stale and both go ahead.
  const path = `${file(lab)}.lock`;
  await appendPrivateAsync(path, '').catch(() => {}); // 0600, before flock creates it 0644
  const lock = await flockFile(path, 10_000);
  if (!lock) throw new LabError(`the drill state of lab ${lab} stayed locked for 10 s`, { hint: 'run the command again' });
  try {
    const d = await readDrill(lab);
    if (!d) return undefined;
    mutate(d);
    await writeDrill(d);
    return d;
  } finally {
    await lock.release();
  }
}

export async function clearDrill(lab: string): Promise<void> {
  await rm(file(lab), { force: true });
}

/** Operator commands call this: during a drill, what was done and when is part of the report. */
export async function noteAction(lab: string, line: string, user: string, at = new Date().toISOString()): Promise<void> {
  await updateDrill(lab, (d) => void (d.actions = [...(d.actions ?? []), { at, line, user }]));
}

function scoresFile(): string {
  return join(stateDir(), 'drills', 'scores.jsonl');
}

export async function appendScore(e: ScoreEntry): Promise<void> {
  stateSubdir('drills');
  await appendPrivateAsync(scoresFile(), JSON.stringify(e) + '\n');
}

export async function readScores(): Promise<ScoreEntry[]> {
  const text = await readFile(scoresFile(), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).flatMap((l) => {
    try {
      return [JSON.parse(l) as ScoreEntry];
    } catch {
      return []; // a line cut by a crash: skip it, keep the rest
    }
  });
}

/** `down` during a drill: the lab (and every fault) is gone; the drill is scored as aborted. */
export async function abandonDrill(lab: string): Promise<void> {
  const d = await readDrill(lab);
  if (!d) return;
  await appendScore({ lab, id: d.id, title: d.title, user: d.startedBy, surface: d.surface, startedAt: d.startedAt, endedAt: new Date().toISOString(), hintsUsed: d.hintsUsed, outcome: 'aborted' });
  await clearDrill(lab);
}
