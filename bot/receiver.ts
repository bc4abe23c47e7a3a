// HTTP mode's front door, a Bolt Receiver on node:http (127.0.0.1 only). Bolt's HTTPReceiver
// buffers the whole body before it checks the signature (a 300 MiB POST with a bogus one grew
// the bot by 1.3 GB), accepts timestamps from the future and crashes on a signed `null`.
// Here, in this order: the body is read up to a limit (1 MiB; Slack's payloads are far smaller)
// and refused with 413 the moment it passes it; the timestamp must be within 5 minutes either
// way; the signature is compared in constant time over the bytes received; the body must parse
// and have the shape Bolt's listeners read (else 400); an ID already seen is a retry, acked
// with 200 and not run again. Only then is it acked (200, no body) and handed to Bolt.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { HTTPModuleFunctions, type App, type Logger, type Receiver, type ReceiverEvent } from '@slack/bolt';
import { classify, parseFormBody, warmUp } from './payload.js';
import type { SeenIds } from './dedupe.js';

export const MAX_BODY_BYTES = 1024 * 1024;
/** All bodies being read at once: many slow 1 MiB uploads together do not add up to gigabytes. */
export const MAX_BUFFERED_BYTES = 16 * MAX_BODY_BYTES;
/** How far a request's timestamp may be from our clock, either way (Slack's own rule). */
export const MAX_CLOCK_SKEW_S = 5 * 60;

export interface FrontDoorOptions {
  signingSecret: string;
  seen: SeenIds;
  logger: Logger;
  path?: string;
  maxBodyBytes?: number;
  now?: () => number;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    why: string,
  ) {
    super(why);
  }
}

export class FrontDoorReceiver implements Receiver {
  private app?: App;
  private server?: Server;
  private buffered = 0;
  private readonly path: string;
  private readonly maxBody: number;
  private readonly now: () => number;

  constructor(private opts: FrontDoorOptions) {
    this.path = opts.path ?? '/slack/events';
    this.maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
    this.now = opts.now ?? Date.now;
  }

  init(app: App): void {
    this.app = app;
  }

