// `audit`: who ran what, newest last, failures coloured.
import type { AuditResult } from '../../commands/audit.js';
import { linesToText, ms, seg, table, type Line } from './lines.js';
import type { TextOptions } from './text.js';

export function auditLines(r: AuditResult): Line[] {
  if (!r.entries.length) return [[seg('(no audit entries)', { dim: true })]];
  const rows = r.entries.map((e) => [
    seg(e.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), { dim: true }),
    seg(`${e.user}@${e.surface}`),
    seg(e.lab),
    seg(e.outcome, { color: e.outcome === 'ok' ? 'green' : e.outcome === 'cancelled' ? 'yellow' : 'red' }),
    seg(ms(e.durationMs)),
    seg(`${e.line}${e.message ? `  — ${e.message}` : ''}`),
  ]);
  return table(['when', 'who', 'lab', 'outcome', 'took', 'command'], rows);
}

export const auditText = (r: AuditResult, o: TextOptions) => linesToText(auditLines(r), o);
