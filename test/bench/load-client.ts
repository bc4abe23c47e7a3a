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
const net = require('node:net');
let input = '';
process.stdin.on('data', (c) => (input += c));
process.stdin.on('end', async () => {
  const { port, requests } = JSON.parse(input);
  // Raw HTTP/1.1 on one connection per request (as Slack's come): next to no client work per
  // request, so a busy host delays the bot's answers, not this client's bookkeeping.
  const post = (r) => new Promise((resolve) => {
    const head = 'POST /slack/events HTTP/1.1\\r\\nHost: 127.0.0.1:' + port + '\\r\\nContent-Type: application/x-www-form-urlencoded\\r\\n' +
      'Content-Length: ' + Buffer.byteLength(r.body) + '\\r\\nX-Slack-Request-Timestamp: ' + r.ts + '\\r\\nX-Slack-Signature: ' + r.sig + '\\r\\nConnection: close\\r\\n\\r\\n';
    const started = performance.now();
    let got = '';
    let done = false;
    const finish = (out) => { if (!done) { done = true; sock.destroy(); resolve({ ...out, ms: performance.now() - started }); } };
    const sock = net.connect({ host: '127.0.0.1', port }, () => sock.end(head + r.body));
    sock.setTimeout(15000, () => finish({ status: 0, error: 'no answer in 15 s' }));
    sock.on('data', (c) => {
      got += c.toString('latin1');
      const end = got.indexOf('\\r\\n\\r\\n');
      if (end < 0) return;
      const len = /\\r\\ncontent-length: *(\\d+)/i.exec(got.slice(0, end));
      if (!len || got.length - end - 4 >= Number(len[1])) finish({ status: Number(got.split(' ')[1]) });
    });
    sock.on('end', () => finish({ status: Number(got.split(' ')[1]) || 0, error: got ? undefined : 'closed without an answer' }));
    sock.on('error', (err) => finish({ status: 0, error: err.message }));
  });
  // Warm the client up (its first connection), so no first-call cost lands on a timed request.
  await new Promise((resolve) => { const s = net.connect({ host: '127.0.0.1', port }, () => s.end('GET / HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n')); s.on('data', () => {}); s.on('close', resolve); s.on('error', resolve); });
  const t0 = performance.now();
  const out = await Promise.all(requests.map(async (r) => {
    const wait = t0 + (r.atMs || 0) - performance.now();
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
    return post(r);
  }));
  process.stdout.write(JSON.stringify(out));
});
`;

/**
 * Sends every request (signed now) from a child process; resolves to one timing per request,
 * in order. The client runs at a raised priority (nice -10, as root): it stands in for Slack,
 * which is not on this host, so a host busy with other work must not starve it instead of the bot.
 */
export function fireSlashCommands(port: number, secret: string, requests: LoadRequest[], opts: { nice?: number } = {}): Promise<AckTiming[]> {
  const ts = Math.floor(Date.now() / 1000);
  const signed = requests.map((r) => ({ body: r.body, atMs: r.atMs ?? 0, ts: String(ts), sig: sign(secret, r.body, ts) }));
  const nice = opts.nice ?? -10;
  return new Promise((resolve, reject) => {
    const argv = [process.execPath, '-e', CLIENT];
    const child = nice ? spawn('nice', ['-n', String(nice), ...argv], { stdio: ['pipe', 'pipe', 'inherit'] }) : spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
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
