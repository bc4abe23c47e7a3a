// The running drill of a lab, if any (one at a time per lab). Kept with the tool's state
// so every surface (REPL prompt, Slack thread, status) sees the same drill.
import { appendFile, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stateDir } from '../paths.js';
import type { Topology } from '../topology/schema.js';

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

/** Whole-state write, atomic (temp file + rename): a reader never sees half a file. */
export async function writeDrill(state: DrillState): Promise<void> {
  await mkdir(join(stateDir(), 'drills'), { recursive: true });
  const tmp = `${file(state.lab)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, JSON.stringify(state, null, 2));
  await rename(tmp, file(state.lab));
}

/**
 * Read-modify-write of the running drill under a per-lab lock file. The drill is shared by
 * processes and surfaces at once (a Slack `router restart` while `drill check` waits): a plain
 * read then write lost the other's change. Returns the updated state, or undefined (no drill).
 */
export async function updateDrill(lab: string, mutate: (s: DrillState) => void): Promise<DrillState | undefined> {
  await mkdir(join(stateDir(), 'drills'), { recursive: true });
  const lock = `${file(lab)}.lock`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await (await open(lock, 'wx')).close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A holder that died mid-update leaves its lock behind: older than any update takes, it is stale.
      const age = await stat(lock).then((st) => Date.now() - st.mtimeMs, () => 0);
      if (age > 5_000 || Date.now() > deadline) await rm(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 5));
    }
  }
  try {
    const d = await readDrill(lab);
    if (!d) return undefined;
    mutate(d);
    await writeDrill(d);
    return d;
  } finally {
    await rm(lock, { force: true });
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
  await mkdir(join(stateDir(), 'drills'), { recursive: true });
  await appendFile(scoresFile(), JSON.stringify(e) + '\n');
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
