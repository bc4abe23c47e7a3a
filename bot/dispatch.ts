// One Slack request → one Session.run: channel check, caller level from the env lists,
// progress as one message updated in place (throttled), then the rendered result. Runs
// after ack(); never throws (a failed Slack call is logged and, if possible, said).
import type { webApi, RespondFn } from '@slack/bolt';
import { tokenize, matchCommand } from '../commands/grammar.js';
import { commands } from '../commands/registry.js';
import type { Outcome, Session } from '../commands/execute.js';
import type { Caller } from '../commands/types.js';
import { appendAudit } from '../lab/state/audit.js';
import type { ProgressEvent } from '../lab/drivers/types.js';
import { channelAllowed, levelOf, type BotConfig } from './config.js';
import { renderError, renderResult, type SlackMessage } from './render/index.js';
import { ProgressView } from './render/progress.js';
import { MAX_BLOCKS, codeSections, context, esc, who } from './render/blocks.js';
import { recordLive } from './live-record.js';

export interface BotContext {
  config: BotConfig;
  session: Session;
  log(message: string): void;
  /** Minimum gap between two chat.update of one progress message. */
  throttleMs: number;
  /** Cancelled when the bot stops. */
  signal: AbortSignal;
  /** Slack display names (users.info, cached): what people read instead of IDs. */
  names?: import('./users.js').DisplayNames;
}

export interface Origin {
  user: string;
  channel: string;
  client: webApi.WebClient;
  /** Slash commands and clicks: Slack's response_url, the way to answer only the user. */
  respond?: RespondFn;
  threadTs?: string;
}

/** Slack sends &, <, > as entities in command and message text. */
export const unescapeSlack = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Runs one request; resolves to the command's outcome (undefined when refused before it ran). */
export async function runFromSlack(bot: BotContext, origin: Origin, text: string): Promise<Outcome | undefined> {
  try {
    await new Promise((r) => setImmediate(r)); // let the ack (and other requests' acks) go out first
    return await dispatch(bot, origin, unescapeSlack(text).trim());
  } catch (err) {
    bot.log(`slack: ${(err as Error).message}`);
  }
}

async function dispatch(bot: BotContext, origin: Origin, text: string): Promise<Outcome | undefined> {
  let words: string[] | undefined;
  try {
    words = tokenize(text);
  } catch {
    words = undefined; // Session.run reports the quoting error itself, and audits it
  }
  const quietAsked = words?.includes('--quiet') ?? false;
  if (words) words = words.filter((w) => w !== '--quiet');
  const line = words ? words.join(' ') : text;
  const spec = words ? matchCommand(words, commands)?.spec : undefined;
  // A command that changes the lab (up, down, a drill's fault) is never hidden from the channel.
  // A drill schedule is answered to its author only: the channel must not learn what or when.
  const quiet = (quietAsked && !spec?.mutating) || spec?.name === 'drill schedule';
  const out = new Replies(bot, origin, quiet);

  if (!channelAllowed(bot.config, origin.channel)) {
    const message = `bgp-lab does not take commands in <#${origin.channel}>`;
    // A refusal is still answered when the audit log cannot take it (full disk): logged, not thrown.
    tryAppendAudit(bot, {
      at: new Date().toISOString(),
      lab: bot.session.lab,
      surface: 'slack',
      user: origin.user,
      channel: origin.channel,
      command: (words && matchCommand(words, commands)?.spec.name) ?? line.split(/\s+/)[0] ?? '',
      line,
      outcome: 'denied',
      message,
      durationMs: 0,
    });
    await out.ephemeral(renderError({ message, hint: 'use an allowed channel, or ask an admin to add this one to SLACK_ALLOWED_CHANNELS', exitCode: 1 }, 'denied'));
    return undefined;
  }

  // look: an empty `/bgp-lab` is someone asking what to type: answered to them alone, short, with buttons.
  if (words && !words.length) {
    const { renderQuickHelp } = await import('./render/quick-help.js');
    await out.ephemeral(renderQuickHelp(firstLeaf(bot)));
    return undefined;
  }
  const long = Boolean(spec && (spec.long || spec.mutating) && !quiet);
  const name = await bot.names?.of(origin.user);
  const caller: Caller = { surface: 'slack', user: origin.user, name, channel: origin.channel, level: levelOf(bot.config, origin.user) };
  // A running drill's replies go into the thread its page started (lab/drills/thread.ts).
  // look: a picture asked for during a drill goes into the drill's thread.
  if (spec?.name === 'graph' && !origin.threadTs) {
    const { readDrill } = await import('../lab/state/drill-state.js');
    const d = await readDrill(bot.session.lab).catch(() => undefined);
    if (d?.thread?.channel === origin.channel) origin.threadTs = d.thread.ts;
  }
  if (spec?.name.startsWith('drill ') && !origin.threadTs) {
    const { drillThreadFor } = await import('../lab/drills/thread.js');
    origin.threadTs = await drillThreadFor(bot.session.lab, spec.name, origin.channel);
  }
  const live = long ? new LiveMessage(bot, out, line, origin) : undefined;
  try {
    return await runAndAnswer(bot, origin, words ?? text, line, { caller, quiet, out, live });
  } finally {
    live?.forget(); // its final answer replaced it (or could not): no longer "running"
  }
}

