// `drill …`: the page as a responder receives it, hints, the check verdict, and the end
// report — cause, fix, when traffic broke and came back (prober), convergence, score.
import type { ProberPauseResult } from '../../lab/drills/run.js';
import type { DrillCheckResult, DrillEndResult, DrillHintResult, DrillListResult, DrillScoresResult, DrillStartResult, DrillStatusResult } from '../../commands/drill-results.js';
import type { ProberReport } from '../../lab/drills/prober.js';
import type { TimelineEntry } from '../../lab/drills/timeline.js';
import { linesToText, ms, seg, table, wrapLine, type Line } from './lines.js';
import { checkText } from './check.js';
import type { TextOptions } from './text.js';
import { leaderboardText } from './gameday.js';

const time = (iso: string) => iso.slice(11, 23);

export function drillListText(r: DrillListResult, o: TextOptions): string {
  const rows = table(['scenario', 'title'], r.scenarios.map((s) => [seg(s.id, { bold: true }), seg(s.title)]));
  // A long title wraps under its own column instead of being cut at the terminal's edge.
  const indent = Math.max('scenario'.length, ...r.scenarios.map((s) => s.id.length)) + 2;
  return linesToText(rows.flatMap((l) => wrapLine(l, o.width, indent)), o);
}

export function drillStartText(r: DrillStartResult, o: TextOptions): string {
  const lines: Line[] = [
    ...wrapLine([seg('📟 PAGE ', { bold: true, color: 'red' }), seg(r.id ? `(drill ${r.id}) ` : '(random drill) ', { dim: true }), seg(r.page, { bold: true })], o.width, 8),
    ...wrapLine([seg(`started ${time(r.startedAt)} by ${r.startedBy}; ${r.hintsAvailable} hints available (\`drill hint\`); \`drill check\` when you think it is fixed`, { dim: true })], o.width, 8),
  ];
  return linesToText(lines, o);
}

/** Per probed flow: answered share, how many times it broke, and whether it is broken now. */
export function proberLines(p: ProberReport | undefined): Line[] {
  if (!p) return [];
  const lines: Line[] = [[seg('traffic (prober, pod to pod across racks):', { bold: true })]];
  for (const f of p.flows) {
    const windows = p.windows.filter((w) => w.flow === f.flow);
    const open = windows.find((w) => !w.backAt);
    const lossPct = f.sent ? Math.round((100 * (f.sent - f.answered)) / f.sent) : 0;
    const state = open ? `broken since ${time(open.brokeAt)}` : windows.length ? `broke ${windows.length}× (last ${time(windows.at(-1)!.brokeAt)})` : 'no loss';
    lines.push([seg(`  ${f.flow}: ${f.answered}/${f.sent} answered (${lossPct}% lost), ${state}`, { color: open ? 'red' : windows.length ? 'yellow' : 'green' })]);
  }
  return lines;
}

export function drillStatusText(r: DrillStatusResult, o: TextOptions): string {
  if (!r.running) return linesToText([[seg(`no drill running on ${r.lab}`, { dim: true })]], o);
  if (r.phase && r.phase !== 'running') {
    const fault = r.faultInjected === 'no' ? 'no fault was injected' : 'the fault may be partly injected';
    return linesToText([
      [seg(`drill ${r.id ?? '(random)'}`, { bold: true }), seg(r.interrupted ? ` — \`drill start\` was interrupted at ${r.phase}: ${fault}` : ` — starting (${r.phase})`, { color: r.interrupted ? 'red' : 'yellow' })],
      ...(r.interrupted ? [[seg('`drill end` restores the lab (scored aborted)', { dim: true })]] : []),
    ], o);
  }
  const lines: Line[] = [
    [seg(`drill ${r.id ?? '(random)'}`, { bold: true }), seg(` — ${ms(r.elapsedMs)} since injection, ${r.hintsUsed} hints used${r.resolved ? ', resolved' : ''}`)],
    [seg(r.page ?? '')],
    ...(r.actions ?? []).map((a): Line => [seg(`  ${time(a.at)} ${a.user}: ${a.line}`, { dim: true })]),
    ...(r.proberPaused ? [[seg(`prober paused by ${r.proberPaused.by} since ${time(r.proberPaused.since)} UTC`, { color: 'yellow' }), seg(' (no probes run; `drill prober resume`)', { dim: true })] as Line] : []),
    ...proberLines(r.prober),
    ...(r.connectMode ? wrapLine([seg(r.connectMode, { dim: true })], o.width, 2) : []),
    ...(r.timers ? wrapLine([seg(r.timers, { dim: true })], o.width, 2) : []),
  ];
  return linesToText(lines, o);
}

