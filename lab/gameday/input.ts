// Game-day input as it arrives from chat or a terminal, checked where it enters: durations and
// times range-checked, page targets reduced to Slack IDs, note text capped.
import { UsageError } from '../errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `10m`, `1h30m`, `2d`; a bare number is seconds. Between min and max (ms). */
export function parseDuration(text: string, what: string, min = 1000, max = 7 * 86_400_000): number {
  const t = text.trim().toLowerCase();
  let ms = 0;
  if (/^\d{1,7}$/.test(t)) ms = Number(t) * 1000;
  else {
    const parts = [...t.matchAll(/(\d{1,7})(ms|s|m|h|d)/g)];
    if (!parts.length || parts.map((p) => p[0]).join('') !== t) throw new UsageError(`${what} "${text.slice(0, 40)}" is not a duration`, 'write it like 90s, 10m, 1h30m');
    for (const p of parts) ms += Number(p[1]) * UNITS[p[2]!]!;
  }
  if (ms < min || ms > max) throw new UsageError(`${what} ${text.slice(0, 40)} is out of range`, `between ${human(min)} and ${human(max)}`);
  return ms;
}

export function human(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}

/**
 * Who to page: Slack user IDs (`UA`, `<@UA>`, `<@UA|name>` as Slack sends a mention) and
 * usergroups (`S…`, `<!subteam^S…|@team>`). Returns IDs only; anything else is refused.
 */
export function parsePage(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[,\s]+/).filter(Boolean).slice(0, 21)) {
    const user = /^(?:<@)?([UW][A-Z0-9]{1,20})(?:\|[^>]{0,80})?>?$/.exec(raw);
    const group = /^(?:<!subteam\^)?(S[A-Z0-9]{1,20})(?:\|[^>]{0,80})?>?$/.exec(raw);
    const id = user?.[1] ?? group?.[1];
    if (!id) throw new UsageError(`--page: "${raw.slice(0, 40)}" is not a Slack user or usergroup`, 'mention them (@name / @team from Slack\'s autocomplete) or give their IDs (U…, S…), comma-separated');
    if (!out.includes(id)) out.push(id);
  }
  if (out.length > 20) throw new UsageError('--page names more than 20 people or groups', 'page a usergroup instead');
  return out;
}

/** How a page mentions someone in Slack. */
export const mention = (id: string) => (id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`);

export const MAX_NOTE = 500;

/** A note as typed: control characters out, whitespace folded, capped. Escaping is the renderer's job. */
export function cleanNote(text: string): string {
  // eslint-disable-next-line no-control-regex
  // C0, DEL and C1 (a terminal reads \u009b as CSI), and the bidi overrides that make a line read
  // other than it is (Trojan Source): all out before the note reaches state, timeline or a file.
  const t = text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!t) throw new UsageError('`drill note` needs some text', 'drill note "saw spine1 sessions down"');
  if (t.length > MAX_NOTE) throw new UsageError(`the note is ${t.length} characters; at most ${MAX_NOTE}`, 'split it into two notes');
  return t;
}
