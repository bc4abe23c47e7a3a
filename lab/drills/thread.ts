// A drill driven from Slack lives in one thread: the page starts it, and hints, checks and
// the end report are posted as replies to it. The thread is kept in the drill state.
import { readDrill, updateDrill } from '../state/drill-state.js';

const IN_THREAD = new Set(['drill status', 'drill hint', 'drill check', 'drill end', 'drill role', 'drill note', 'drill prober']);

/** The thread ts to answer `command` in, when it belongs to the lab's running drill. */
export async function drillThreadFor(lab: string, command: string | undefined, channel: string): Promise<string | undefined> {
  if (!command || !IN_THREAD.has(command)) return undefined;
  const d = await readDrill(lab);
  return d?.thread && d.thread.channel === channel ? d.thread.ts : undefined;
}

/** After `drill start` was posted: its message (or the thread it was asked in) becomes the drill's thread. */
export async function rememberDrillThread(lab: string, channel: string, ts: string | undefined): Promise<void> {
  if (ts) await updateDrill(lab, (d) => void (d.thread = { channel, ts }));
}
