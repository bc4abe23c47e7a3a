// Slack's side of a load run, in a process of its own: fires signed slash commands at the bot
// on 127.0.0.1 and times each HTTP 200 (the ack). Run apart from the bot so that the timings
// are what Slack would see, not the bot's own event loop delaying its client as well.
import { spawn } from 'node:child_process';
import { sign } from '../bot/fake-slack.js';

export interface LoadRequest {
  /** Form body of the slash command (slashBody). */
  body: string;
  /** Sent this many ms after the first request (0: all at once). */
  atMs?: number;
}

export interface AckTiming {
  status: number;
  ms: number;
  error?: string;
}

// Plain JS for `node -e`: no TypeScript loader needed in the child.
const CLIENT = `
const http = require('node:http');
let input = '';
process.stdin.on('data', (c) => (input += c));
process.stdin.on('end', async () => {
  const { port, requests } = JSON.parse(input);
  // node:http, one connection per request (as Slack's requests come): lighter than fetch, whose
  // first call alone costs the client ~100 ms and would be counted against the bot.
  const post = (r) => new Promise((resolve) => {
    const started = performance.now();
    const req = http.request({ host: '127.0.0.1', port, path: '/slack/events', method: 'POST', agent: false, timeout: 15000,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(r.body), 'x-slack-request-timestamp': r.ts, 'x-slack-signature': r.sig } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer in 15 s')));
    req.on('error', (err) => resolve({ status: 0, ms: performance.now() - started, error: err.message }));
    req.end(r.body);
  });
  // Warm the client up (a 404 from the bot), so no first-call cost lands on a timed request.
  await new Promise((resolve) => http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => res.resume().on('end', resolve)).on('error', resolve));
  const t0 = performance.now();
  const out = await Promise.all(requests.map(async (r) => {
    const wait = t0 + (r.atMs || 0) - performance.now();
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
    return post(r);
  }));
  process.stdout.write(JSON.stringify(out));
});
`;

/** Sends every request (signed now) from a child process; resolves to one timing per request, in order. */
export function fireSlashCommands(port: number, secret: string, requests: LoadRequest[]): Promise<AckTiming[]> {
  const ts = Math.floor(Date.now() / 1000);
  const signed = requests.map((r) => ({ body: r.body, atMs: r.atMs ?? 0, ts: String(ts), sig: sign(secret, r.body, ts) }));
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.LOAD_CLIENT_NICE ? 'nice' : process.execPath, [...(process.env.LOAD_CLIENT_NICE ? ['-n', process.env.LOAD_CLIENT_NICE, process.execPath] : []), '-e', CLIENT], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(out) as AckTiming[]);
      } catch {
        reject(new Error(`load client exited ${code}: ${out.slice(0, 200)}`));
      }
    });
    child.stdin.end(JSON.stringify({ port, requests: signed }));
  });
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
