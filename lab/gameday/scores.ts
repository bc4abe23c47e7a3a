// Scores for people, not systems: per person (roles held, time to detect, time to mitigate,
// hints, outcomes) or per scenario, from the score lines every ended drill appends.
import type { ScoreEntry } from '../state/drill-state.js';
import { UsageError } from '../errors.js';
import { parseDuration } from './input.js';

export interface LeaderRow {
  /** A person's display name, or a scenario ID. */
  key: string;
  drills: number;
  roles: string[];
  resolved: number;
  aborted: number;
  gaveUp: number;
  /** Best (lowest) and mean of the times they were credited with. */
  bestDetectMs?: number;
  meanDetectMs?: number;
  bestMitigateMs?: number;
  meanMitigateMs?: number;
  hints: number;
}

const mean = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : undefined);
const best = (xs: number[]) => (xs.length ? Math.min(...xs) : undefined);

export function leaderboard(scores: ScoreEntry[], by: 'person' | 'scenario'): LeaderRow[] {
  const rows = new Map<string, { row: LeaderRow; detect: number[]; mitigate: number[] }>();
  const add = (key: string, s: ScoreEntry, p: { roles: string[]; detectMs?: number; mitigateMs?: number; hints: number }) => {
    let cur = rows.get(key);
    if (!cur) rows.set(key, (cur = { row: { key, drills: 0, roles: [], resolved: 0, aborted: 0, gaveUp: 0, hints: 0 }, detect: [], mitigate: [] }));
    cur.row.drills++;
    for (const r of p.roles) if (!cur.row.roles.includes(r)) cur.row.roles.push(r);
    if (s.outcome === 'resolved') cur.row.resolved++;
    else if (s.outcome === 'aborted') cur.row.aborted++;
    else cur.row.gaveUp++;
    cur.row.hints += p.hints;
    if (p.detectMs !== undefined) cur.detect.push(p.detectMs);
    if (p.mitigateMs !== undefined) cur.mitigate.push(p.mitigateMs);
  };
  for (const s of scores) {
    if (by === 'scenario') add(s.id, s, { roles: [], detectMs: s.timeToDetectMs, mitigateMs: s.timeToMitigateMs ?? s.timeToResolveMs, hints: s.hintsUsed });
    // Lines from before gameday have one person: who started it.
    else for (const p of s.participants ?? [{ name: s.user, roles: [], hints: s.hintsUsed, mitigateMs: s.timeToResolveMs }]) add(p.name, s, p);
  }
  return [...rows.values()]
    .map(({ row, detect, mitigate }) => ({ ...row, bestDetectMs: best(detect), meanDetectMs: mean(detect), bestMitigateMs: best(mitigate), meanMitigateMs: mean(mitigate) }))
    .sort((a, b) => b.resolved - a.resolved || (a.meanMitigateMs ?? Infinity) - (b.meanMitigateMs ?? Infinity) || a.hints - b.hints || a.key.localeCompare(b.key));
}

/** `2026-11-01` (UTC midnight), a full ISO time, or `7d` ago. */
export function parseSince(text: string, now = Date.now()): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text) || /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(text)) {
    const t = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
    if (Number.isFinite(t) && t > Date.parse('2000-01-01') && t < now + 86_400_000) return new Date(t).toISOString();
  }
  if (/^\d+[smhd]/.test(text)) return new Date(now - parseDuration(text, '--since', 1000, 3650 * 86_400_000)).toISOString();
  throw new UsageError(`--since "${text.slice(0, 30)}" is not a date`, 'give a day like 2026-11-01, or 7d for the last week');
}
