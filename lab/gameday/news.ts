// What a drill's Slack thread must hear about when the drill was ended by something other than
// the bot: its guard (an abort rule), or a person at the CLI or REPL. `drill end` leaves it here
// as one 0600 file per item; the bot that serves the lab claims each by an atomic rename (with
// two bots, one posts it) and posts it in the drill's thread. A bot that ends a drill itself
// posts the result where it was asked and leaves no news.
import { readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { stateDir } from '../paths.js';
import { stateSubdir, takeFile, writePrivateAsync } from '../state/dir.js';
import { z } from 'zod';
import type { DrillEndResult } from '../drills/results.js';

/** News nobody posted within this long (no bot ran) is dropped, not posted late into an old thread. */
export const NEWS_STALE_MS = 10 * 60_000;

export type DrillNews =
  /** The abort began (the restore takes a while): said at once. */
  | { kind: 'aborting'; lab: string; drillId: string; thread: { channel: string; ts: string }; at: string; by: string; reason: string }
  /** The drill ended: its report and postmortem. `by`: who ended it (a name, `the abort rule`). */
  | { kind: 'ended'; lab: string; drillId: string; thread: { channel: string; ts: string }; at: string; by: string; surface: string; reason?: string; result: DrillEndResult };

// A file edited on disk is read as hostile (like a schedule): the thread and the words are
// checked before the bot posts anything; the result is only ever rendered (escaped).
const Envelope = z.object({
  kind: z.enum(['aborting', 'ended']),
  lab: z.string(),
  drillId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  thread: z.object({ channel: z.string().regex(/^[CDG][A-Z0-9]{1,30}$/), ts: z.string().regex(/^\d{1,12}\.\d{1,8}$/) }),
  at: z.string().datetime(),
  by: z.string().max(200),
  reason: z.string().max(500).optional(),
  surface: z.string().max(20).optional(),
  result: z.object({ outcome: z.string() }).passthrough().optional(),
}).refine((n) => (n.kind === 'aborting' ? n.reason !== undefined : n.result !== undefined && n.surface !== undefined), 'an item without its reason or result');

const dir = () => join(stateDir(), 'drill-news');
const LAB_FILE = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Written aside and renamed in: a bot never reads half an item. Names sort in time order. */
export async function leaveNews(n: DrillNews): Promise<void> {
  stateSubdir('drill-news');
  const name = `${n.lab}.${String(Date.now()).padStart(15, '0')}.${process.pid}.${n.kind}.json`;
  const tmp = join(dir(), `.${name}.tmp`);
  await writePrivateAsync(tmp, JSON.stringify(n));
  await rename(tmp, join(dir(), name));
}

/**
 * Takes the lab's news, oldest first: each item is claimed by a rename (another bot that got there
 * first keeps it) and removed once read. Stale or unreadable items are dropped and reported.
 */
export async function takeNews(lab: string, onDropped?: (file: string, why: string) => void, now = Date.now()): Promise<DrillNews[]> {
  if (!LAB_FILE.test(lab)) return [];
  const files = (await readdir(dir()).catch(() => [] as string[])).filter((f) => f.startsWith(`${lab}.`) && f.endsWith('.json')).sort();
  const out: DrillNews[] = [];
  for (const f of files) {
    try {
      const text = await takeFile(join(dir(), f), 'taken');
      if (text === undefined) continue; // another bot took it
      const parsed = Envelope.safeParse(JSON.parse(text));
      const n = parsed.data as DrillNews | undefined;
      if (!n) onDropped?.(f, `not drill news: ${parsed.error?.issues[0]?.path.join('.') || 'the item'}: ${parsed.error?.issues[0]?.message}`);
      else if (n.lab !== lab) onDropped?.(f, 'not news of this lab');
      else if (now - Date.parse(n.at) > NEWS_STALE_MS) onDropped?.(f, `older than ${NEWS_STALE_MS / 60_000} min (no bot ran)`);
      else out.push(n);
    } catch (err) {
      onDropped?.(f, (err as Error).message);
    }
  }
  return out;
}
