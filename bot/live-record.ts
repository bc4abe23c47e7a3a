// A long command's "running …" message is only true while the bot that posts it lives. Each one
// is written down (state dir, 0600) while it runs and removed once its final answer replaced it;
// a bot that starts finds the ones a killed bot left and says, in place, that they were
// interrupted, instead of leaving "running" in the channel forever.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { webApi } from '@slack/bolt';
import { stateDir } from '../lab/paths.js';
import { context, esc, section, who } from './render/blocks.js';

export interface LiveRecord {
  lab: string;
  channel: string;
  ts: string;
  line: string;
  user: string;
  /** ISO time the command started. */
  started: string;
  /** The bot process that owns it: pid and its start time (a reused pid is not the same bot). */
  pid: number;
  pidStart: string;
}

const dir = () => join(stateDir(), 'live-messages');
const fileOf = (r: Pick<LiveRecord, 'lab' | 'channel' | 'ts'>) => join(dir(), `${r.lab}_${r.channel}_${r.ts}.json`.replace(/[^A-Za-z0-9._-]/g, '_'));

/** Field 22 of /proc/PID/stat (start time in clock ticks since boot); '' when the process is gone. */
function processStart(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

/** Writes the record (atomically, 0600 in a 0700 directory); returns a function that removes it. */
export function recordLive(r: Omit<LiveRecord, 'pid' | 'pidStart'>): () => void {
  const rec: LiveRecord = { ...r, pid: process.pid, pidStart: processStart(process.pid) };
  const file = fileOf(rec);
  try {
    mkdirSync(dir(), { recursive: true, mode: 0o700 });
    writeFileSync(`${file}.tmp`, JSON.stringify(rec), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  } catch {
    return () => {}; // no record is no worse than before; the command itself goes on
  }
  return () => rmSync(file, { force: true });
}

/** Every record of this lab whose bot is gone: its message becomes "interrupted", the record goes. */
export async function markInterrupted(client: webApi.WebClient, lab: string, log: (m: string) => void): Promise<number> {
  let names: string[];
  try {
    names = readdirSync(dir()).filter((n) => n.endsWith('.json'));
  } catch {
    return 0;
  }
  let marked = 0;
  for (const name of names) {
    const file = join(dir(), name);
    let rec: LiveRecord;
    try {
      rec = JSON.parse(readFileSync(file, 'utf8')) as LiveRecord;
    } catch {
      rmSync(file, { force: true });
      continue;
    }
    if (rec.lab !== lab) continue; // another lab's bot shares this state dir
    if (rec.pid !== process.pid && processStart(rec.pid) !== '' && processStart(rec.pid) === rec.pidStart) continue; // its bot still runs
    const mins = Math.max(0, Math.round((Date.now() - Date.parse(rec.started)) / 60_000));
    const line = `:warning: *\`${esc(rec.line)}\` was interrupted*: the bot stopped while it ran (started ${mins} min ago). Run \`status\` to see what state it left the lab in.`;
    try {
      await client.chat.update({ channel: rec.channel, ts: rec.ts, text: `interrupted: \`${esc(rec.line)}\``, blocks: [section(line), context(`${who(rec.user)} · \`/bgp-lab ${esc(rec.line)}\``)] });
      marked++;
    } catch (err) {
      log(`slack: marking an interrupted message (${rec.channel} ${rec.ts}): ${(err as Error).message}`);
    }
    rmSync(file, { force: true });
  }
  return marked;
}
