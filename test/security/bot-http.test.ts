// The bot's front door in HTTP mode, attacked over loopback: `bin/bgp-lab bot` as a child process
// (so its memory can be read from /proc) with a fake Slack recording its Web API calls.
// Before: a 50 MiB unsigned body was buffered before the signature check (+250 MiB RSS), a
// signed `null` killed the process, a timestamp an hour ahead was accepted, and a retried
// event or slash command ran twice. Commands here need no lab (topo show, audit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labName } from '../helpers/lab.js';
import { FakeSlack, newTriggerId, postSigned, sign, slashBody, spawnBot, type BotProcess } from '../bot/fake-slack.js';
import { readAudit } from '../../lab/state/audit.js';
import { SeenIds } from '../../bot/dedupe.js';

const SECRET = 'test-signing-secret-front-door';
const LAB = labName('bot-front');
const stateDir = mkdtempSync(join(tmpdir(), 'bgp-lab-bot-front-'));
process.env.BGP_LAB_STATE_DIR = stateDir; // the child's audit log, read here
delete process.env.BGP_LAB_AUDIT_LOG;

let slack: FakeSlack;
let bot: BotProcess;

const now = () => Math.floor(Date.now() / 1000);
const auditOf = (line: string) => readAudit().filter((e) => e.line === line);
const slash = (text: string, triggerId?: string) => slashBody({ command: '/bgp-lab', text, user: 'UREADER', channel: 'CLAB', responseUrl: slack.responseUrl(triggerId ?? 'x'), triggerId });
const mention = (text: string, eventId: string, ts: string) =>
  JSON.stringify({ token: 'legacy', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: eventId, event_time: now(), event: { type: 'app_mention', user: 'UREADER', text: `<@UBOT> ${text}`, ts, channel: 'CLAB', event_ts: ts } });
const json = { secret: SECRET, contentType: 'application/json' };

