// The abort rules of a drill hold on every surface: `drill start` with a rule starts the drill's
// guard, a detached `bgp-lab drill guard` process (like the prober's pings, it lives as long as
// the drill). It reads the prober's logs once a second and, when a rule is passed, ends the drill
// through the command core (`drill end --abort --drill-id ID`: the lab lock, the audit log, as
// "the abort rule"). The guard is the one enforcer: a bot does not race it. A drill in a Slack
// thread hears of the abort and gets its report through the bot (lab/gameday/news.ts).
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stateDir, PROJECT_ROOT } from '../paths.js';
import { stateSubdir } from '../state/dir.js';
import { readDrill, type DrillState } from '../state/drill-state.js';
import type { EmbeddedDriver } from '../drivers/embedded/index.js';
import { limitPassed } from './watch.js';

const GUARD_EVERY_MS = 1000;
/** Who the guard's end is by, in the audit log, the timeline and the drill's thread. */
export const ABORT_RULE = 'the abort rule';
/** A drill started from Slack gets its thread once its page is posted: an abort waits this long for it. */
export const THREAD_WAIT_MS = 60_000;

const drillsDir = () => join(stateDir(), 'drills');
export const guardPidFile = (lab: string) => join(drillsDir(), `${lab}.guard.pid`);

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
 * The guard's loop: until the drill is gone, once a second, the abort rules; a rule passed →
 * `abort(reason)`, which runs `drill end --abort` through the core. `abort` answers 'busy' while
 * someone holds the lab lock: the guard tries again next turn.
 */
export async function guardDrill(
  d: EmbeddedDriver,
  lab: string,
  drillId: string,
  abort: (reason: string) => Promise<'done' | 'busy'>,
  signal: AbortSignal,
): Promise<GuardOutcome> {
  try {
    for (;;) {
      if (signal.aborted) return { drillId, ended: 'cancelled' };
      const s: DrillState | undefined = await readDrill(lab);
      if (!s || s.drillId !== drillId) return { drillId, ended: 'gone' };
      // Started from Slack, its page not yet posted: the abort waits for the thread it is told in.
      const threadPending = s.surface === 'slack' && !s.thread && Date.now() - Date.parse(s.startedAt) < THREAD_WAIT_MS;
      if ((!s.phase || s.phase === 'running') && !threadPending) {
        const reason = await limitPassed(d, s).catch(() => undefined);
        if (reason && (await abort(reason)) === 'done') return { drillId, ended: 'aborted', reason };
      }
      await new Promise((r) => setTimeout(r, GUARD_EVERY_MS));
    }
  } finally {
    // Our own pid file goes with us (a `drill end` by the guard itself leaves it to the guard).
    const pid = Number((await readFile(guardPidFile(lab), 'utf8').catch(() => '')).trim());
    if (pid === process.pid) await rm(guardPidFile(lab), { force: true });
  }
}
