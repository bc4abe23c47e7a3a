// The bot's own clock for game days: it fires the lab's due schedules (claimed by an atomic
// rename, so two bots fire a schedule once) and watches the running drill (BGP events into its
// timeline, the abort rules). Both go through the command core like any request: audited, locked.
import type { webApi } from '@slack/bolt';
import type { Session, Outcome } from '../commands/execute.js';
import type { Caller } from '../commands/types.js';
import type { DrillStartResult } from '../commands/drill-results.js';
import type { DrillWatchResult } from '../commands/drill-watch.js';
import { channelAllowed, type BotConfig } from './config.js';
import { renderError, renderResult } from './render/index.js';
import { esc, section } from './render/blocks.js';
import type { DisplayNames } from './users.js';

export interface GameDayDeps {
  config: BotConfig;
  session: Session;
  client: webApi.WebClient;
  names: DisplayNames;
  log(m: string): void;
  signal: AbortSignal;
  /** Runs work the way requests do (the bot's scheduler and its in-flight set). */
  track<T>(p: Promise<T>): Promise<T>;
}

const TICK_MS = 1000;
const WATCH_EVERY_MS = 2000;
const LOOK_TIMEOUT_MS = 20_000;

/** How long an abort waits for the page's thread of a drill started from Slack. */
const THREAD_WAIT_MS = 60_000;

export class GameDay {
  private timer?: NodeJS.Timeout;
  private beat?: NodeJS.Timeout;
  private busy = false;
  private lastWatch = 0;
  /** The drill whose abort was said in its thread (said once, however many looks it takes). */
  private announced?: string;
  /** The abort this bot said in a thread and has not yet reported (the guard may end it first). */
  private abortSaid?: { drillId: string; channel: string; threadTs?: string; reason: string };

  /** Schedule files that are not schedules (edited on disk): said once each, never fired. */
  private said = new Set<string>();

  constructor(private d: GameDayDeps) {}

  private invalid(file: string, why: string): void {
    if (this.said.has(file)) return;
    this.said.add(file);
    this.d.log(`gameday: schedule file ${file} is not a schedule (${why.slice(0, 200)}): ignored`);
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
    // The heartbeat the drill's guard reads beats on its own clock: a turn that is busy for long
    // (a drill start, an abort's restore, a look on a loaded host) must not make the guard think
    // no bot watches, or both would end the drill and the thread would get no report.
    this.beat = setInterval(() => void this.heartbeat(), WATCH_EVERY_MS);
    this.beat.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    clearInterval(this.beat);
  }

  private async heartbeat(): Promise<void> {
    if (this.d.signal.aborted) return;
    const { readDrill } = await import('../lab/state/drill-state.js');
    const d = await readDrill(this.d.session.lab).catch(() => undefined);
    if (!d?.drillId || (d.phase && d.phase !== 'running')) return;
    const { markWatching } = await import('../lab/gameday/guard.js');
    await markWatching(this.d.session.lab, d.drillId).catch((err: Error) => this.d.log(`gameday: heartbeat: ${err.message}`));
  }

  /** One turn: due schedules, then (every 2 s) the running drill. Never two turns at once. */
  async tick(): Promise<void> {
    if (this.busy || this.d.signal.aborted) return;
    this.busy = true;
    try {
      await this.d.track(this.fireDue());
      if (Date.now() - this.lastWatch >= WATCH_EVERY_MS) {
        this.lastWatch = Date.now();
        await this.d.track(this.watch());
      }
    } catch (err) {
      this.d.log(`gameday: ${(err as Error).message}`);
    } finally {
      this.busy = false;
    }
  }

  private async fireDue(): Promise<void> {
    const g = await import('../lab/gameday/schedule.js');
    const now = Date.now();
    for (const s of await g.listSchedules(this.d.session.lab, (file, why) => this.invalid(file, why))) {
      if (Date.parse(s.fireAt) > now) continue;
      const mine = await g.claimSchedule(s);
      if (!mine) continue; // another bot took it
      const late = now - Date.parse(mine.fireAt) > g.LATE_MS;
      try {
        if (late) await this.say(mine.channel, `:zzz: scheduled drill \`${esc(mine.id)}\` was due at ${mine.fireAt.slice(11, 16)} UTC while no bot ran: skipped`);
        else await this.fire(mine);
      } finally {
        await g.rescheduleAfterFiring(mine).catch((err: Error) => this.d.log(`gameday: rescheduling ${mine.id}: ${err.message}`));
      }
    }
  }

  private async fire(s: import('../lab/gameday/schedule.js').Schedule): Promise<void> {
    if (!channelAllowed(this.d.config, s.channel)) return this.d.log(`gameday: schedule ${s.id}: channel ${s.channel} is not allowed`);
    const words = ['drill', 'start', ...(s.random ? ['--random'] : [s.scenario!]), '--surprise', '--schedule', s.id];
    if (s.page.length) words.push('--page', s.page.join(','));
    if (s.limits?.abortAfter) words.push('--abort-after', s.limits.abortAfter);
    if (s.limits?.abortIfOutage) words.push('--abort-if-outage', s.limits.abortIfOutage);
    // The one who scheduled it is the game master; they had operate when they scheduled it.
    const caller: Caller = { surface: 'slack', user: s.createdBy, name: s.createdByName, channel: s.channel, level: 'operate' };
    const o = await this.d.session.run(words, { caller, signal: this.d.signal });
    if (o.error) {
      await this.post(s.channel, renderError({ ...o.error, message: `scheduled drill ${s.id} did not start: ${o.error.message}` }, o.status));
      return;
    }
    const r = o.result as DrillStartResult;
    const { namePaged } = await import('./dispatch.js');
    await namePaged(this.d.session.lab, this.d.names).catch((err: Error) => this.d.log(`gameday: naming the paged: ${err.message}`));
    const ts = await this.post(s.channel, renderResult('drill start', { ...r, scheduled: s.id }));
    if (ts) {
      const { rememberDrillThread } = await import('../lab/drills/thread.js');
      await rememberDrillThread(this.d.session.lab, s.channel, ts);
    }
  }

