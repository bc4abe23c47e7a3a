// The Bolt app: slash commands (/bgp-lab, /routes), @mentions, buttons and menus, all acked
// first and worked after. The receiver is swappable: HTTP on 127.0.0.1 (behind a tunnel or
// reverse proxy) or Socket Mode (no inbound port at all); both are front doors of ours
// (bot/receiver*.ts) that bound, verify, shape-check and de-duplicate before Bolt sees a request.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, LogLevel, webApi, type AuthorizeResult, type Logger } from '@slack/bolt';
import type { types as slackTypes } from '@slack/bolt';
import { FrontDoorReceiver } from './receiver.js';
import { SocketFrontDoorReceiver } from './receiver-socket.js';
import { SeenIds } from './dedupe.js';
import { DisplayNames } from './users.js';
import { GameDay } from './gameday.js';
import { HOME_ACTION, homeCommand, publishHome } from './home.js';
import { markInterrupted } from './live-record.js';
import { Session } from '../commands/execute.js';
import { channelAllowed, type BotConfig } from './config.js';
import { runFromSlack, unescapeSlack, type BotContext, type Origin } from './dispatch.js';
import { Scheduler, classify } from './scheduler.js';
import { RUN_ACTION } from './render/up.js';
import { context, esc, section, who } from './render/blocks.js';

export const ROUTES_SELECT = 'bgp_lab_routes_select';

export interface BotApp {
  app: InstanceType<typeof App>;
  session: Session;
  /** HTTP mode: the port it listens on (useful with port 0). */
  start(): Promise<{ port?: number }>;
  /** Cancels running commands, waits for them, closes the receiver and the session. */
  stop(): Promise<void>;
  /** Resolves once every command acked so far has finished (tests, graceful restarts). */
  idle(): Promise<void>;
  /** Game days: one turn of the schedule/drill clock now (it also runs every second). */
  tick(): Promise<void>;
}

export interface BotAppOptions {
  logLevel?: LogLevel;
  throttleMs?: number;
  log?: (message: string) => void;
}

