// Game days in Slack: the postmortem (Google SRE shape) as blocks with the Markdown attached,
// role claims, notes, the leaderboard. People appear by display name; user text is escaped
// (a note saying <!channel> stays text).
import type { DrillNoteResult, DrillReportResult, DrillRoleResult, DrillScheduleResult, DrillScoresResult, ScheduleView } from '../../commands/drill-results.js';
import type { Postmortem } from '../../lab/gameday/postmortem.js';
import type { ProberPauseResult } from '../../lab/drills/run.js';
import { timelineRows } from '../../src/render/drill.js';
import { dur, postmortemMarkdown } from '../../src/render/postmortem.js';
import { codeSections, context, esc, header, section, table, type KnownBlock, type SlackMessage } from './blocks.js';

const list = (xs: string[], empty: string) => (xs.length ? xs.map((x) => `• ${esc(x)}`).join('\n') : `_${empty}_`);

/** `timeline: false`: the end report already shows it above. */
export function postmortemBlocks(pm: Postmortem, o: { timeline?: boolean } = {}): KnownBlock[] {
  const i = pm.impact;
  const rows = timelineRows(pm.timeline).map((t) => `${t.at}  ${t.bad ? '✗ ' : ''}${t.what}`);
  const packed = codeSections(rows.map((l) => [l]), 2);
  return [
    header(`Postmortem: ${pm.scenario.title}`),
    context(`drill \`${esc(pm.drillId)}\` · lab \`${esc(pm.lab)}\` · *${esc(pm.outcome)}*${pm.abortReason ? ` (${esc(pm.abortReason)})` : ''} · game master ${esc(pm.gameMaster)}`),
    section(`*Summary*\n${esc(pm.summary)}`),
    section(
      `*Impact* (prober)\n${i.outages ? `${i.outages} outage${i.outages === 1 ? '' : 's'}, ${i.flowsAffected}/${i.totalFlows} flows affected, ${dur(i.outageMs)} in all (longest ${dur(i.longestOutageMs)}), ${i.probesLost} probes lost${i.stillBroken ? ', still broken at the end' : ''}` : `no loss on the ${i.totalFlows} probed flows`}\n` +
        `*Detection*: ${pm.detection.ms !== undefined ? `${dur(pm.detection.ms)} — \`${esc(pm.detection.command ?? '')}\` by ${esc(pm.detection.by ?? '')}` : 'no command run'}\n` +
        `*Mitigation*: ${pm.mitigation.ms !== undefined ? `${dur(pm.mitigation.ms)} — \`${esc(pm.mitigation.command ?? '')}\` by ${esc(pm.mitigation.by ?? '')}` : pm.outcome === 'resolved' ? `found fixed after ${dur(pm.mitigation.resolvedAfterMs)}` : 'not mitigated'} · hints ${pm.hintsUsed}`,
    ),
    ...(pm.realLab ? [section(`*The real lab* (computed figures say so)\n${esc(pm.realLab.connectModeText)}\n${esc(pm.realLab.timersText)}\n${pm.realLab.lines.map((l) => `• ${esc(l)}`).join('\n')}`)] : []),
    section(`*Roles*\n${pm.roles.map((r) => `• ${esc(r.role)}: ${esc(r.names.join(', '))}`).join('\n') || '_none claimed_'}${pm.participants.some((p) => !p.roles.length) ? `\n• participants: ${esc(pm.participants.filter((p) => !p.roles.length).map((p) => p.name).join(', '))}` : ''}`),
    section(`*Root cause*\n${esc(pm.rootCause)}\n*Intended fix*: ${pm.mitigation.intended.map((f) => `\`${esc(f)}\``).join(', ')}`),
    section(`*What went well*\n${list(pm.wentWell, 'no notes')}\n*What was hard*\n${list(pm.wasHard, 'no notes')}`),
    section(`*Action items*\n${list(pm.actionItems, 'none yet: fill them in the attached file')}`),
    ...(o.timeline === false ? [] : [section('*Timeline* (UTC)'), ...packed.blocks]),
    ...(o.timeline !== false && packed.shownGroups < rows.length ? [context(`…${rows.length - packed.shownGroups} more events in the attached postmortem`)] : []),
  ];
}

export const postmortemFile = (pm: Postmortem) => ({ filename: `postmortem-${pm.drillId}.md`, content: postmortemMarkdown(pm) });

export function renderDrillReport(r: DrillReportResult): SlackMessage {
  return { text: `postmortem: ${r.postmortem.scenario.title} (${r.postmortem.outcome})`, blocks: postmortemBlocks(r.postmortem), attachment: postmortemFile(r.postmortem) };
}

export function renderDrillRole(r: DrillRoleResult): SlackMessage {
  const people = r.participants.map((p) => `${p.name}${p.roles.length ? ` (${p.roles.join(', ')})` : p.paged ? ' (paged)' : ''}`).join(', ');
  return {
    text: `${r.name} is ${r.role}`,
    blocks: [section(`:bust_in_silhouette: *${esc(r.name)}* is ${esc(r.role)}${r.took ? ` (was ${esc(r.took)})` : ''}`), context(`participants: ${esc(people)}`)],
  };
}

export function renderDrillNote(r: DrillNoteResult): SlackMessage {
  return { text: `note by ${r.name}`, blocks: [section(`:memo: *${esc(r.name)}* ${r.at.slice(11, 19)} UTC: ${esc(r.text)}`)] };
}

export function renderLeaderboard(r: DrillScoresResult): SlackMessage {
  const rows = r.rows ?? [];
  if (!rows.length) return { text: 'no drills yet', blocks: [section('no drills yet')] };
  const lines = table([
    [r.by === 'scenario' ? 'scenario' : 'who', 'drills', 'roles', 'resolved', 'detect (mean)', 'mitigate (best)', 'hints', 'aborted'],
    ...rows.map((x) => [x.key, String(x.drills), x.roles.join(',') || '—', String(x.resolved), dur(x.meanDetectMs), dur(x.bestMitigateMs), String(x.hints), String(x.aborted)]),
  ]);
  const medal = ['first', 'second', 'third'];
  return {
    text: `drill leaderboard (${rows.length})`,
    blocks: [
      section(`:trophy: *drill leaderboard* by ${esc(r.by ?? 'person')}${r.since ? ` since ${r.since.slice(0, 10)}` : ''}`),
      ...(r.by !== 'scenario' ? [context(rows.slice(0, 3).map((x, n) => `${medal[n]}: *${esc(x.key)}*`).join(' · '))] : []),
      ...codeSections(lines.map((l) => [l]), 2).blocks,
    ],
  };
}

const when = (s: ScheduleView) =>
  s.fireAt ? `at ${s.fireAt.slice(0, 19).replace('T', ' ')} UTC` : `at a random moment in ${s.window!.from}-${s.window!.to} UTC${s.window!.days ? ` every ${s.window!.days.join(', ')}` : ''}`;

export function renderDrillSchedule(r: DrillScheduleResult): SlackMessage {
  // Who is paged is counted, not mentioned: a mention here would ping them before the page does.
  const line = (s: ScheduleView) => `\`${esc(s.id)}\` ${esc(when(s))} · scenario ${esc(s.scenario)} · pages ${s.page.length ? `${s.page.length} (${s.page.filter((p) => p.startsWith('S')).length} groups)` : 'nobody'} in <#${s.channel}> · by ${esc(s.createdBy)}${s.limits ? ` · abort ${esc([s.limits.abortAfter && `after ${s.limits.abortAfter}`, s.limits.abortIfOutage && `if an outage lasts ${s.limits.abortIfOutage}`].filter(Boolean).join(', '))}` : ''}`;
  if (r.action === 'list') return { text: `${r.schedules.length} scheduled drills`, blocks: [section(r.schedules.length ? `:calendar: *scheduled drills on ${esc(r.lab)}*\n${r.schedules.map((s) => `• ${line(s)}`).join('\n')}` : `:calendar: no drill scheduled on ${esc(r.lab)}`)] };
  const s = r.schedules[0]!;
  return {
    text: `drill ${r.action === 'created' ? 'scheduled' : 'schedule cancelled'}: ${s.id}`,
    blocks: [section(`:calendar: *drill ${r.action === 'created' ? 'scheduled' : 'schedule cancelled'}*: ${line(s)}`), ...(r.action === 'created' ? [context(`the bot pages when it fires; \`/bgp-lab drill schedule cancel ${esc(s.id)}\` to call it off`)] : [])],
  };
}

export function renderDrillProber(r: ProberPauseResult): SlackMessage {
  const t = (iso: string) => iso.slice(11, 19);
  return {
    text: `prober ${r.action === 'pause' ? 'paused' : 'resumed'} by ${esc(r.name)}`,
    blocks: [
      section(`${r.action === 'pause' ? ':double_vertical_bar:' : ':arrow_forward:'} *prober ${r.action === 'pause' ? 'paused' : 'resumed'}* by ${esc(r.name)} at ${t(r.at)} UTC${r.pausedAt ? ` (paused ${t(r.pausedAt)}-${t(r.at)} by ${esc(r.pausedBy ?? '')})` : ''}`),
      context(`${r.running}/${r.flows} probe processes running${r.action === 'pause' ? ' · the paused span is left out of the outage figures' : ''}`),
    ],
  };
}
