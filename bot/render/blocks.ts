// Block Kit building blocks and Slack's limits (3000 characters per text, 50 blocks per
// message). Renderers build with these so a big result is cut visibly ("…N more") and the
// whole of it travels as a file instead of failing at chat.postMessage.
import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;
type SectionBlock = types.SectionBlock;
export type { KnownBlock };

export const MAX_TEXT = 3000;
export const MAX_BLOCKS = 50;
/** Code sections a renderer may use for one table before it cuts: keeps messages readable. */
export const MAX_CODE_SECTIONS = 4;

export interface SlackMessage {
  /** Notification and fallback text. */
  text: string;
  blocks: KnownBlock[];
  /** The whole result as text: attached (file or thread) when the blocks were cut. */
  attachment?: { filename: string; content: string };
  /** A picture uploaded as itself into the channel (or the drill's thread): `graph`, the drill's outage chart. */
  image?: { filename: string; data: Buffer; title?: string };
}

/** Slack's three control characters; everything else is literal. */
export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A duration as people read it: `15 ms`, `1.4 s`; `—` when unknown. */
export const duration = (ms?: number) => (ms === undefined ? '—' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

/**
 * Text that came from the core (errors, hints): escaped like any other, except the
 * user and channel mentions written on purpose (`<@U123>`, `<#C123>`), which stay mentions. `<!channel>` typed
 * into an argument never becomes an @channel.
 */
export const escKeepMentions = (s: string) => esc(s).replace(/&lt;(@[UW][A-Z0-9]+|#C[A-Z0-9]+)&gt;/g, '<$1>');

/** A user as Slack shows them: a mention for a Slack user ID, else the name as it is. */
export const who = (user: string) => (/^[UW][A-Z0-9]{2,}$/.test(user) ? `<@${user}>` : esc(user));

// Not clipped here: fit() cuts an oversized text visibly and attaches the whole result.
export const section = (text: string): SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
export const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
export const header = (text: string): KnownBlock => ({ type: 'header', text: { type: 'plain_text', text: text.slice(0, 150), emoji: true } });

export function clip(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Lines packed into ``` sections of at most MAX_TEXT characters each (escaped), never
 * splitting a line; stops at maxSections and says how many lines did not fit.
 * `groups` keeps lines that belong together (a route and its ECMP next hops) in one piece.
 */
export function codeSections(groups: string[][], maxSections = MAX_CODE_SECTIONS): { blocks: SectionBlock[]; shownGroups: number } {
  const blocks: SectionBlock[] = [];
  let cur: string[] = [];
  let len = 0;
  let shownGroups = 0;
  const overhead = 8; // ```\n … \n```
  // A group too big for one section on its own (a 32-pod matrix) goes line by line instead of
  // being cut mid-line; shownGroups then counts it only if every line of it fit.
  const fitsAlone = (g: string[]) => g.reduce((n, l) => n + Math.min(l.length, 400) * 1.2 + 1, 0) + overhead <= MAX_TEXT;
  const pieces = groups.flatMap((g, gi) => (fitsAlone(g) ? [{ lines: g, gi, last: true }] : g.map((l, i) => ({ lines: [l], gi, last: i === g.length - 1 }))));
  for (const { lines: group, last } of pieces) {
    const text = group.map((l) => esc(l.length > 400 ? `${l.slice(0, 399)}…` : l)).join('\n');
    if (cur.length && len + 1 + text.length + overhead > MAX_TEXT) {
      if (blocks.length + 1 >= maxSections) break;
      blocks.push(section(`\`\`\`\n${cur.join('\n')}\n\`\`\``));
      cur = [];
      len = 0;
    }
    cur.push(text);
    len += text.length + 1;
    if (last) shownGroups++;
  }
  if (cur.length) blocks.push(section(`\`\`\`\n${cur.join('\n')}\n\`\`\``));
  return { blocks, shownGroups };
}

/** Fixed-width columns for a code block. */
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

/** Last guard before sending: at most 50 blocks and 3000 characters per text, cut visibly. */
export function fit(msg: SlackMessage, fullText: () => string): SlackMessage {
  let cut = false;
  const clipText = <T extends { text: string }>(t: T): T => {
    if (t.text.length <= MAX_TEXT) return t;
    cut = true;
    return { ...t, text: `${clip(t.text, MAX_TEXT - 40)}\n_(cut: the full result is attached)_` };
  };
  const blocks = msg.blocks.map((b) => {
    if (b.type === 'section' && b.text) return { ...b, text: clipText(b.text) };
    if (b.type === 'context') return { ...b, elements: b.elements.map((e) => ('text' in e && typeof e.text === 'string' ? clipText(e as { text: string }) : e)) } as KnownBlock;
    return b;
  });
  let out = blocks;
  if (blocks.length > MAX_BLOCKS) {
    cut = true;
    out = [...blocks.slice(0, MAX_BLOCKS - 1), context(`…${blocks.length - MAX_BLOCKS + 1} more blocks: the full result is attached`)];
  }
  const attachment = msg.attachment ?? (cut ? { filename: 'result.txt', content: fullText() } : undefined);
  // The notification text is mrkdwn too: escaped, so an argument like <!channel> stays text.
  return { text: clip(escKeepMentions(msg.text), 3000), blocks: out, attachment, ...(msg.image ? { image: msg.image } : {}) };
}