export function createBotApp(config: BotConfig, opts: BotAppOptions = {}): BotApp {
  const logLevel = opts.logLevel ?? LogLevel.INFO;
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const clientOptions = { slackApiUrl: config.apiUrl, retryConfig: { retries: 2, maxTimeout: 2000 } };
  const logger = leveledLogger(logLevel, log);
  const seen = new SeenIds(); // one set for the bot: a retry is recognised whichever way it comes
  const receiver =
    config.mode === 'socket'
      ? new SocketFrontDoorReceiver({ appToken: config.appToken!, apiUrl: config.apiUrl, seen, logger, logLevel })
      : new FrontDoorReceiver({ signingSecret: config.signingSecret!, seen, logger });
  const client = new webApi.WebClient(config.botToken, clientOptions);
  const authorize = cachedAuthorize(client);
  const app = new App({ authorize, receiver, logLevel, clientOptions });
  const session = new Session({
    lab: config.lab,
    topologyFile: config.topologyFile,
    host: config.host,
    identity: config.identity,
    knownHosts: config.knownHosts,
    acceptNewHostKey: config.acceptNewHostKey,
    caller: { surface: 'slack', user: 'bot', level: 'read' }, // every run passes the real caller
    permissionHint: 'ask an admin to add your user ID to SLACK_OPERATORS (SLACK_ADMINS for admin commands)',
  });
  const controller = new AbortController();
  const inflight = new Set<Promise<void>>();
  const bot: BotContext = {
    config,
    session,
    throttleMs: opts.throttleMs ?? 1000,
    signal: controller.signal,
    log,
    names: new DisplayNames(client, log),
  };
  // Work waits for a slot here, never the ack (bot/scheduler.ts).
  const scheduler = new Scheduler();
  const work = (origin: Origin, text: string) => {
    const p = scheduler.run(classify(unescapeSlack(text)), () => runFromSlack(bot, origin, text));
    const done = p.then(() => undefined).finally(() => inflight.delete(done));
    inflight.add(done);
    return p;
  };

  app.command('/bgp-lab', async ({ command, ack, respond, client }) => {
    await ack();
    work({ user: command.user_id, channel: command.channel_id, client, respond }, command.text ?? '');
  });

  app.command('/routes', async ({ command, ack, respond, client }) => {
    await ack();
    const text = (command.text ?? '').trim();
    if (text) return void work({ user: command.user_id, channel: command.channel_id, client, respond }, `routes ${text}`);
    await routerMenu(bot, command.channel_id, respond).catch((err: Error) => bot.log(`slack: routes menu: ${err.message}`));
  });

  app.event('app_mention', async ({ event, client }) => {
    const text = (event.text ?? '').replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, ' ');
    if (!event.user) return;
    // Answered under the mention (or in its thread), not loose in the channel.
    work({ user: event.user, channel: event.channel, client, threadTs: event.thread_ts ?? event.ts }, text);
  });

  // Buttons carry a command line; the click is checked again (channel and level) like a typed one.
  app.action(new RegExp(`^${RUN_ACTION}`), async ({ action, body, ack, respond, client }) => {
    await ack();
    const value = (action as { value?: string }).value;
    const channel = (body as { channel?: { id: string } }).channel?.id;
    if (!value || !channel) return;
    const outcome = await work({ user: body.user.id, channel, client, respond }, value);
    // Once the lab is torn down or the drill ended, that message's buttons lead nowhere: retire them.
    const message = (body as { message?: { ts: string; text?: string; blocks?: { type: string }[] } }).message;
    if (outcome?.ok && (value === 'down' || value.startsWith('drill end')) && message?.blocks) {
      const blocks = [...message.blocks.filter((b) => b.type !== 'actions'), context(`${who(body.user.id)} ran \`${esc(value)}\`: these buttons are retired`)];
      await client.chat.update({ channel, ts: message.ts, text: message.text ?? value, blocks: blocks as never }).catch((err: Error) => bot.log(`slack: retiring buttons: ${err.message}`));
    }
  });

  // Home tab buttons: status or check, run as the clicker, answered in their DM with the bot.
  app.action(new RegExp(`^${HOME_ACTION}`), async ({ action, body, ack, client }) => {
    await ack();
    const line = homeCommand((action as { value?: string }).value);
    if (!line) return;
    const dm = await client.conversations.open({ users: body.user.id }).then((r) => r.channel?.id, () => undefined);
    await work({ user: body.user.id, channel: dm ?? body.user.id, client }, line);
    await track(publishHome(bot, client, body.user.id)).catch((err: Error) => bot.log(`slack: views.publish: ${err.message}`));
  });

  app.action(ROUTES_SELECT, async ({ action, body, ack, respond, client }) => {
    await ack();
    const router = (action as { selected_option?: { value: string } }).selected_option?.value;
    const channel = (body as { channel?: { id: string } }).channel?.id;
    if (router && channel) work({ user: body.user.id, channel, client, respond }, `routes ${router}`);
  });

  app.error(async (err) => bot.log(`slack: ${err.message}`));

  // Game days: the bot fires the lab's schedules and watches its running drill (bot/gameday.ts).
  const track = <T>(p: Promise<T>): Promise<T> => {
    const done = p.then(() => undefined, () => undefined).finally(() => inflight.delete(done));
    inflight.add(done);
    return p;
  };
  const gameday = new GameDay({ config, session, client, names: bot.names!, log, signal: controller.signal, track });

  // The Home tab: the lab, its running drill, the next schedule, the leaderboard (bot/home.ts).
  app.event('app_home_opened', async ({ event, client }) => {
    if ((event as { tab?: string }).tab && (event as { tab?: string }).tab !== 'home') return;
    await track(publishHome(bot, client, event.user)).catch((err: Error) => bot.log(`slack: views.publish: ${err.message}`));
  });

  return {
    app,
    session,
    async start() {
      // Load the model now: a bad BGP_LAB_TOPOLOGY stops the bot here, and the first command
      // does not block the event loop (and everyone's acks) while YAML is parsed.
      session.topologyFromFile();
      await session.context().catch(() => undefined);
      // Who we are, asked now so the first request does not wait for it; Slack unreachable is not fatal.
      await authorize().catch((err: Error) => log(`slack: auth.test: ${err.message} (asked again on the first request)`));
      // Progress messages a killed bot left saying "running" say what happened to them.
      await markInterrupted(client, session.lab, log);
      gameday.start();
      if (config.mode === 'socket') {
        await app.start();
        return {};
      }
      // Loopback only: Slack reaches it through a tunnel or reverse proxy.
      const server = (await app.start({ port: config.port, host: '127.0.0.1' })) as Server;
      return { port: (server.address() as AddressInfo).port };
    },
    tick: () => gameday.tick(),
    async idle() {
      while (inflight.size) await Promise.allSettled([...inflight]);
    },
    async stop() {
      gameday.stop();
      controller.abort();
      await Promise.allSettled([...inflight]);
      await app.stop().catch(() => {});
      await session.close().catch(() => {});
    },
  };
}