  /** The running drill: one watcher poll; when it says a limit passed, `drill end --abort`. */
  private async watch(): Promise<void> {
    const { readDrill } = await import('../lab/state/drill-state.js');
    const d = await readDrill(this.d.session.lab);
    // An abort said in a thread whose drill was ended meanwhile by its guard: the report goes there too.
    const said = this.abortSaid;
    if (said && d?.drillId !== said.drillId) {
      this.abortSaid = undefined;
      await this.postGuardReport(said.channel, said.drillId, said.reason, said.threadTs);
    }
    if (!d || (d.phase && d.phase !== 'running')) return;
    // The drill's guard (lab/gameday/guard.ts) leaves the abort rules to a bot that watches.
    const { markWatching } = await import('../lab/gameday/guard.js');
    await markWatching(this.d.session.lab, d.drillId).catch((err: Error) => this.d.log(`gameday: heartbeat: ${err.message}`));
    // A look that hangs (a router that does not answer) must not stop the clock: given up after 20 s.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), LOOK_TIMEOUT_MS)));
    const w = await Promise.race([
      this.d.session.peek<DrillWatchResult>('drill watch').catch((err: Error) => {
        this.d.log(`gameday: drill watch: ${err.message}`);
        return undefined;
      }),
      late,
    ]).finally(() => clearTimeout(timer));
    if (!w?.result.abort) return;
    // A drill started from Slack has its thread once its page is posted: an abort that came
    // before it (a 2 s outage rule on a loaded host) waits for the thread, so it is said there.
    if (d.surface === 'slack' && !d.thread && Date.now() - Date.parse(d.startedAt) < THREAD_WAIT_MS) return;
    // Audited as the system (the guard's end is too), not as the game master who set the rule.
    const caller: Caller = { surface: 'slack', user: 'system', name: 'the abort rule', channel: d.thread?.channel, level: 'operate' };
    const channel = d.thread?.channel;
    // Said at once (the restore takes a while), then the report when it is done.
    if (channel && this.announced !== d.drillId) {
      this.announced = d.drillId;
      if (d.drillId) this.abortSaid = { drillId: d.drillId, channel, threadTs: d.thread?.ts, reason: w.result.abort };
      await this.post(channel, { text: `drill aborted: ${w.result.abort}`, blocks: [section(`:octagonal_sign: *drill aborted by its rule*: ${esc(w.result.abort)} — restoring the lab`)] }, d.thread?.ts);
    }
    // Names its drill: ended meanwhile (by a person, or the guard while this look hung) is nothing to do.
    const o: Outcome = await this.d.session.run(['drill', 'end', '--abort', '--reason', w.result.abort, ...(d.drillId ? ['--drill-id', d.drillId] : [])], { caller, signal: this.d.signal });
    // Busy: the lab's lock is held (the start's last step, someone's fix): the next look tries again.
    if (o.status === 'busy' || !channel) return;
    // Ended meanwhile (by a person, or by the guard: then the next look posts its report).
    if (o.error && /is no longer running|no drill is running/.test(o.error.message)) return;
    if (o.error) return void (await this.post(channel, renderError(o.error, o.status), d.thread?.ts));
    this.abortSaid = undefined;
    const msg = renderResult('drill end', o.result);
    const ts = await this.post(channel, { ...msg, blocks: [section(`:octagonal_sign: *aborted*: ${esc(w.result.abort)}`), ...msg.blocks].slice(0, 50) }, d.thread?.ts);
    if (msg.attachment) await this.upload(channel, d.thread?.ts ?? ts, msg.attachment);
  }

  private async postGuardReport(channel: string, drillId: string, reason: string, threadTs?: string): Promise<void> {
    const { readScores } = await import('../lab/state/drill-state.js');
    const score = (await readScores().catch(() => [])).find((x) => x.drillId === drillId);
    if (score?.outcome !== 'aborted') return;
    const r = await this.d.session.peek('drill report', { id: drillId }).catch((err: Error) => {
      this.d.log(`gameday: drill report ${drillId}: ${err.message}`);
      return undefined;
    });
    if (!r) return;
    const msg = renderResult('drill report', r.result);
    const ts = await this.post(channel, { ...msg, blocks: [section(`:octagonal_sign: *aborted*: ${esc(reason)}`), ...msg.blocks].slice(0, 50) }, threadTs);
    if (msg.attachment) await this.upload(channel, threadTs ?? ts, msg.attachment);
  }

  private async say(channel: string, text: string): Promise<void> {
    await this.post(channel, { text, blocks: [section(text)] });
  }

  private async post(channel: string, msg: { text: string; blocks: unknown[] }, threadTs?: string): Promise<string | undefined> {
    try {
      const r = await this.d.client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks as never, thread_ts: threadTs, unfurl_links: false });
      return r.ts;
    } catch (err) {
      this.d.log(`gameday: chat.postMessage in ${channel}: ${(err as Error).message}`);
      return undefined;
    }
  }

  private async upload(channel: string, ts: string | undefined, file: { filename: string; content: string }): Promise<void> {
    if (!ts) return;
    await this.d.client.filesUploadV2({ channel_id: channel, thread_ts: ts, filename: file.filename, title: file.filename, content: file.content }).catch((err: Error) => this.d.log(`gameday: files.uploadV2: ${err.message}`));
  }
}