export const drillHintText = (r: DrillHintResult, o: TextOptions) =>
  linesToText([
    ...wrapLine([seg(`hint ${r.number}/${r.total}: `, { bold: true, color: 'cyan' }), seg(r.hint)], o.width, 4),
    ...(r.repeat ? [[seg('no more hints: that was the last one again (not counted)', { dim: true })]] : []),
  ], o);

export function drillCheckText(r: DrillCheckResult, o: TextOptions): string {
  const head: Line[] = [
    ...wrapLine([seg(r.ok ? '✓ fixed' : '✗ not fixed yet', { bold: true, color: r.ok ? 'green' : 'red' }), seg(` — ${r.detail}`)], o.width, 4),
    ...(r.fixConvergenceMs !== undefined ? [[seg(`leaves converged ≤ ${ms(r.fixConvergenceMs)} after your last command`, { dim: true })]] : []),
  ];
  return `${linesToText(head, o)}\n${checkText(r.check, o)}`;
}

const PHASE = { incident: 'during the incident', 'after-fix': 'after the last command', restore: 'during the restore' };

/** One row per timeline entry: [time, what]. Shared with the Slack renderer. */
export function timelineRows(timeline: TimelineEntry[]): { at: string; what: string; bad?: boolean }[] {
  return timeline.map((e) => {
    switch (e.kind) {
      case 'injected': return { at: time(e.at), what: 'fault injected' };
      case 'action': return { at: time(e.at), what: `${e.name ?? e.user}: ${e.line}` };
      case 'command': return { at: time(e.at), what: `${e.name} (${e.surface}): ${e.line}` };
      case 'note': return { at: time(e.at), what: `note by ${e.name}: ${e.text}` };
      case 'event': return { at: time(e.at), what: e.text, bad: e.event === 'abort' || (e.event === 'bgp' && /down|withdrawn/.test(e.text)) };
      case 'resolved': return { at: time(e.at), what: e.by === 'end' ? "fixed: the scenario's test passed at `drill end` (nobody ran `drill check`)" : '`drill check` passed' };
      case 'restore': return { at: time(e.at), what: '`drill end`: restore started' };
      case 'outage': {
        const flows = `${e.flows}/${e.totalFlows} flows`;
        const lost = `${e.lost} probe${e.lost === 1 ? '' : 's'} lost`;
        if (e.bursts > 1) {
          const until = e.backAt ? `until ${time(e.backAt)}` : 'until the drill ended';
          return { at: time(e.at), what: `intermittent loss on ${flows} (${PHASE[e.phase]}): ${e.bursts} short outages ${until}, ${lost}`, bad: true };
        }
        const back = e.cutByPause ? `still broken when the prober was paused at ${time(e.backAt!)} (${ms(e.durationMs ?? 0)} counted)` : e.backAt ? `back at ${time(e.backAt)} after ${ms(e.durationMs ?? 0)}` : 'not back when the drill ended';
        return { at: time(e.at), what: `traffic broke on ${flows} (${PHASE[e.phase]}), ${back}, ${lost}`, bad: true };
      }
    }
  });
}

