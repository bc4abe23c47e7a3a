// A stand-in for Slack's Web API and response_url on 127.0.0.1: records every call and
// answers like Slack ({ok:true, ts, channel}), including the files.uploadV2 sequence.
import { createServer, type Server } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

export interface Call {
  method: string;
  body: Record<string, unknown>;
  /** What the fake answered (ts of a posted message, …). */
  reply: Record<string, unknown>;
  at: number;
  /** The Authorization header it came with (bot token for the Web API, app token for apps.connections.open). */
  auth?: string;
}

export class FakeSlack {
  calls: Call[] = [];
  private server?: Server;
  private seq = 0;
  base = '';
  private holding = new Set<string>();
  private held: (() => void)[] = [];
  /** Set by socketMode(): apps.connections.open then hands out its ws:// URL. */
  socket?: FakeSocketMode;
  /** users.info answers for these IDs (display names); others get user_not_found. */
  users: Record<string, string> = {};

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        const url = req.url ?? '/';
        const method = url.startsWith('/api/') ? url.slice(5).split('?')[0]! : url.startsWith('/respond/') ? 'response_url' : url.startsWith('/upload/') ? 'upload' : url;
        const body = parseBody(raw, String(req.headers['content-type'] ?? ''));
        const reply = this.answer(method, body) as Record<string, unknown>;
        this.calls.push({ method, body, reply, at: Date.now(), auth: req.headers.authorization });
        const answer = () => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(reply));
        };
        if (this.holding.has(method)) this.held.push(answer);
        else answer();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.base}/respond/${id}`;
  }

  private failing = new Map<string, string>();

  /** Calls of this method get Slack's `{ok: false, error}` until recover(). */
  failWith(method: string, error = 'internal_error'): void {
    this.failing.set(method, error);
  }

  recover(): void {
    this.failing.clear();
  }

  private answer(method: string, body: Record<string, unknown>): unknown {
    if (this.failing.has(method)) return { ok: false, error: this.failing.get(method) };
    const ts = `1700000000.${String(++this.seq).padStart(6, '0')}`;
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'bgp-lab' };
      case 'chat.postMessage':
        return { ok: true, ts, channel: body.channel, message: { ts, text: body.text } };
      case 'chat.update':
        return { ok: true, ts: body.ts, channel: body.channel };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: ts };
      case 'files.getUploadURLExternal':
        return { ok: true, upload_url: `${this.base}/upload/F${this.seq}`, file_id: `F${this.seq}` };
      case 'files.completeUploadExternal':
        return { ok: true, files: [{ id: 'F1', title: 'x' }] };
      case 'users.info': {
        const name = this.users[String(body.user)];
        return name ? { ok: true, user: { id: body.user, name: name.toLowerCase(), real_name: name, profile: { display_name: name, real_name: name } } } : { ok: false, error: 'user_not_found' };
      }
      case 'views.publish':
        return { ok: true, view: { id: `V${this.seq}`, ...(typeof body.view === 'string' ? JSON.parse(body.view) : (body.view as object)) } };
      case 'apps.connections.open':
        return this.socket ? { ok: true, url: this.socket.url() } : { ok: false, error: 'socket_mode_not_enabled' };
      default:
        return { ok: true };
    }
  }

  of(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Every message text and block text of the recorded calls, for content assertions. */
  textOf(calls: Call[]): string {
    return calls.map((c) => `${c.body.text ?? ''}\n${JSON.stringify(c.body.blocks ?? '')}`).join('\n').replace(/\\n/g, '\n');
  }

  async waitFor(pred: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; calls: ${this.calls.map((c) => c.method).join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Calls of these methods are recorded but not answered (a Slack that hangs) until release(). */
  hold(...methods: string[]): void {
    for (const m of methods) this.holding.add(m);
  }

  /** Answers what was held, and stops holding. */
  release(): void {
    this.holding.clear();
    for (const answer of this.held.splice(0)) answer();
  }

  /** Starts a loopback Socket Mode server beside the Web API; apps.connections.open points at it. */
  async socketMode(): Promise<FakeSocketMode> {
    this.socket = await new FakeSocketMode().start();
    return this.socket;
  }

  async stop(): Promise<void> {
    await this.socket?.stop();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

export interface Ack {
  envelope_id: string;
  payload: unknown;
  /** Which connection (1, 2, …) it came over, and when. */
  connection: number;
  at: number;
}

/**
 * Slack's side of Socket Mode on 127.0.0.1, as @slack/socket-mode expects it: `hello` on every
 * new connection, envelopes ({envelope_id, type, payload, retry_attempt…}) the client must ack
 * with `{envelope_id, payload}`, a `disconnect` (refresh_requested) after which a client calls
 * apps.connections.open again, and a connection dropped without notice.
 */
export class FakeSocketMode {
  private wss?: WebSocketServer;
  private port = 0;
  private current?: WebSocket;
  private ignoring = new Set<string>();
  connections = 0;
  acks: Ack[] = [];
  private seq = 0;

  async start(): Promise<this> {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => this.wss!.once('listening', () => r()));
    this.port = (this.wss.address() as AddressInfo).port;
    this.wss.on('connection', (ws) => {
      const n = ++this.connections;
      this.current = ws;
      ws.on('message', (data) => {
        let msg: { envelope_id?: string; payload?: unknown };
        try {
          msg = JSON.parse(String(data)) as typeof msg;
        } catch {
          return;
        }
        if (!msg.envelope_id || this.ignoring.has(msg.envelope_id)) return;
        this.acks.push({ envelope_id: msg.envelope_id, payload: msg.payload, connection: n, at: Date.now() });
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake-slack', approximate_connection_time: 3600 }, connection_info: { app_id: 'A1' } }));
    });
    return this;
  }

  url(): string {
    return `ws://127.0.0.1:${this.port}/link/?ticket=t${++this.seq}&app_id=A1`;
  }

  /** Sends an envelope on the open connection; resolves with its ack (rejects if none within `timeoutMs`). */
  async send(type: 'slash_commands' | 'events_api' | 'interactive', payload: Record<string, unknown>, o: { envelopeId?: string; retryAttempt?: number; timeoutMs?: number } = {}): Promise<Ack & { ms: number }> {
    const envelope_id = o.envelopeId ?? `env-${Date.now()}-${++this.seq}`;
    const ws = this.current;
    if (!ws || ws.readyState !== ws.OPEN) throw new Error('no open Socket Mode connection');
    const before = this.acks.length;
    const sent = Date.now();
    ws.send(JSON.stringify({ envelope_id, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: o.retryAttempt ?? 0, retry_reason: o.retryAttempt ? 'timeout' : '' }));
    const end = sent + (o.timeoutMs ?? 3000);
    for (;;) {
      const ack = this.acks.slice(before).find((a) => a.envelope_id === envelope_id);
      if (ack) return { ...ack, ms: ack.at - sent };
      if (Date.now() > end) throw new Error(`envelope ${envelope_id} (${type}) not acked within ${o.timeoutMs ?? 3000} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Acks of this envelope are dropped on the floor, as if lost: Slack would redeliver it. */
  loseAcksOf(envelopeId: string): void {
    this.ignoring.add(envelopeId);
  }

  /** Stops losing the acks of an envelope (its redelivery's ack counts again). */
  keepAcksOf(envelopeId: string): void {
    this.ignoring.delete(envelopeId);
  }

  /** Slack's way to rotate a connection: the client must open a new one (apps.connections.open). */
  requestRefresh(): void {
    this.current?.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'fake-slack' } }));
  }

  /** The connection goes away without a word (network cut, Slack restart). */
  drop(): void {
    this.current?.terminate();
  }

  async waitForConnection(n: number, timeoutMs = 20_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (this.connections < n || this.current?.readyState !== 1) {
      if (Date.now() > end) throw new Error(`timed out waiting for Socket Mode connection #${n} (have ${this.connections})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    for (const ws of this.wss?.clients ?? []) ws.terminate();
    await new Promise<void>((r) => (this.wss ? this.wss.close(() => r()) : r()));
  }
}

function parseBody(raw: string, type: string): Record<string, unknown> {
  if (type.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return { raw };
    }
  }
  if (type.includes('x-www-form-urlencoded')) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(raw)) {
      try {
        out[k] = k === 'blocks' || k === 'attachments' ? JSON.parse(v) : v;
      } catch {
        out[k] = v;
      }
    }
    return out;
  }
  return { raw };
}