  /** Listens on 127.0.0.1 (a tunnel or reverse proxy brings Slack to it); resolves to the server. */
  start(listen: { port?: number; host?: string } = {}): Promise<Server> {
    warmUp();
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => {
        this.opts.logger.error(`slack: request failed: ${err.message}`);
        if (!res.headersSent) reply(res, 500);
      });
    });
    // A client that trickles headers or a body does not hold a connection (and its buffer) for minutes.
    server.headersTimeout = 5_000;
    server.requestTimeout = 10_000;
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port ?? 3000, listen.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  }

  address(): AddressInfo | undefined {
    return (this.server?.address() as AddressInfo | null) ?? undefined;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeIdleConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== this.path) return reply(res, 404);
    if (req.method !== 'POST') return reply(res, 405);
    let raw: Buffer | undefined;
    let body: unknown;
    try {
      raw = await this.readBody(req);
      if (isSslCheck(req, raw)) return reply(res, 200); // Slack's certificate probe: unsigned, runs nothing
      this.verify(req, raw);
      body = parse(req, raw);
    } catch (err) {
      const status = err instanceof Refusal ? err.status : 400;
      this.opts.logger.warn(`slack: refused a request (${status}): ${(err as Error).message}`);
      const unread = raw === undefined; // refused mid-body (too big, too many at once)
      reply(res, status, unread ? { connection: 'close' } : {});
      // Stop reading a body we refused: no point receiving (or buffering) the rest.
      if (unread) res.once('finish', () => req.destroy());
      return;
    }
    const verdict = classify(body);
    if (verdict.kind === 'bad') {
      this.opts.logger.warn(`slack: refused a malformed request (400): ${verdict.why}`);
      return reply(res, 400);
    }
    if (verdict.kind === 'url_verification') return reply(res, 200, { 'content-type': 'application/json' }, JSON.stringify({ challenge: verdict.challenge }));
    if (verdict.kind === 'ignore') return reply(res, 200);
    if (this.opts.seen.checkAndRecord(verdict.ids)) {
      this.opts.logger.info(`slack: ${verdict.ids.join(', ')} already handled (retry ${req.headers['x-slack-retry-num'] ?? 'without a retry header'}): acked, not run again`);
      return reply(res, 200);
    }
    await this.dispatch(req, res, raw!, body as Record<string, unknown>);
  }

  /** Reads at most maxBody bytes; refuses (413) as soon as the declared or received length passes it. */
  private readBody(req: IncomingMessage): Promise<Buffer> {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > this.maxBody) return Promise.reject(new Refusal(413, `body of ${declared} bytes, over the ${this.maxBody}-byte limit`));
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (err?: Error) => {
        req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted);
        this.buffered -= size;
        if (err) {
          req.pause();
          reject(err);
        } else resolve(Buffer.concat(chunks, size));
      };
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        this.buffered += chunk.length;
        if (size > this.maxBody) return finish(new Refusal(413, `body over the ${this.maxBody}-byte limit`));
        if (this.buffered > MAX_BUFFERED_BYTES) return finish(new Refusal(503, 'too many request bodies being received at once'));
        chunks.push(chunk);
      };
      const onEnd = () => finish();
      const onError = (err: Error) => finish(new Refusal(400, `reading the body: ${err.message}`));
      const onAborted = () => finish(new Refusal(400, 'client went away mid-body'));
      req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted);
    });
  }

  /** Slack's v0 signature over the exact bytes received, timestamp within MAX_CLOCK_SKEW_S either way. */
  private verify(req: IncomingMessage, raw: Buffer): void {
    const ts = req.headers['x-slack-request-timestamp'];
    const sig = req.headers['x-slack-signature'];
    if (typeof ts !== 'string' || !/^\d{1,12}$/.test(ts)) throw new Refusal(401, 'no valid x-slack-request-timestamp');
    if (typeof sig !== 'string' || !/^v0=[0-9a-f]{64}$/.test(sig)) throw new Refusal(401, 'no valid x-slack-signature');
    const skew = Math.abs(Math.floor(this.now() / 1000) - Number(ts));
    if (skew > MAX_CLOCK_SKEW_S) throw new Refusal(401, `timestamp ${skew} s away from our clock (more than ${MAX_CLOCK_SKEW_S} s: stale, replayed or from the future)`);
    const ours = createHmac('sha256', this.opts.signingSecret).update(`v0:${ts}:`).update(raw).digest();
    if (!timingSafeEqual(ours, Buffer.from(sig.slice(3), 'hex'))) throw new Refusal(401, 'signature mismatch');
  }

  /**
   * Acks a checked request at once, then hands it to Bolt. Every listener of ours acks with no
   * body (answers go through respond() or chat.postMessage), so the 200 need not wait for Bolt's
   * middleware: under a burst of 100 requests that wait made the last ack 200–400 ms late. Bolt
   * runs on a later turn, so every request already read is acked before any of them is processed.
   */
  private async dispatch(req: IncomingMessage, res: ServerResponse, _raw: Buffer, body: Record<string, unknown>): Promise<void> {
    reply(res, 200);
    const event: ReceiverEvent = {
      body,
      ack: async () => {},
      retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req),
      retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req),
      customProperties: {},
    };
    await new Promise((r) => setImmediate(r));
    try {
      if (!this.app) throw new Error('receiver not initialised');
      await this.app.processEvent(event);
    } catch (err) {
      this.opts.logger.error(`slack: processing a request: ${(err as Error).message}`);
    }
  }
}

function reply(res: ServerResponse, status: number, headers: Record<string, string> = {}, body?: string): void {
  if (res.headersSent) return;
  res.writeHead(status, headers);
  res.end(body);
}

const contentType = (req: IncomingMessage) => String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

function isSslCheck(req: IncomingMessage, raw: Buffer): boolean {
  return contentType(req) === 'application/x-www-form-urlencoded' && raw.length < 200 && /(^|&)ssl_check=1(&|$)/.test(raw.toString('latin1'));
}

/** JSON (events) or a form (commands; interactivity in its `payload` field), as UTF-8; anything else is 400. */
function parse(req: IncomingMessage, raw: Buffer): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new Refusal(400, 'body is not UTF-8');
  }
  const type = contentType(req);
  try {
    if (type === 'application/json') return JSON.parse(text) as unknown;
    if (type === 'application/x-www-form-urlencoded') return parseFormBody(text);
  } catch (err) {
    throw new Refusal(400, `malformed ${type} body: ${(err as Error).message}`);
  }
  throw new Refusal(400, `content-type ${type.slice(0, 60) || '(none)'} is neither JSON nor a form`);
}
