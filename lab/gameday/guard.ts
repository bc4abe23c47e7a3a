// The abort rules of a drill hold on every surface, not only while a bot watches: `drill start`
// with a rule starts the drill's guard, a detached `bgp-lab drill guard` process (like the
// prober's pings, it lives as long as the drill). It reads the prober's logs once a second and,
// when a rule is passed, ends the drill through the command core (`drill end --abort
// --drill-id ID`: the lab lock, the audit log, as "the abort rule"). Never twice:
// - a bot that watches the drill says so in a heartbeat file; while it is fresh the guard leaves
//   the abort to the bot (which also posts it in the drill's thread);
// - either way the end names the drill ID and runs under the lab lock, so the second one to get
//   there (a bot, a human's `drill end`, the guard) finds the drill gone and does nothing.
import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stateDir, PROJECT_ROOT } from '../paths.js';
import { stateSubdir, writePrivateAsync } from '../state/dir.js';
import { readDrill, type DrillState } from '../state/drill-state.js';
import type { EmbeddedDriver } from '../drivers/embedded/index.js';
import { limitPassed } from './watch.js';

const GUARD_EVERY_MS = 1000;
/** A bot's heartbeat older than this: no bot is watching (it stopped, or its look hangs). */
export const WATCHER_FRESH_MS = 8000;
/** How long a bot that watched the drill has to end it once a rule is passed, before the guard does. */
export const BOT_FIRST_MS = 30_000;

const drillsDir = () => join(stateDir(), 'drills');
export const guardPidFile = (lab: string) => join(drillsDir(), `${lab}.guard.pid`);
const watcherFile = (lab: string) => join(drillsDir(), `${lab}.watcher.json`);

/** The bot's watcher says it looks at the lab's drill (every watch turn). */
export async function markWatching(lab: string, drillId: string | undefined): Promise<void> {
  stateSubdir('drills');
  // Written aside and renamed: the guard never reads half a heartbeat (and takes it for no bot).
  const tmp = `${watcherFile(lab)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`;
  await writePrivateAsync(tmp, JSON.stringify({ pid: process.pid, at: Date.now(), drillId }));
  await rename(tmp, watcherFile(lab));
}

/** A live bot has watched the lab's drill within the last few seconds. */
export async function botWatching(lab: string, drillId: string, now = Date.now()): Promise<boolean> {
  try {
    const w = JSON.parse(await readFile(watcherFile(lab), 'utf8')) as { pid: number; at: number; drillId?: string };
    if (now - w.at > WATCHER_FRESH_MS || w.pid === process.pid || w.drillId !== drillId) return false;
    process.kill(w.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A local runner: the guard runs beside the state dir (where the CLI runs), whatever host the lab is on. */
async function local() {
  const { LocalRunner } = await import('../runners/local.js');
  return new LocalRunner();
}

/**
 * Starts the drill's guard (start-stop-daemon writes its pid file and detaches it). Same lab,
 * same host, the environment (state dir) of the caller.
 */
export async function startGuard(lab: string, drillId: string, host?: string): Promise<void> {
  stateSubdir('drills');
  const r = await local();
  await stopGuard(lab); // a guard of an earlier drill that has not noticed yet
  const cli = join(PROJECT_ROOT, 'bin/bgp-lab');
  const res = await r.run([
    'start-stop-daemon', '--start', '--quiet', '--background', '--make-pidfile', '--pidfile', guardPidFile(lab), '--exec', process.execPath, '--',
    cli, '--lab', lab, ...(host ? ['--host', host] : []), 'drill', 'guard', '--drill-id', drillId,
  ]);
  if (res.exitCode !== 0) throw new Error(`the abort rule's guard did not start: ${res.stderr.trim().split('\n')[0] ?? res.exitCode}`);
}

/** Stops the lab's guard, unless it is this process (the guard ending the drill itself). */
export async function stopGuard(lab: string): Promise<void> {
  const pid = Number((await readFile(guardPidFile(lab), 'utf8').catch(() => '')).trim());
  if (!pid || pid === process.pid) return;
  // --exec: a stale pid file whose pid is now someone else's process is left alone.
  await (await local()).run(['start-stop-daemon', '--stop', '--quiet', '--oknodo', '--pidfile', guardPidFile(lab), '--exec', process.execPath, '--remove-pidfile', '--retry', 'TERM/2/KILL/1']);
}

export interface GuardOutcome {
  drillId: string;
  /** Why the guard stopped: the drill ended (by anyone), or the guard aborted it. */
  ended: 'gone' | 'aborted' | 'cancelled';
  reason?: string;
}

/**
 * The guard's loop: until the drill is gone, once a second, the abort rules (unless a bot
 * watches); a rule passed → `abort(reason)`, which runs `drill end --abort` through the core.
 * `abort` answers 'busy' while someone holds the lab lock: the guard tries again next turn.
 */
export async function guardDrill(
  d: EmbeddedDriver,
  lab: string,
  drillId: string,
  abort: (reason: string) => Promise<'done' | 'busy'>,
  signal: AbortSignal,
): Promise<GuardOutcome> {
  // A bot seen watching this drill gets the first BOT_FIRST_MS after a rule is passed: it ends
  // the drill and says so in its thread. The guard acts after that only if the bot has not
  // (a heartbeat can look stale for a moment on a loaded host while the bot is about to end it).
  let sawBot = false;
  let passedSince: number | undefined;
  try {
    for (;;) {
      if (signal.aborted) return { drillId, ended: 'cancelled' };
      const s: DrillState | undefined = await readDrill(lab);
      if (!s || s.drillId !== drillId) return { drillId, ended: 'gone' };
      const watched = await botWatching(lab, drillId);
      sawBot ||= watched;
      if ((!s.phase || s.phase === 'running') && !watched) {
        const reason = await limitPassed(d, s).catch(() => undefined);
        passedSince = reason ? (passedSince ?? Date.now()) : undefined;
        const botsTurn = sawBot && passedSince !== undefined && Date.now() - passedSince < BOT_FIRST_MS;
        if (reason && !botsTurn && (await abort(reason)) === 'done') return { drillId, ended: 'aborted', reason };
      }
      await new Promise((r) => setTimeout(r, GUARD_EVERY_MS));
    }
  } finally {
    // Our own pid file goes with us (a `drill end` by the guard itself leaves it to the guard).
    const pid = Number((await readFile(guardPidFile(lab), 'utf8').catch(() => '')).trim());
    if (pid === process.pid) await rm(guardPidFile(lab), { force: true });
  }
}