async function runAndAnswer(
  bot: BotContext,
  origin: Origin,
  input: string | string[],
  line: string,
  { caller, quiet, out, live }: { caller: Caller; quiet: boolean; out: Replies; live?: LiveMessage },
): Promise<Outcome> {
  const outcome = await bot.session.run(input, { caller, signal: bot.signal, progress: live ? (ev) => live.event(ev) : undefined });
  await live?.settle();

  if (outcome.error) {
    // A failed long command replaces its progress message, so the channel keeps seeing what
    // failed and who ran it; any other error (refusals, a read on a lab that is down) goes to
    // the caller alone rather than to everyone in the channel.
    if (live?.ts) await out.update(live.ts, signed(renderError(outcome.error, outcome.status, line), origin.user, line, bot.names?.known(origin.user)));
    else await out.ephemeral(renderError(outcome.error, outcome.status));
    return outcome;
  }
  const rendered = renderResult(outcome.command!, outcome.result, { leaf: firstLeaf(bot), line: outcome.line });
  const msg = quiet ? rendered : signed(rendered, origin.user, line, bot.names?.known(origin.user));
  const isDrillStart = outcome.command === 'drill start' && !quiet;
  // The paged are participants by name from the start (users.info), not by ID.
  if (isDrillStart && bot.names) await namePaged(bot.session.lab, bot.names).catch((err: Error) => bot.log(`slack: naming the paged: ${err.message}`));
  const { rememberDrillThread } = isDrillStart ? await import('../lab/drills/thread.js') : { rememberDrillThread: undefined };
  // The page's message becomes the drill's thread before anyone can see the page and answer it.
  if (live?.ts) await rememberDrillThread?.(bot.session.lab, origin.channel, origin.threadTs ?? live.ts);
  let ts: string | undefined;
  if (quiet) await out.ephemeral(msg);
  else if (live?.ts) ts = (await out.update(live.ts, msg)) ? live.ts : undefined;
  else ts = await out.post(msg);
  if (msg.attachment) await out.attach(ts, msg.attachment);
  // look: pictures go up as PNGs (files.getUploadURLExternal + completeUploadExternal): `graph`'s, and the outage chart of a drill's end report.
  if (msg.image) await out.upload(msg.image);
  if (outcome.command === 'drill end' && !quiet) {
    const { drillEndChart } = await import('./render/graph.js');
    const chart = drillEndChart(outcome.result as never, (err) => bot.log(`slack: drill outage chart: ${err.message}`));
    if (chart) await out.upload(chart, origin.threadTs ?? ts);
  }
  if (!live?.ts) await rememberDrillThread?.(bot.session.lab, origin.channel, origin.threadTs ?? ts);
  return outcome;
}

