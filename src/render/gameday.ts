// Game days in a terminal: role claims, notes, the postmortem (its Markdown reads as text),
// the leaderboard, schedules.
import type { DrillNoteResult, DrillReportResult, DrillRoleResult, DrillScheduleResult, DrillScoresResult } from '../../commands/drill-results.js';
import { linesToText, seg, table, wrapLine } from './lines.js';
import { dur, postmortemMarkdown } from './postmortem.js';
import type { TextOptions } from './text.js';

export const drillRoleText = (r: DrillRoleResult, o: TextOptions) =>
  linesToText([[seg(r.name, { bold: true }), seg(` is ${r.role}${r.took ? ` (was ${r.took})` : ''}`)], [seg(`participants: ${r.participants.map((p) => `${p.name}${p.roles.length ? ` (${p.roles.join(', ')})` : ''}`).join(', ')}`, { dim: true })]], o);

export const drillNoteText = (r: DrillNoteResult, o: TextOptions) =>
  linesToText(wrapLine([seg(`note ${r.notes} by ${r.name} at ${r.at.slice(11, 19)}: `, { dim: true }), seg(r.text)], o.width, 4), o);

export const drillReportText = (r: DrillReportResult) => postmortemMarkdown(r.postmortem);

export function leaderboardText(r: DrillScoresResult, o: TextOptions): string {
  const rows = r.rows ?? [];
  if (!rows.length) return linesToText([[seg('no drills yet', { dim: true })]], o);
  return linesToText(
    table(
      [r.by === 'scenario' ? 'scenario' : 'who', 'drills', 'roles', 'resolved', 'detect (mean)', 'mitigate (best)', 'hints', 'aborted'],
      rows.map((x) => [seg(x.key), seg(String(x.drills)), seg(x.roles.join(',') || '—'), seg(String(x.resolved), { color: x.resolved ? 'green' : undefined }), seg(dur(x.meanDetectMs)), seg(dur(x.bestMitigateMs)), seg(String(x.hints)), seg(String(x.aborted))]),
    ),
    o,
  );
}

export function drillScheduleText(r: DrillScheduleResult, o: TextOptions): string {
  if (r.action === 'list' && !r.schedules.length) return linesToText([[seg(`no drill scheduled on ${r.lab}`, { dim: true })]], o);
  const head = r.action === 'created' ? 'scheduled' : r.action === 'cancelled' ? 'cancelled' : `scheduled drills on ${r.lab}`;
  return linesToText([
    [seg(head, { bold: true })],
    ...table(['id', 'when (UTC)', 'scenario', 'page', 'channel', 'by'], r.schedules.map((s) => [
      seg(s.id), seg(s.fireAt ? s.fireAt.slice(0, 19).replace('T', ' ') : `${s.window!.from}-${s.window!.to}${s.window!.days ? ` ${s.window!.days.join(',')}` : ''} (random moment)`), seg(s.scenario), seg(s.page.join(',') || '—'), seg(s.channel), seg(s.createdBy),
    ])),
  ], o);
}