export function drillEndText(r: DrillEndResult, o: TextOptions): string {
  const lines: Line[] = [
    [seg(`drill ${r.id}: ${r.title}`, { bold: true }), seg(` — ${r.outcome}`, { color: r.outcome === 'resolved' ? 'green' : 'yellow' })],
    ...wrapLine([seg('cause: ', { bold: true }), seg(r.cause)], o.width, 7),
    ...wrapLine([seg('fix: ', { bold: true }), seg(r.fix.map((f) => `\`${f}\``).join(', '))], o.width, 5),
    [seg(`time to resolve: ${r.timeToResolveMs !== undefined ? ms(r.timeToResolveMs) : '—'}, hints used: ${r.hintsUsed}`)],
    [seg(`BGP convergence on the leaves: after the fault ${r.convergence.injectMs !== undefined ? ms(r.convergence.injectMs) : 'no route change'}, after the fix ${r.convergence.fixMs !== undefined ? `≤ ${ms(r.convergence.fixMs)}` : '—'}`)],
    ...(r.convergence.trafficBackMs !== undefined ? [[seg(`traffic back ${ms(r.convergence.trafficBackMs)} after the last command (prober)`)]] : []),
    [seg('timeline:', { bold: true })],
    ...timelineRows(r.timeline ?? []).flatMap((t) => wrapLine([seg(`  ${t.at}  `, { dim: true }), seg(t.what, t.bad ? { color: 'red' } : {})], o.width, 16)),
    [seg('traffic (prober, pod to pod across racks):', { bold: true })],
    ...r.prober.flows.map((f): Line => [seg(`  ${f.flow}: ${f.answered}/${f.sent} answered`, { color: f.answered === f.sent ? 'green' : 'yellow' })]),
    ...r.restored.map((x): Line => [seg(`restored: ${x}`, { dim: true })]),
    r.ok ? [seg('✓ lab back to its pre-drill routes and sessions', { color: 'green' })] : [seg(`✗ not back to baseline: ${r.diff.slice(0, 5).join('; ')}`, { color: 'red' })],
    ...(r.postmortem?.proberPauses ?? []).map((p): Line => [seg(`prober paused ${time(p.from)}-${time(p.to)} by ${p.by} (left out of the figures)`, { color: 'yellow' })]),
    ...(r.postmortem?.realLab
      ? [
          [seg('the real lab (computed figures say so):', { bold: true })] as Line,
          ...[r.postmortem.realLab.connectModeText, r.postmortem.realLab.timersText, ...r.postmortem.realLab.lines].flatMap((l) => wrapLine([seg(`  ${l}`)], o.width, 4)),
        ]
      : []),
    ...(r.postmortem ? [[seg(`postmortem: \`drill report ${r.postmortem.drillId}\` (Markdown)`, { dim: true })]] : []),
  ];
  return linesToText(lines, o);
}

export function drillScoresText(r: DrillScoresResult, o: TextOptions): string {
  if (r.rows) return leaderboardText(r, o);
  if (!r.scores.length) return linesToText([[seg('no drills yet', { dim: true })]], o);
  const t = (x?: number) => seg(x !== undefined ? ms(x) : '—');
  // Names, not IDs: who took part, with their roles, as the drill knew them.
  const who = (s: DrillScoresResult['scores'][number]) => s.participants?.map((p) => `${p.name}${p.roles.length ? ` (${p.roles.join(',')})` : ''}`).join(', ') || s.user;
  const rows = r.scores.map((s) => [seg(s.endedAt.slice(0, 16).replace('T', ' ')), seg(s.id), t(s.timeToDetectMs), t(s.timeToMitigateMs), t(s.timeToResolveMs), seg(String(s.hintsUsed)), seg(s.outcome, { color: s.outcome === 'resolved' ? 'green' : 'yellow' }), seg(s.drillId ?? '—'), seg(who(s))]);
  return linesToText(table(['ended', 'scenario', 'detect', 'mitigate', 'resolved in', 'hints', 'outcome', 'drill', 'who'], rows), o);
}

export const drillProberText = (r: ProberPauseResult, o: TextOptions) =>
  linesToText([
    [seg(`prober ${r.action === 'pause' ? 'paused' : 'resumed'}`, { bold: true, color: r.action === 'pause' ? 'yellow' : 'green' }), seg(` by ${r.name} at ${time(r.at)} UTC${r.pausedAt ? ` (paused ${time(r.pausedAt)}-${time(r.at)} by ${r.pausedBy})` : ''}`)],
    [seg(`${r.running}/${r.flows} probe processes running${r.action === 'pause' ? '; the paused span is left out of the outage figures' : ''}`, { dim: true })],
  ], o);
