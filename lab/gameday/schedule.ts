// Scheduled game days: a schedule is one 0600 file in the state dir, written by `drill schedule`
// (any surface) and fired by the bot process that serves the lab. Firing claims the file by an
// atomic rename first: with two bots running, exactly one rename succeeds, so a drill fires once.
// A window schedule keeps its exact moment to itself (the point is surprise); with --days it
// recurs, the next moment drawn when it fires.
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stateDir } from '../paths.js';
import { stateSubdir, takeFile, writePrivateAsync } from '../state/dir.js';
import { UsageError } from '../errors.js';
import { z } from 'zod';
import { parseDuration } from './input.js';

export const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Day = (typeof DAYS)[number];

export interface Schedule {
  id: string;
  lab: string;
  createdAt: string;
  /** Who scheduled it: the game master of the drill it starts (ID kept, name shown). */
  createdBy: string;
  createdByName: string;
  surface: string;
  /** Where the page goes (a Slack channel ID). */
  channel: string;
  scenario?: string;
  random: boolean;
  /** Slack user IDs and usergroups the page mentions. */
  page: string[];
  /** The moment it fires (secret for a window schedule: shown as its window). */
  fireAt: string;
  kind: 'in' | 'at' | 'window';
  window?: { from: string; to: string; days?: Day[] };
  limits?: { abortAfter?: string; abortIfOutage?: string };
}

/** A late bot (down at the moment) still fires a schedule this late; later, it is skipped. */
export const LATE_MS = 15 * 60_000;
const MAX_SCHEDULES = 50;

const dir = () => join(stateDir(), 'schedules');
const fileOf = (id: string) => join(dir(), `${id}.json`);
export const SCHEDULE_ID = /^s-[a-z0-9]{4,12}$/;

export function newScheduleId(): string {
  return `s-${Date.now().toString(36).slice(-4)}${Math.random().toString(36).slice(2, 6)}`;
}

const hhmm = (t: string, what: string): number => {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(t);
  if (!m) throw new UsageError(`${what} "${t.slice(0, 20)}" is not a time of day`, 'write it HH:MM in UTC, like 14:30');
  return Number(m[1]) * 60 + Number(m[2]);
};

export function parseDays(text: string): Day[] {
  const days = text.toLowerCase().split(',').map((d) => d.trim().slice(0, 3)).filter(Boolean);
  for (const d of days) if (!(DAYS as readonly string[]).includes(d)) throw new UsageError(`--days: "${d}" is not a day`, 'comma-separated: mon,tue,wed,thu,fri,sat,sun');
  if (!days.length) throw new UsageError('--days is empty', 'e.g. --days mon,fri');
  return [...new Set(days)] as Day[];
}

/** `--at 14:30` (next time it is 14:30 UTC) or a full ISO time; at most 30 days ahead. */
export function parseAt(text: string, now = Date.now()): number {
  let t: number;
  if (/^\d{1,2}:\d{2}$/.test(text)) {
    const mins = hhmm(text, '--at');
    const d = new Date(now);
    t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), Math.floor(mins / 60), mins % 60);
    if (t <= now) t += 86_400_000;
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(text)) t = Date.parse(text);
  else throw new UsageError(`--at "${text.slice(0, 30)}" is not a time`, 'HH:MM (UTC) or 2026-12-04T14:30Z');
  if (!Number.isFinite(t) || t <= now || t > now + 30 * 86_400_000) throw new UsageError(`--at ${text.slice(0, 30)} is not within the next 30 days`, 'pick a time in the future, at most 30 days ahead');
  return t;
}

/**
 * A random moment in the next occurrence of the window (UTC), on one of `days` when given;
 * today's window counts while some of it is left. `rand` is in [0, 1).
 */
export function nextInWindow(win: { from: string; to: string; days?: Day[] }, now = Date.now(), rand = Math.random()): number {
  const from = hhmm(win.from, '--window start');
  const to = hhmm(win.to, '--window end');
  if (to <= from) throw new UsageError(`--window ${win.from}-${win.to} ends before it starts`, 'HH:MM-HH:MM within one UTC day, like 14:00-16:00');
  const today = new Date(now);
  for (let i = 0; i < 8; i++) {
    const day = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + i);
    if (win.days && !win.days.includes(DAYS[new Date(day).getUTCDay()]!)) continue;
    const start = Math.max(day + from * 60_000, now + 1000);
    const end = day + to * 60_000;
    if (end - start < 1000) continue;
    return Math.floor(start + rand * (end - start));
  }
  throw new UsageError('--window never comes round', 'check --days');
}

export async function saveSchedule(s: Schedule): Promise<void> {
  stateSubdir('schedules');
  await writePrivateAsync(fileOf(s.id), JSON.stringify(s, null, 2));
}

export async function createSchedule(s: Schedule): Promise<Schedule> {
  if ((await listSchedules(s.lab)).length >= MAX_SCHEDULES) throw new UsageError(`lab ${s.lab} has ${MAX_SCHEDULES} schedules already`, '`drill schedule cancel ID` some first');
  await saveSchedule(s);
  return s;
}

