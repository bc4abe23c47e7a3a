// The running drill of a lab, if any (one at a time per lab). Kept with the tool's state
// so every surface (REPL prompt, Slack thread, status) sees the same drill.
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
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

export async function writeDrill(state: DrillState): Promise<void> {
  await mkdir(join(stateDir(), 'drills'), { recursive: true });
  await writeFile(file(state.lab), JSON.stringify(state, null, 2));
}

export async function clearDrill(lab: string): Promise<void> {
  await rm(file(lab), { force: true });
}

/** Operator commands call this: during a drill, what was done and when is part of the report. */
export async function noteAction(lab: string, line: string, user: string): Promise<void> {
  const d = await readDrill(lab);
  if (!d) return;
  d.actions = [...(d.actions ?? []), { at: new Date().toISOString(), line, user }];
  await writeDrill(d);
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
