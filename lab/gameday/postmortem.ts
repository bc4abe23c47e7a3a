// The postmortem of a drill, in the shape of Google's SRE postmortem: summary, impact (what the
// prober measured), detection, mitigation, roles, timeline, root cause, what went well and what
// was hard (from the notes), action items. Built once by `drill end` from the drill state and
// kept in the state dir, so `drill report` renders the same document on every surface.
import type { DrillRole, DrillState, ScoreEntry } from '../state/drill-state.js';
import { BOOKKEEPING } from '../state/drill-state.js';
import type { ProberReport } from '../drills/prober.js';
import { nameOf, outages, type TimelineEntry } from '../drills/timeline.js';
import type { RealCost } from './cost.js';

export interface Postmortem {
  drillId: string;
  lab: string;
  scenario: { id: string; title: string };
  outcome: ScoreEntry['outcome'];
  abortReason?: string;
  startedAt: string;
  injectedAt?: string;
  endedAt: string;
  gameMaster: string;
  summary: string;
  impact: { outageMs: number; longestOutageMs: number; flowsAffected: number; totalFlows: number; probesLost: number; outages: number; stillBroken: boolean };
  /** From the fault to the first relevant command (anything but drill bookkeeping). */
  detection: { ms?: number; by?: string; command?: string };
  /** From the fault to the fix (the last fix command before it was found fixed). */
  mitigation: { ms?: number; by?: string; command?: string; resolvedAfterMs?: number; intended: string[] };
  roles: { role: DrillRole; names: string[] }[];
  participants: { user: string; name: string; roles: DrillRole[]; paged?: boolean; commands: number; hints: number; detectMs?: number; mitigateMs?: number }[];
  hintsUsed: number;
  rootCause: string;
  wentWell: string[];
  wasHard: string[];
  notes: { at: string; name: string; text: string }[];
  actionItems: string[];
  timeline: TimelineEntry[];
  /** (gameday) The game master's pauses of the prober: the impact leaves them out. */
  proberPauses?: { from: string; to: string; by: string; resumedBy?: string }[];
  /** (gameday) The lab's connect mode and timers, and what the fault would cost with Cilium's defaults (computed). */
  realLab?: RealCost;
}

const WENT_WELL = /^(\+|good:|went well:|well:)\s*/i;
const WAS_HARD = /^(-|hard:|bad:|was hard:)\s*/i;