/**
 * The bot token's identity (auth.test), asked once and kept, like Bolt's own `token` option does;
 * but a failed auth.test (Slack unreachable as the bot starts) is asked again on the next request
 * instead of being an unhandled rejection that killed the process, or a cached failure that
 * refused every later request.
 */
function cachedAuthorize(client: webApi.WebClient): () => Promise<AuthorizeResult> {
  let identity: Promise<AuthorizeResult> | undefined;
  return () =>
    (identity ??= client.auth.test().then(
      (r) => ({ botToken: client.token, botId: r.bot_id, botUserId: r.user_id, teamId: r.team_id, enterpriseId: r.enterprise_id }),
      (err: Error) => {
        identity = undefined;
        throw err;
      },
    ));
}

/** Bolt's logger interface over the bot's one-line log, at the configured level. */
function leveledLogger(level: LogLevel, log: (m: string) => void): Logger {
  const order = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];
  let current = level;
  const at = (l: LogLevel) => (...msg: unknown[]) => {
    if (order.indexOf(l) >= order.indexOf(current)) log(msg.map(String).join(' '));
  };
  return { debug: at(LogLevel.DEBUG), info: at(LogLevel.INFO), warn: at(LogLevel.WARN), error: at(LogLevel.ERROR), setLevel: (l) => void (current = l), getLevel: () => current, setName: () => {} };
}

/** `/routes` alone: a menu of routers and nodes; choosing one runs `routes <it>` in the channel. */
async function routerMenu(bot: BotContext, channel: string, respond: (m: object) => Promise<unknown>): Promise<void> {
  if (!channelAllowed(bot.config, channel)) return void (await respond({ response_type: 'ephemeral', text: 'bgp-lab does not take commands in this channel' }));
  const topo = (await bot.session.context()).topology;
  const opt = (name: string) => ({ text: { type: 'plain_text' as const, text: name.slice(0, 75) }, value: name });
  const select: slackTypes.StaticSelect = {
    type: 'static_select',
    action_id: ROUTES_SELECT,
    placeholder: { type: 'plain_text', text: 'Choose a router or node' },
    option_groups: [
      { label: { type: 'plain_text' as const, text: 'Routers' }, options: topo.routers.slice(0, 100).map((r) => opt(r.name)) },
      { label: { type: 'plain_text' as const, text: 'Nodes' }, options: topo.cluster.nodes.slice(0, 100).map((n) => opt(n.name)) },
    ].filter((g) => g.options.length),
  };
  await respond({
    response_type: 'ephemeral',
    text: 'Routes of which router?',
    blocks: [{ ...section('*Routes of which router?*'), accessory: select }],
  });
}

export type { webApi };
