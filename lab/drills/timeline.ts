// The drill's story in time order, as data both surfaces render: the fault, every operator
// command, each outage (loss windows of the prober's flows merged when they overlap), when
// `drill check` passed, and the restore. An outage is tagged with the phase it began in, so a
// fix that itself cost traffic (a router restart) or a restore that did shows as such.
import type { DrillState } from '../state/drill-state.js';
import type { LossWindow, ProberReport } from './prober.js';

export type DrillPhase = 'incident' | 'after-fix' | 'restore';

export type TimelineEntry =
  | { at: string; kind: 'injected' }
  | { at: string; kind: 'action'; user: string; name?: string; line: string }
  /** Any other command run during the drill, from any surface (REPL, CLI, Slack). */
  | { at: string; kind: 'command'; user: string; name: string; surface: string; line: string }
  | { at: string; kind: 'note'; user: string; name: string; text: string }
  /** Role claims, hints taken, BGP sessions/routes the watcher saw change, an automatic or game master's abort. */
  | { at: string; kind: 'event'; event: 'role' | 'bgp' | 'abort' | 'hint' | 'prober-paused' | 'prober-resumed'; name?: string; text: string }
  | {
      at: string;
      kind: 'outage';
      phase: DrillPhase;
      backAt?: string;
      durationMs?: number;
      flows: number;
      totalFlows: number;
      lost: number;
      /** Outages less than BURST_GAP_MS apart are one entry (a lossy link drops a probe every few hundred ms). */
      bursts: number;
      /** (gameday) It ended at the prober's pause, not by a recovery: `backAt` is the pause. */
      cutByPause?: boolean;
    }
  | { at: string; kind: 'resolved'; by: 'check' | 'end' }
  | { at: string; kind: 'restore' };

/** Overlapping loss windows of different flows are one outage: from the first break to the last recovery. */
export function outages(windows: LossWindow[]): { brokeAt: number; backAt?: number; flows: Set<string>; lost: number }[] {
  const sorted = [...windows].sort((a, b) => Date.parse(a.brokeAt) - Date.parse(b.brokeAt));
  const out: { brokeAt: number; backAt?: number; flows: Set<string>; lost: number }[] = [];
  for (const w of sorted) {
    const start = Date.parse(w.brokeAt);
    const end = w.backAt ? Date.parse(w.backAt) : undefined;
    const cur = out.at(-1);
    if (cur && (cur.backAt === undefined || start <= cur.backAt)) {
      cur.flows.add(w.flow);
      cur.lost += w.lost;
      cur.backAt = cur.backAt === undefined || end === undefined ? undefined : Math.max(cur.backAt, end);
    } else out.push({ brokeAt: start, backAt: end, flows: new Set([w.flow]), lost: w.lost });
  }
  return out;
}

/** Outages closer than this to the previous one count as the same intermittent loss. */
export const BURST_GAP_MS = 1000;

type Outage = ReturnType<typeof outages>[number] & { bursts: number };

/** Runs of outages with short gaps between them, in the same phase, as one entry each. */
function bursts(list: ReturnType<typeof outages>, phase: (at: number) => DrillPhase): Outage[] {
  const out: Outage[] = [];
  for (const o of list) {
    const cur = out.at(-1);
    if (cur && cur.backAt !== undefined && o.brokeAt - cur.backAt < BURST_GAP_MS && phase(o.brokeAt) === phase(cur.brokeAt)) {
      for (const f of o.flows) cur.flows.add(f);
      cur.lost += o.lost;
      cur.backAt = o.backAt;
      cur.bursts++;
    } else out.push({ ...o, flows: new Set(o.flows), bursts: 1 });
  }
  return out;
}

export function phaseAt(at: number, state: Pick<DrillState, 'actions' | 'resolvedAt'>, restoreAt: number): DrillPhase {
  if (at >= restoreAt) return 'restore';
  const lastAction = state.actions?.filter((a) => !state.resolvedAt || a.at <= state.resolvedAt).at(-1);
  return lastAction && at >= Date.parse(lastAction.at) ? 'after-fix' : 'incident';
}

/** The display name the drill knows for a user ID (participants), else the ID as it is. */
export function nameOf(state: Pick<DrillState, 'participants' | 'gameMaster'>, user: string): string {
  return state.participants?.find((p) => p.user === user)?.name ?? (state.gameMaster?.user === user ? state.gameMaster.name : user);
}

export function buildTimeline(state: DrillState, prober: ProberReport, restoreAt: number): TimelineEntry[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  const entries: TimelineEntry[] = [
    ...(state.injectedAt ? [{ at: state.injectedAt, kind: 'injected' as const }] : []),
    ...(state.actions ?? []).map((a) => ({ at: a.at, kind: 'action' as const, user: a.user, name: a.name ?? nameOf(state, a.user), line: a.line })),
    ...(state.commands ?? []).filter((c) => !c.fix).map((c) => ({ at: c.at, kind: 'command' as const, user: c.user, name: c.name, surface: c.surface, line: c.line })),
    ...(state.notes ?? []).map((n) => ({ at: n.at, kind: 'note' as const, user: n.user, name: n.name, text: n.text })),
    ...(state.events ?? []).map((e) => ({ at: e.at, kind: 'event' as const, event: e.kind, name: e.name, text: e.text })),
    ...bursts(outages(prober.windows), (t) => phaseAt(t, state, restoreAt)).map((o) => ({
      at: iso(o.brokeAt),
      kind: 'outage' as const,
      phase: phaseAt(o.brokeAt, state, restoreAt),
      bursts: o.bursts,
      backAt: o.backAt !== undefined ? iso(o.backAt) : undefined,
      durationMs: o.backAt !== undefined ? o.backAt - o.brokeAt : undefined,
      flows: o.flows.size,
      totalFlows: prober.flows.length,
      lost: o.lost,
      cutByPause: o.backAt !== undefined && prober.windows.some((w) => w.cutByPause && w.backAt && Date.parse(w.backAt) === o.backAt) ? true : undefined,
    })),
    ...(state.resolvedAt ? [{ at: state.resolvedAt, kind: 'resolved' as const, by: state.resolvedBy ?? 'check' }] : []),
    { at: iso(restoreAt), kind: 'restore' as const },
  ];
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

/**
 * How long after the last operator command traffic was back for good, as the prober saw it: the
 * last recovery of an outage that was still going on when the command started or that the
 * command caused (a router restart drops everything for a while). Undefined when nothing was
 * broken after the command, or it never came back before the restore.
 */
export function trafficBackAfterFix(timeline: TimelineEntry[]): number | undefined {
  const last = timeline.filter((e) => e.kind === 'action').at(-1);
  if (!last) return undefined;
  const at = Date.parse(last.at);
  const after = timeline.filter((e): e is Extract<TimelineEntry, { kind: 'outage' }> => e.kind === 'outage' && e.phase !== 'restore' && (!e.backAt || Date.parse(e.backAt) > at));
  if (!after.length || after.some((o) => !o.backAt)) return undefined;
  const latest = after.reduce((a, b) => (Date.parse(b.backAt!) > Date.parse(a.backAt!) ? b : a));
  if (latest.cutByPause) return undefined; // the prober was paused before traffic came back: not known
  return Date.parse(latest.backAt!) - at;
}
