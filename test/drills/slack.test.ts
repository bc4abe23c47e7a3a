// A drill driven from Slack lives in one thread: `drill start` posts the page, and the hint,
// the check and the end report are replies to that message. Signed requests, a real bot over
// HTTP on loopback, a real embedded lab underneath (removed in afterAll even on failure).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeSlack, startTestBot, postSigned, slashBody, type Call } from '../bot/fake-slack.js';
import { type BotApp } from '../../bot/app.js';
import { labName, ok, session } from '../helpers/lab.js';

const SECRET = 'drill-signing-secret-0123456789';
const LAB = labName('slackdrill');
const stateDir = mkdtempSync(join(tmpdir(), 'bgp-lab-slack-drill-'));
process.env.BGP_LAB_STATE_DIR = stateDir;

let slack: FakeSlack;
let bot: BotApp;
let port: number;
let n = 0;
const s = session(LAB);

async function slash(text: string, user = 'UOPER') {
  const res = await postSigned(port, slashBody({ command: '/bgp-lab', text, user, channel: 'CDRILL', responseUrl: slack.responseUrl(`r${++n}`) }), { secret: SECRET });
  expect(res.status).toBe(200);
  return res;
}

/** The messages (posted or updated) that carry `pattern`, from call index `from` on. */
const said = (from: number, pattern: RegExp): Call[] =>
  slack.calls.slice(from).filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && pattern.test(slack.textOf([c])));

/** The thread a message lives in: its own thread_ts, or, for an update, that of the message it updates. */
const threadOf = (c: Call): unknown =>
  c.method === 'chat.update' ? slack.calls.find((p) => p.method === 'chat.postMessage' && p.reply.ts === c.body.ts)?.body.thread_ts : c.body.thread_ts;

beforeAll(async () => {
  await ok(s, 'up --fast-connect');
  ({ slack, bot, port } = await startTestBot(SECRET, { SLACK_OPERATORS: 'UOPER', BGP_LAB_NAME: LAB }));
});

afterAll(async () => {
  try {
    await s.run('down');
  } finally {
    await bot?.stop();
    await slack?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
});

describe('a drill from Slack', () => {
  it('posts the page, the hint, the check and the report into one thread', async () => {
    const start = slack.calls.length;
    await slash('drill start spine-down');
    await slack.waitFor(() => said(start, /went down|WARNING/).length > 0, 90_000, 'the page');
    const page = said(start, /went down|WARNING/)[0]!;
    // The page's message is the thread: a post's ts, or the progress message it updated.
    const threadTs = String(page.method === 'chat.update' ? page.body.ts : page.reply.ts);
    expect(slack.textOf([page])).not.toMatch(/bgpd was killed/); // symptoms only, no cause
    // The page offers the next steps as buttons that run drill commands.
    const pageButtons = (page.body.blocks as { type: string; elements?: { value?: string }[] }[]).find((b) => b.type === 'actions');
    expect(pageButtons?.elements?.map((e) => e.value)).toEqual(['drill hint', 'drill check', 'drill status']);

    const hintAt = slack.calls.length;
    await slash('drill hint');
    await slack.waitFor(() => said(hintAt, /hint 1\/\d[\s\S]*peers/).length > 0, 30_000, 'the hint');
    const hint = said(hintAt, /hint 1\/\d[\s\S]*peers/)[0]!;
    expect(hint.body.thread_ts).toBe(threadTs);

    // The responder fixes it with the product's own command, then checks and ends the drill.
    await slash('router restart spine0');
    const checkAt = slack.calls.length;
    await slash('drill check');
    await slack.waitFor(() => said(checkAt, /\*fixed\*|not fixed yet/).length > 0, 60_000, 'the check');
    const checks = said(checkAt, /\*fixed\*|not fixed yet/);
    expect(checks.map(threadOf)).toEqual(checks.map(() => threadTs));

    const endAt = slack.calls.length;
    await slash('drill end');
    await slack.waitFor(() => said(endAt, /:checkered_flag:[\s\S]*bgpd was killed/).length > 0, 90_000, 'the report');
    const report = said(endAt, /:checkered_flag:[\s\S]*bgpd was killed/)[0]!;
    expect(threadOf(report)).toBe(threadTs);
    expect(slack.textOf([report])).toMatch(/spine0/);
    // The report's timeline: the fault, the responder's command, the passing check, the restore.
    const timeline = slack.textOf([report]);
    expect(timeline).toMatch(/\d\d:\d\d:\d\d\.\d{3} +fault injected/);
    expect(timeline).toMatch(/: router restart spine0/);
    expect(timeline).toMatch(/`drill check` passed/);
    expect(timeline).toMatch(/`drill end`: restore started/);
  });
});