/** Participants still known by their ID only (paged people) get their display name. */
export async function namePaged(lab: string, names: import('./users.js').DisplayNames): Promise<void> {
  const { readDrill, updateDrill } = await import('../lab/state/drill-state.js');
  const unnamed = (await readDrill(lab))?.participants?.filter((p) => p.name === p.user).map((p) => p.user) ?? [];
  if (!unnamed.length) return;
  const got = await names.many(unnamed);
  if (!Object.keys(got).length) return;
  await updateDrill(lab, (d) => {
    for (const p of d.participants ?? []) if (p.name === p.user && got[p.user]) p.name = got[p.user]!;
  });
}

function tryAppendAudit(bot: BotContext, entry: Parameters<typeof appendAudit>[0]): void {
  try {
    appendAudit(entry);
  } catch (err) {
    bot.log(`slack: the audit log could not be written: ${(err as Error).message}`);
  }
}

/** Who ran what, under an answer the channel sees: in a shared lab everyone can tell. */
function signed(msg: SlackMessage, user: string, line: string, name?: string): SlackMessage {
  if (msg.blocks.length >= MAX_BLOCKS) return msg;
  return { ...msg, blocks: [...msg.blocks, context(`${name ? esc(name) : who(user)} · \`/bgp-lab ${esc(line)}\``)] };
}

function firstLeaf(bot: BotContext): string | undefined {
  try {
    const t = bot.session.topologyFromFile();
    return (t.routers.find((r) => r.role === 'leaf') ?? t.routers[0])?.name;
  } catch {
    return undefined;
  }
}

/** Progress of a long command: posted on the first event (or after 700 ms), then chat.update at most once per throttle. */
class LiveMessage {
  ts?: string;
  private view: ProgressView;
  private chain: Promise<unknown> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private lastUpdate = 0;
  private posted = false;
  private done = false;
  private first: NodeJS.Timeout;
  private unrecord?: () => void;

  constructor(private bot: BotContext, private out: Replies, private line: string, private origin: Origin) {
    this.view = new ProgressView(line);
    this.first = setTimeout(() => this.post(), 700);
  }

  /** Written down while it says "running", so a bot killed meanwhile can say so when it starts again. */
  private remember(): void {
    if (!this.ts || this.done) return;
    const { channel, user } = this.origin;
    this.unrecord = recordLive({ lab: this.bot.session.lab, channel, ts: this.ts, line: this.line, user, started: new Date(this.view.started).toISOString() });
  }

  forget(): void {
    this.unrecord?.();
    this.unrecord = undefined;
  }

  event(ev: ProgressEvent): void {
    this.view.add(ev);
    if (!this.posted) this.post();
    else this.schedule();
  }

  private post(): void {
    if (this.posted || this.done) return;
    this.posted = true;
    clearTimeout(this.first);
    this.lastUpdate = Date.now();
    this.chain = this.chain.then(async () => {
      this.ts = await this.out.post(this.view.render());
      // Spaced from when Slack answered, not when we sent: a post slowed on its way cannot
      // bring the next update closer than the throttle to it as Slack sees them.
      this.lastUpdate = Date.now();
      this.remember();
    });
  }

  private schedule(): void {
    if (this.timer || this.done) return;
    const wait = Math.max(0, this.lastUpdate + this.bot.throttleMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.done) return;
      this.chain = this.chain.then(async () => {
        // Spaced from the answer to the update sent last: one slowed by a busy Slack (or host)
        // must not bunch the next ones into a burst.
        // A loop: a timer may fire a millisecond early by the wall clock.
        for (let left; (left = this.lastUpdate + this.bot.throttleMs - Date.now()) > 0; ) await new Promise((r) => setTimeout(r, left));
        if (this.done || !this.ts) return;
        await this.out.update(this.ts, this.view.render());
        this.lastUpdate = Date.now();
      });
    }, wait);
  }

  /** Stops updating; resolves when the posts in flight are done (so `ts` is known). */
  async settle(): Promise<void> {
    this.done = true;
    clearTimeout(this.first);
    clearTimeout(this.timer);
    await this.chain;
  }
}

