// The bot's own clock for game days: it fires the lab's due schedules (claimed by an atomic
// rename, so two bots fire a schedule once), watches the running drill (BGP events into its
// timeline) and tells a drill's thread what happened to it elsewhere (its guard aborted it, a
// person ended it at the CLI: lab/gameday/news.ts). The abort rules are the drill's guard's alone
// (lab/gameday/guard.ts): a bot racing it for the lab lock is how a thread lost its report.
import type { webApi } from '@slack/bolt';
import type { Session } from '../commands/execute.js';
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

export class GameDay {
  private timer?: NodeJS.Timeout;
  private busy = false;
  private lastWatch = 0;

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
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One turn: due schedules, the drills' news, then (every 2 s) the running drill. Never two turns at once. */
  async tick(): Promise<void> {
    if (this.busy || this.d.signal.aborted) return;
    this.busy = true;
    try {
      await this.d.track(this.fireDue());
      await this.d.track(this.relayNews());
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

  /** The running drill: one watcher poll (BGP events into its timeline; its rules are the guard's). */
  private async watch(): Promise<void> {
    const { readDrill } = await import('../lab/state/drill-state.js');
    const d = await readDrill(this.d.session.lab);
    if (!d || (d.phase && d.phase !== 'running')) return;
    // A look that hangs (a router that does not answer) must not stop the clock: given up after 20 s.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), LOOK_TIMEOUT_MS)));
    await Promise.race([
      this.d.session.peek<DrillWatchResult>('drill watch').catch((err: Error) => this.d.log(`gameday: drill watch: ${err.message}`)),
      late,
    ]).finally(() => clearTimeout(timer));
  }

  /** What happened to a drill elsewhere, said in its thread: the abort at once, then the report. */
  private async relayNews(): Promise<void> {
    const { takeNews } = await import('../lab/gameday/news.js');
    const { ABORT_RULE } = await import('../lab/gameday/guard.js');
    for (const n of await takeNews(this.d.session.lab, (file, why) => this.d.log(`gameday: drill news ${file} dropped: ${why}`))) {
      if (!channelAllowed(this.d.config, n.thread.channel)) continue;
      if (n.kind === 'aborting') {
        // The guard's end is "by its rule"; anyone else is named.
        const who = n.by === ABORT_RULE ? 'its rule' : esc(n.by);
        await this.post(n.thread.channel, { text: `drill aborted: ${n.reason}`, blocks: [section(`:octagonal_sign: *drill aborted by ${who}*: ${esc(n.reason)} — restoring the lab`)] }, n.thread.ts);
        continue;
      }
      const msg = renderResult('drill end', n.result);
      const head = n.result.outcome === 'aborted'
        ? `:octagonal_sign: *aborted*: ${esc(n.reason ?? 'aborted')}`
        : `:checkered_flag: *ended by ${esc(n.by)}* (${esc(n.surface)})`;
      const ts = await this.post(n.thread.channel, { ...msg, blocks: [section(head), ...msg.blocks].slice(0, 50) }, n.thread.ts);
      if (msg.attachment) await this.upload(n.thread.channel, n.thread.ts ?? ts, msg.attachment);
    }
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