/** Slack's v0 signature: HMAC-SHA256 of `v0:timestamp:body` with the signing secret. */
export function sign(secret: string, body: string, timestamp: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface Posted {
  status: number;
  ms: number;
  body: string;
}

/** POSTs a signed (or deliberately mis-signed) request to the bot's /slack/events. */
export async function postSigned(
  port: number,
  body: string,
  opts: { secret: string; timestamp?: number; signature?: string; contentType?: string },
): Promise<Posted> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': opts.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': opts.signature ?? sign(opts.secret, body, timestamp),
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, ms: performance.now() - started, body: text };
}

let triggers = 0;
/** A trigger_id as Slack makes them: unique per invocation (the bot treats a repeated one as a retry). */
export const newTriggerId = () => `${Date.now()}.${process.pid}.${++triggers}`;

export function slashBody(o: { command: string; text: string; user: string; channel: string; responseUrl: string; triggerId?: string }): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: 'T1',
    team_domain: 'lab',
    channel_id: o.channel,
    channel_name: 'lab',
    user_id: o.user,
    user_name: o.user.toLowerCase(),
    command: o.command,
    text: o.text,
    api_app_id: 'A1',
    response_url: o.responseUrl,
    trigger_id: o.triggerId ?? newTriggerId(),
  }).toString();
}