/** Where answers go: the channel (chat.postMessage/update), or only the user. */
class Replies {
  constructor(private bot: BotContext, private origin: Origin, private quiet: boolean) {}

  async post(msg: SlackMessage): Promise<string | undefined> {
    const { client, channel, threadTs } = this.origin;
    try {
      const res = await client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks, thread_ts: threadTs, unfurl_links: false });
      return res.ts;
    } catch (err) {
      this.bot.log(`slack: chat.postMessage in ${channel}: ${(err as Error).message}`);
      // Not a member of the channel: the response_url still reaches it.
      if (this.origin.respond) await this.origin.respond({ response_type: 'in_channel', text: msg.text, blocks: msg.blocks }).catch(() => {});
      return undefined;
    }
  }

  async update(ts: string, msg: SlackMessage): Promise<boolean> {
    try {
      await this.origin.client.chat.update({ channel: this.origin.channel, ts, text: msg.text, blocks: msg.blocks });
      return true;
    } catch (err) {
      this.bot.log(`slack: chat.update: ${(err as Error).message}`);
      return false;
    }
  }

  async ephemeral(msg: SlackMessage): Promise<void> {
    const { client, channel, user, respond } = this.origin;
    try {
      if (respond) await respond({ response_type: 'ephemeral', replace_original: false, text: msg.text, blocks: msg.blocks });
      else await client.chat.postEphemeral({ channel, user, text: msg.text, blocks: msg.blocks, thread_ts: this.origin.threadTs });
    } catch (err) {
      this.bot.log(`slack: ephemeral answer to ${user}: ${(err as Error).message}`);
    }
  }

  /** A picture, uploaded as itself into the channel, or `thread` (the drill's): said in the log when Slack refuses it. */
  async upload(image: { filename: string; data: Buffer; title?: string }, thread = this.origin.threadTs): Promise<void> {
    const { client, channel } = this.origin;
    try {
      const where = thread ? { channel_id: channel, thread_ts: thread } : { channel_id: channel };
      await client.filesUploadV2({ ...where, filename: image.filename, title: image.title ?? image.filename, file: image.data });
    } catch (err) {
      this.bot.log(`slack: files.uploadV2 of ${image.filename}: ${(err as Error).message}`);
      await this.ephemeral({ text: `${image.filename} could not be shared here (\`/invite\` the bot to this channel, or run it from the CLI with --out FILE.png)`, blocks: [context(`${esc(image.filename)} could not be shared here: \`/invite\` the bot to this channel, or run it from the CLI with --out FILE.png`)] });
    }
  }

  /** The full result: a file in the message's thread; failing that, thread replies in code blocks. */
  async attach(message: string | undefined, file: { filename: string; content: string }): Promise<void> {
    const { client, channel } = this.origin;
    // Replies go under the thread's root: a message that is itself a reply has no thread of its own.
    const ts = this.origin.threadTs ?? message;
    if (ts && !this.quiet) {
      try {
        await client.filesUploadV2({ channel_id: channel, thread_ts: ts, filename: file.filename, title: file.filename, content: file.content });
        return;
      } catch (err) {
        this.bot.log(`slack: files.uploadV2: ${(err as Error).message}; sending the full result as replies`);
      }
    }
    // No file (the bot is not in the channel, or files are refused): at most 3 replies of text,
    // not dozens flooding the thread.
    const { blocks, shownGroups } = codeSections(file.content.split('\n').map((l) => [l]), 3);
    const lines = file.content.split('\n').length;
    const chunks: SlackMessage[] = blocks.map((b) => ({ text: file.filename, blocks: [b] }));
    if (shownGroups < lines) chunks.push({ text: file.filename, blocks: [context(`…${lines - shownGroups} more lines not sent (no file could be shared here: \`/invite\` the bot to this channel), or run it from the CLI with --json`)] });
    for (const chunk of chunks) {
      if (this.quiet || !ts) await this.ephemeral(chunk);
      else await client.chat.postMessage({ channel, thread_ts: ts, ...chunk }).catch((err: Error) => this.bot.log(`slack: thread reply: ${err.message}`));
    }
  }
}