/**
 * A schedule file as the bot will act on it: it becomes a `drill start` line run with operate as
 * its author, and a page in a channel. A file edited on disk is input like any other: each field
 * must be what `drill schedule` would have written, or the file is not a schedule.
 */
const ScheduleFile = z.object({
  id: z.string().regex(SCHEDULE_ID),
  lab: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/),
  createdAt: z.string().datetime(),
  createdBy: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/),
  createdByName: z.string().max(80).regex(/^[^\u0000-\u001f\u007f-\u009f<>]*$/),
  surface: z.enum(['cli', 'repl', 'slack', 'test']),
  channel: z.string().regex(/^[CG][A-Z0-9]{2,20}$/),
  scenario: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/).optional(),
  random: z.boolean(),
  page: z.array(z.string().regex(/^[UWS][A-Z0-9]{1,20}$/)).max(20),
  fireAt: z.string().datetime(),
  kind: z.enum(['in', 'at', 'window']),
  window: z.object({ from: z.string().regex(/^\d{1,2}:\d{2}$/), to: z.string().regex(/^\d{1,2}:\d{2}$/), days: z.array(z.enum(DAYS)).max(7).optional() }).optional(),
  limits: z.object({ abortAfter: z.string().max(20).optional(), abortIfOutage: z.string().max(20).optional() }).optional(),
}).strict();

/** The schedule in a file's text, checked; undefined (and why) when it is not one `drill schedule` would write. */
export function parseSchedule(text: string): { schedule?: Schedule; error?: string } {
  try {
    const s = ScheduleFile.parse(JSON.parse(text)) as Schedule;
    if (s.random === Boolean(s.scenario)) return { error: 'needs a scenario or random, not both' };
    if (s.kind === 'window' && !s.window) return { error: 'a window schedule without its window' };
    if (s.window) nextInWindow(s.window, Date.parse(s.fireAt) - 1000); // HH:MM in range, ends after it starts
    durationOk(s.limits?.abortAfter, '--abort-after', 10_000, 86_400_000);
    durationOk(s.limits?.abortIfOutage, '--abort-if-outage', 1000, 3_600_000);
    return { schedule: s };
  } catch (err) {
    return { error: err instanceof z.ZodError ? err.issues.slice(0, 2).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (err as Error).message };
  }
}

export async function listSchedules(lab?: string, onInvalid?: (file: string, why: string) => void): Promise<Schedule[]> {
  const names = await readdir(dir()).catch(() => [] as string[]);
  const out: Schedule[] = [];
  for (const n of names.filter((x) => /^s-[a-z0-9]+\.json$/.test(x))) {
    const text = await readFile(join(dir(), n), 'utf8').catch(() => undefined);
    if (text === undefined) continue; // being claimed
    const { schedule: s, error } = parseSchedule(text);
    if (!s) {
      // Half-written, or edited by hand into something no command would write: never fired.
      if (error && !/JSON/.test(error)) onInvalid?.(n, error);
      continue;
    }
    if (`${s.id}.json` !== n) continue;
    if (!lab || s.lab === lab) out.push(s);
  }
  return out.sort((a, b) => a.fireAt.localeCompare(b.fireAt));
}

export async function cancelSchedule(lab: string, id: string): Promise<Schedule> {
  if (!SCHEDULE_ID.test(id)) throw new UsageError(`"${id.slice(0, 30)}" is not a schedule ID`, 'see `drill schedule list`');
  const s = (await listSchedules(lab)).find((x) => x.id === id);
  if (!s) throw new UsageError(`no schedule ${id} on lab ${lab}`, 'see `drill schedule list`');
  await rm(fileOf(id), { force: true });
  return s;
}

/**
 * Takes a due schedule for this process: the rename succeeds for exactly one claimer, whoever
 * else tries gets ENOENT. Returns the schedule (its file is now ours), or undefined.
 */
export async function claimSchedule(s: Schedule): Promise<Schedule | undefined> {
  try {
    const text = await takeFile(fileOf(s.id), 'firing');
    return text === undefined ? undefined : parseSchedule(text).schedule;
  } catch {
    return undefined;
  }
}

/** After firing: a recurring window schedule gets its next moment (same ID); others are done. */
export async function rescheduleAfterFiring(s: Schedule, now = Date.now()): Promise<Schedule | undefined> {
  if (s.kind !== 'window' || !s.window?.days) return undefined;
  // Once per day at most: the next one is drawn from tomorrow on (UTC).
  const d = new Date(Math.max(now, Date.parse(s.fireAt)));
  const tomorrow = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  const next = { ...s, fireAt: new Date(nextInWindow(s.window, tomorrow)).toISOString() };
  await saveSchedule(next);
  return next;
}

export function durationOk(text: string | undefined, what: string, min: number, max: number): string | undefined {
  if (text === undefined) return undefined;
  parseDuration(text, what, min, max);
  return text;
}
