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
  /** Display name when the surface knew it (Slack users.info, the terminal login). */
  name?: string;
}

export type DrillRole = 'game master' | 'commander' | 'scribe' | 'responder';

/** Someone in the drill: paged, claimed a role, or ran a command during it. Only they take hints. */
export interface Participant {
  user: string;
  name: string;
  roles: DrillRole[];
  paged?: boolean;
  since: string;
  surface?: string;
}

/** A command run during the drill from any surface (fixes are `actions` as well). */
export interface DrillCommand {
  at: string;
  user: string;
  name: string;
  surface: string;
  line: string;
  /** An operator's fix (link, restart, policy set, netem): also in `actions`. */
  fix?: boolean;
}

export interface DrillNote {
  at: string;
  user: string;
  name: string;
  text: string;
}

/** What the drill's watcher saw on the leaves, or what happened to the drill itself. */
export interface DrillEvent {
  at: string;
  kind: 'role' | 'bgp' | 'abort' | 'hint' | 'prober-paused' | 'prober-resumed';
  /** Who did it (role claims, hints, abort by the game master). */
  user?: string;
  name?: string;
  text: string;
}

/** (gameday) One pause of the drill's prober, by whom, until when (open while paused). */
export interface ProberPause {
  at: string;
  user: string;
  name: string;
  resumedAt?: string;
  resumedBy?: string;
}

/** The game's own data: the page, roles, notes, commands, BGP events and abort rules. */
export interface GameFields {
  /** One per drill, kept in the reports and the scores (`drill report ID`). */
  drillId?: string;
  gameMaster?: { user: string; name: string };
  participants?: Participant[];
  /** Paged: Slack user IDs and usergroups (`S…`), as the page mentions them. */
  paged?: string[];
  commands?: DrillCommand[];
  notes?: DrillNote[];
  events?: DrillEvent[];
  /** Auto-end rules: scored `aborted`, lab restored. */
  limits?: { abortAfterMs?: number; abortIfOutageMs?: number };
  abortReason?: string;
  /** The schedule that started it. */
  scheduleId?: string;
  /** What the watcher last saw: sessions per leaf and the leaves' routes (for down/up and withdrawn/restored events). */
  watch?: { sessions: string[]; routes: Record<string, string[]>; at: string };
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
  drillId?: string;
  /** From injection to the first relevant command (anything but drill bookkeeping and help). */
  timeToDetectMs?: number;
  /** From injection to the command that fixed it (the last fix before it was found fixed). */
  timeToMitigateMs?: number;
  abortReason?: string;
  /** Per person: roles, their own time to detect, the drill's time to mitigate when they ran the fix, hints they took. */
  participants?: { user: string; name: string; roles: DrillRole[]; detectMs?: number; mitigateMs?: number; hints: number; commands: number }[];
}

export interface DrillState extends GameFields {
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
  prober?: {
    flows: { from: string; to: string; toIp: string; pidFile: string; logFile: string }[];
    intervalMs: number;
    /** (gameday) The game master's pauses: no probe runs in them, and the figures leave them out. */
    pauses?: ProberPause[];
    /** (gameday) Runs of the pings so far minus one: each resume starts new logs (ping counts icmp_seq from 1 again). */
    run?: number;
  };
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
export async function noteAction(lab: string, line: string, user: string, at = new Date().toISOString(), name?: string): Promise<void> {
  await updateDrill(lab, (d) => void (d.actions = [...(d.actions ?? []), { at, line, user, name }]));
}

/** Adds (or updates) a participant: a paged person, a role claim, someone who ran a command. */
export function addParticipant(d: DrillState, p: { user: string; name?: string; role?: DrillRole; paged?: boolean; surface?: string; at?: string }): Participant {
  d.participants ??= [];
  let cur = d.participants.find((x) => x.user === p.user);
  if (!cur) {
    cur = { user: p.user, name: p.name ?? p.user, roles: [], since: p.at ?? new Date().toISOString(), surface: p.surface };
    d.participants.push(cur);
  }
  if (p.name && (cur.name === cur.user || p.name !== p.user)) cur.name = p.name;
  if (p.paged) cur.paged = true;
  if (p.role && !cur.roles.includes(p.role)) cur.roles.push(p.role);
  return cur;
}

export function isParticipant(d: DrillState, user: string): boolean {
  return d.gameMaster?.user === user || d.startedBy === user || Boolean(d.participants?.some((p) => p.user === user));
}

/** Drill bookkeeping: following along (or scheduling) is not taking part, and is not detection. */
export const BOOKKEEPING = new Set(['help', 'drill list', 'drill status', 'drill scores', 'drill report', 'drill schedule', 'drill watch', 'drill prober', 'drill guard', 'drill note', 'drill role', 'drill hint', 'drill check', 'drill end', 'drill start', 'audit']);

/**
 * Every command run while a drill runs, from any surface: its timeline entry, and its runner a
 * participant. Cheap when no drill runs (one failed file read); never fails the command.
 */
export async function noteCommand(lab: string, command: string, c: Omit<DrillCommand, 'name'> & { name?: string }): Promise<void> {
  if (BOOKKEEPING.has(command)) return;
  const d = await readDrill(lab);
  if (!d || (d.phase && d.phase !== 'running')) return;
  await updateDrill(lab, (s) => {
    const name = c.name ?? c.user;
    s.commands = [...(s.commands ?? []), { ...c, name, line: c.line.slice(0, 300) }].slice(-500);
    addParticipant(s, { user: c.user, name, surface: c.surface, at: c.at });
  });
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
