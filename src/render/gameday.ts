// Game days in a terminal: role claims, notes, the postmortem (its Markdown reads as text),
// the leaderboard, schedules.
import type { DrillNoteResult, DrillReportResult, DrillRoleResult, DrillScoresResult } from '../../commands/drill-results.js';
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