/** Streams `mib` MiB with a bogus signature; the answer's status, or how the connection ended. */
function unsignedFlood(port: number, mib: number): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/slack/events',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': mib * 1024 * 1024, 'x-slack-request-timestamp': String(now()), 'x-slack-signature': `v0=${'0'.repeat(64)}` },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve(`closed (${e.code})`));
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < mib) {
        sent++;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

/** A valid request still gets through: acked 200 and answered in the channel. */
async function stillAnswers(marker: number): Promise<void> {
  const line = `audit --last ${marker}`;
  const res = await postSigned(bot.port, slash(line, newTriggerId()), { secret: SECRET });
  expect(res.status).toBe(200);
  await slack.waitFor(() => auditOf(line).length === 1, 10_000, `${line} to run`);
  // …and its answer is out, so no call of it lands in a later test's window.
  await slack.waitFor(() => slack.textOf(slack.of('chat.postMessage')).includes(`/bgp-lab ${line}\``), 10_000, `the answer to ${line}`);
}

beforeAll(async () => {
  slack = await new FakeSlack().start();
  bot = await spawnBot({ SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, BGP_LAB_STATE_DIR: stateDir, BGP_LAB_NAME: LAB });
});

afterAll(async () => {
  await bot?.stop();
  await slack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('the bot front door over HTTP', () => {
  it('answers a valid signed slash command: acked at once, then answered', async () => {
    const from = slack.calls.length;
    const res = await postSigned(bot.port, slash('topo show', newTriggerId()), { secret: SECRET });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);
    await slack.waitFor(() => slack.calls.slice(from).some((c) => c.method === 'chat.postMessage'), 10_000, 'the answer');
    expect(slack.textOf(slack.calls.slice(from))).toMatch(/topology cilium-bgp.*routers/);
  });

  it('refuses a 50 MiB unsigned body while reading it (413 or closed), and its memory barely moves', async () => {
    await new Promise((r) => setTimeout(r, 300));
    const before = bot.memory().rss;
    const answer = await unsignedFlood(bot.port, 50);
    await new Promise((r) => setTimeout(r, 300));
    const growth = bot.memory().peak - before;
    console.log(`50 MiB unsigned body: answer ${answer}, peak RSS growth ${growth.toFixed(1)} MiB`);
    expect(String(answer)).toMatch(/^(413|closed)/);
    expect(growth).toBeLessThan(100);
    expect(bot.alive()).toBe(true);
    await stillAnswers(11);
  });

  it('refuses a correctly signed request stamped an hour in the future, and one an hour old (401), running nothing', async () => {
    const from = slack.calls.length;
    const body = slash('audit --last 12', newTriggerId());
    const future = await postSigned(bot.port, body, { secret: SECRET, timestamp: now() + 3600 });
    const stale = await postSigned(bot.port, body, { secret: SECRET, timestamp: now() - 3600 });
    const sixMinutesAhead = await postSigned(bot.port, body, { secret: SECRET, timestamp: now() + 6 * 60 });
    expect([future.status, stale.status, sixMinutesAhead.status]).toEqual([401, 401, 401]);
    await new Promise((r) => setTimeout(r, 500));
    expect(auditOf('audit --last 12')).toEqual([]);
    expect(slack.calls.slice(from).filter((c) => c.method !== 'auth.test')).toEqual([]);
  });

  it('answers a signed `null` and other malformed payloads with 400, and keeps answering', async () => {
    const auditBefore = readAudit().length;
    const form = { secret: SECRET };
    const cases: [string, Promise<{ status: number }>][] = [
      ['null', postSigned(bot.port, 'null', json)],
      ['array', postSigned(bot.port, '[1,2]', json)],
      ['string', postSigned(bot.port, '"x"', json)],
      ['bad JSON', postSigned(bot.port, '{"type":', json)],
      ['event not an object', postSigned(bot.port, JSON.stringify({ type: 'event_callback', event_id: 'EvBad1', event: 'x' }), json)],
      ['app_mention without a channel', postSigned(bot.port, JSON.stringify({ type: 'event_callback', event_id: 'EvBad2', event: { type: 'app_mention', text: 'help', ts: '1.2' } }), json)],
      ['bad form encoding', postSigned(bot.port, 'command=%2Fbgp-lab&text=%E0%A4%A&user_id=U1', form)],
      ['slash command without a user', postSigned(bot.port, new URLSearchParams({ command: '/bgp-lab', text: 'help', channel_id: 'CLAB', trigger_id: newTriggerId() }).toString(), form)],
      ['repeated form field', postSigned(bot.port, `${slash('help', newTriggerId())}&text=up`, form)],
      ['payload not JSON', postSigned(bot.port, 'payload=%7Bnope', form)],
      ['payload null', postSigned(bot.port, 'payload=null', form)],
      ['block_actions without actions', postSigned(bot.port, new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', user: { id: 'UREADER' }, trigger_id: newTriggerId() }) }).toString(), form)],
    ];
    for (const [what, res] of cases) expect({ what, status: (await res).status }).toEqual({ what, status: 400 });
    expect(bot.alive()).toBe(true);
    expect(readAudit().length).toBe(auditBefore);
    await stillAnswers(13);
  });

  it('runs an app_mention once when Slack retries it (X-Slack-Retry-Num: 1, same event_id)', async () => {
    const line = 'audit --last 14';
    const body = mention(line, 'EvRetried', '1700000300.000001');
    const first = await postSigned(bot.port, body, json);
    await slack.waitFor(() => auditOf(line).length === 1, 10_000, 'the first delivery');
    // A retry is signed afresh by Slack; the event is the same.
    const retryTs = now();
    const retry = await fetch(`http://127.0.0.1:${bot.port}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(retryTs), 'x-slack-signature': sign(SECRET, body, retryTs), 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      body,
    });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await stillAnswers(15); // by the time a later command ran, a second run of the retry would have too
    expect(auditOf(line)).toHaveLength(1);
    expect(slack.of('chat.postMessage').filter((c) => c.body.thread_ts === '1700000300.000001')).toHaveLength(1);
  });

  it('a bot started while Slack fails auth.test stays up, and answers once Slack is back', async () => {
    slack.failWith('auth.test');
    const other = await spawnBot({ SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, BGP_LAB_STATE_DIR: stateDir, BGP_LAB_NAME: LAB });
    try {
      await new Promise((r) => setTimeout(r, 500));
      expect(other.alive()).toBe(true);
      slack.recover();
      const line = 'audit --last 18';
      const res = await postSigned(other.port, slash(line, newTriggerId()), { secret: SECRET });
      expect(res.status).toBe(200);
      await slack.waitFor(() => auditOf(line).length === 1, 10_000, `${line} to run on the second bot`);
    } finally {
      slack.recover();
      await other.stop();
    }
  });

  it('runs a slash command once when the same request (same trigger_id) comes again', async () => {
    const line = 'audit --last 16';
    const body = slash(line, newTriggerId());
    const first = await postSigned(bot.port, body, { secret: SECRET });
    const again = await postSigned(bot.port, body, { secret: SECRET });
    expect([first.status, again.status]).toEqual([200, 200]);
    await stillAnswers(17);
    expect(auditOf(line)).toHaveLength(1);
  });

  it('keeps the set of seen IDs bounded in count and in age', () => {
    let clock = 0;
    const seen = new SeenIds(3, 1000, () => clock);
    expect(seen.checkAndRecord(['a'])).toBe(false);
    expect(seen.checkAndRecord(['a'])).toBe(true);
    expect(seen.checkAndRecord(['b', 'c', 'd'])).toBe(false);
    expect(seen.size).toBe(3); // 'a', the oldest, made room
    expect(seen.checkAndRecord(['a'])).toBe(false);
    clock = 5000;
    expect(seen.checkAndRecord(['c'])).toBe(false); // aged out
    expect(seen.size).toBe(1);
  });
});