export function buildPostmortem(
  state: DrillState,
  r: { cause: string; fix: string[]; outcome: ScoreEntry['outcome']; prober: ProberReport; timeline: TimelineEntry[]; endedAt: string },
): Postmortem {
  const injected = Date.parse(state.injectedAt ?? state.startedAt);
  const since = (iso: string) => Math.max(0, Date.parse(iso) - injected);
  const commands = [...(state.commands ?? [])].sort((a, b) => a.at.localeCompare(b.at));
  const relevant = commands.filter((c) => !BOOKKEEPING.has(c.line.split(' ').slice(0, 2).join(' ')) && Date.parse(c.at) >= injected);
  const first = relevant[0];
  // The fix: the last operator fix before the drill was found fixed (or the last one at all).
  const fixes = (state.actions ?? []).filter((a) => !state.resolvedAt || a.at <= state.resolvedAt);
  const fix = state.resolvedAt ? fixes.at(-1) : undefined;
  const incident = r.timeline.filter((e): e is Extract<TimelineEntry, { kind: 'outage' }> => e.kind === 'outage' && e.phase !== 'restore');
  const merged = outages(r.prober.windows.filter((w) => incident.some((o) => w.brokeAt >= o.at && (!o.backAt || w.brokeAt <= o.backAt))));
  const durations = incident.map((o) => o.durationMs ?? Date.parse(r.endedAt) - Date.parse(o.at));
  const flows = new Set(r.prober.windows.filter((w) => incident.some((o) => w.brokeAt >= o.at && (!o.backAt || w.brokeAt <= o.backAt))).map((w) => w.flow));
  const impact = {
    outageMs: durations.reduce((a, b) => a + b, 0),
    longestOutageMs: Math.max(0, ...durations),
    flowsAffected: flows.size,
    totalFlows: r.prober.flows.length,
    probesLost: incident.reduce((a, o) => a + o.lost, 0),
    outages: merged.length ? incident.length : 0,
    stillBroken: incident.some((o) => !o.backAt),
  };
  const people = state.participants ?? [];
  const hintsBy = new Map<string, number>();
  for (const e of state.events ?? []) if (e.kind === 'hint' && e.user) hintsBy.set(e.user, (hintsBy.get(e.user) ?? 0) + 1);
  const participants = people.map((p) => {
    const mine = relevant.find((c) => c.user === p.user);
    return {
      user: p.user, name: p.name, roles: p.roles, paged: p.paged,
      commands: commands.filter((c) => c.user === p.user).length,
      hints: hintsBy.get(p.user) ?? 0,
      detectMs: mine ? since(mine.at) : undefined,
      mitigateMs: fix && fix.user === p.user ? since(fix.at) : undefined,
    };
  });
  const roleOrder: DrillRole[] = ['game master', 'commander', 'scribe', 'responder'];
  const roles = roleOrder.map((role) => ({ role, names: people.filter((p) => p.roles.includes(role)).map((p) => p.name) })).filter((x) => x.names.length);
  const notes = (state.notes ?? []).map((n) => ({ at: n.at, name: n.name, text: n.text }));
  const fixName = fix ? fix.name ?? nameOf(state, fix.user) : undefined;
  const detectName = first ? first.name : undefined;
  const mins = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 60_000).toFixed(1)} min`);
  const summary = [
    `Drill "${state.title}" on lab ${state.lab} (${r.outcome}${state.abortReason ? `: ${state.abortReason}` : ''}).`,
    impact.outages ? `The prober saw ${impact.outages} outage${impact.outages === 1 ? '' : 's'} on ${impact.flowsAffected}/${impact.totalFlows} flows, ${mins(impact.outageMs)} in all.` : 'The prober saw no traffic loss.',
    first ? `${detectName} engaged ${mins(since(first.at))} after the fault` : 'Nobody ran a command',
    fix ? `; ${fixName} fixed it with \`${fix.line}\` ${mins(since(fix.at))} after the fault.` : r.outcome === 'resolved' ? '; it was found fixed.' : '; it was not fixed.',
  ].join(' ').replace(' ;', ';');
  const pauses = (state.prober?.pauses ?? []).map((p) => ({ from: p.at, to: p.resumedAt ?? r.endedAt, by: p.name, resumedBy: p.resumedBy }));
  const clock = (iso: string) => iso.slice(11, 19);
  const pausedText = pauses.map((p) => `The prober was paused from ${clock(p.from)} to ${clock(p.to)} UTC by ${p.by} (not counted in the impact).`).join(' ');
  return {
    drillId: state.drillId ?? `${state.lab}-${state.startedAt}`,
    lab: state.lab,
    scenario: { id: state.id, title: state.title },
    outcome: r.outcome,
    abortReason: state.abortReason,
    startedAt: state.startedAt,
    injectedAt: state.injectedAt,
    endedAt: r.endedAt,
    gameMaster: state.gameMaster?.name ?? nameOf(state, state.startedBy),
    summary: pausedText ? `${summary} ${pausedText}` : summary,
    impact,
    detection: { ms: first ? since(first.at) : undefined, by: detectName, command: first?.line },
    mitigation: { ms: fix ? since(fix.at) : undefined, by: fixName, command: fix?.line, resolvedAfterMs: state.resolvedAt ? since(state.resolvedAt) : undefined, intended: r.fix },
    roles,
    participants,
    hintsUsed: state.hintsUsed,
    rootCause: r.cause,
    wentWell: notes.filter((n) => WENT_WELL.test(n.text)).map((n) => `${n.text.replace(WENT_WELL, '')} (${n.name})`),
    wasHard: notes.filter((n) => WAS_HARD.test(n.text)).map((n) => `${n.text.replace(WAS_HARD, '')} (${n.name})`),
    notes,
    actionItems: [],
    timeline: r.timeline,
    proberPauses: pauses.length ? pauses : undefined,
  };
}