export interface BotProcess {
  child: ChildProcess;
  /** HTTP mode: the port it listens on. */
  port: number;
  stderr(): string;
  /** From /proc/PID/status, in MiB: VmRSS (now) and VmHWM (peak so far). */
  memory(): { rss: number; peak: number };
  alive(): boolean;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * `bin/bgp-lab bot` as a child process (HTTP mode unless env says otherwise), in an empty working
 * directory so no .env is read; resolves once it says it listens (or connected).
 */
export async function spawnBot(env: Record<string, string>, timeoutMs = 20_000): Promise<BotProcess> {
  const { spawn } = await import('node:child_process');
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { BIN } = await import('../helpers/lab.js');
  const cwd = mkdtempSync(join(tmpdir(), 'bgp-lab-bot-cwd-'));
  const child = spawn(BIN, ['bot'], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_MODE: 'http', BGP_LAB_BOT_PORT: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<void>((r) => child.once('exit', () => r())).then(() => rmSync(cwd, { recursive: true, force: true }));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const end = Date.now() + timeoutMs;
  let port = 0;
  for (;;) {
    const m = /listening on http:\/\/127\.0\.0\.1:(\d+)|connected over Socket Mode/.exec(err);
    if (m) {
      port = Number(m[1] ?? 0);
      break;
    }
    if (!alive() || Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`bgp-lab bot did not start: ${err.trim().split('\n').slice(-5).join(' | ')}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
  return {
    child,
    port,
    stderr: () => err,
    memory: () => ({ rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 }),
    alive,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (!alive()) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A fake Slack with Socket Mode and a real bot connected to it (SLACK_MODE=socket, SLACK_API_URL at the fake). */
export async function startSocketTestBot(env: Record<string, string>): Promise<{ slack: FakeSlack; socket: FakeSocketMode; bot: import('../../bot/app.js').BotApp }> {
  const [{ LogLevel }, { createBotApp }, { loadBotConfig }] = await Promise.all([import('@slack/bolt'), import('../../bot/app.js'), import('../../bot/config.js')]);
  const slack = await new FakeSlack().start();
  const socket = await slack.socketMode();
  const config = loadBotConfig({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_APP_TOKEN: 'xapp-test-token', SLACK_MODE: 'socket', SLACK_API_URL: slack.apiUrl, ...env });
  const bot = createBotApp(config, { logLevel: LogLevel.ERROR, log: () => {} });
  await bot.start();
  return { slack, socket, bot };
}

/** A fake Slack and a real bot in HTTP mode on a free loopback port, wired together. */
export async function startTestBot(secret: string, env: Record<string, string>, opts: { throttleMs?: number } = {}): Promise<{ slack: FakeSlack; bot: import('../../bot/app.js').BotApp; port: number }> {
  const [{ LogLevel }, { createBotApp }, { loadBotConfig }] = await Promise.all([import('@slack/bolt'), import('../../bot/app.js'), import('../../bot/config.js')]);
  const slack = await new FakeSlack().start();
  const config = loadBotConfig({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: secret,
    SLACK_MODE: 'http',
    BGP_LAB_BOT_PORT: '0',
    SLACK_API_URL: slack.apiUrl,
    ...env,
  });
  const bot = createBotApp(config, { logLevel: LogLevel.ERROR, log: () => {}, throttleMs: opts.throttleMs });
  return { slack, bot, port: (await bot.start()).port! };
}
