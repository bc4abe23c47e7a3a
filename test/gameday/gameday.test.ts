// A game day from Slack, end to end: a real embedded lab, real bots over signed HTTP on loopback,
// the fake Slack recording every Web API call. A schedule made on one bot fires once on the two
// that run after it; three people (display names from users.info) take roles, note, fix and end
// the drill; the postmortem lands in the page's thread with the Markdown attached; scores per
// person; a non-participant gets no hint; --abort-if-outage ends a drill; the Home tab is published.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogLevel } from '@slack/bolt';
import { FakeSlack, postSigned, slashBody, type Call } from '../bot/fake-slack.js';
import { createBotApp, type BotApp } from '../../bot/app.js';
import { loadBotConfig } from '../../bot/config.js';
import { labName, ok, session } from '../helpers/lab.js';
import { readDrill, readScores } from '../../lab/state/drill-state.js';
import { listSchedules } from '../../lab/gameday/schedule.js';

const SECRET = 'gameday-signing-secret-0123456789';
const LAB = labName('gameday');
const CHANNEL = 'CGAME';
const stateDir = mkdtempSync(join(tmpdir(), 'bgp-lab-gameday-'));
process.env.BGP_LAB_STATE_DIR = stateDir;

const s = session(LAB);
let slack: FakeSlack;
const bots: BotApp[] = [];
let port = 0;
let n = 0;
const logs: string[] = [];

async function startBot(): Promise<{ bot: BotApp; port: number }> {
  const config = loadBotConfig({
    SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_MODE: 'http', BGP_LAB_BOT_PORT: '0', SLACK_API_URL: slack.apiUrl,
    SLACK_OPERATORS: 'UA,UB,UC', BGP_LAB_NAME: LAB,
  });
  const bot = createBotApp(config, { logLevel: LogLevel.ERROR, log: (m) => logs.push(m) });
  bots.push(bot);
  return { bot, port: (await bot.start()).port! };
}

async function slash(text: string, user: string, to = port) {
  const res = await postSigned(to, slashBody({ command: '/bgp-lab', text, user, channel: CHANNEL, responseUrl: slack.responseUrl(`r${++n}`) }), { secret: SECRET });
  expect(res.status).toBe(200);
}

const posts = (from: number, pattern: RegExp): Call[] =>
  slack.calls.slice(from).filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && pattern.test(slack.textOf([c])));
const responses = (from: number, pattern: RegExp): Call[] => slack.calls.slice(from).filter((c) => c.method === 'response_url' && pattern.test(slack.textOf([c])));
/** Waits, and on a timeout says what the bot answered the user (refusals come by response_url). */
async function expectPost(from: number, pattern: RegExp, timeoutMs: number, what: string): Promise<void> {
  try {
    await slack.waitFor(() => posts(from, pattern).length > 0, timeoutMs, what);
  } catch (err) {
    const said = slack.calls.slice(from).filter((c) => c.method === 'chat.postMessage').slice(-3).map((c) => slack.textOf([c]).slice(0, 1200));
    throw new Error(`${(err as Error).message}\nanswers: ${slack.textOf(responses(from, /./)).slice(0, 1500)}\nposted: ${said.join(' ‖ ')}\nlog: ${logs.slice(-12).join(' | ')}`);
  }
}

const threadOf = (c: Call): unknown =>
  c.method === 'chat.update' ? slack.calls.find((p) => p.method === 'chat.postMessage' && p.reply.ts === c.body.ts)?.body.thread_ts : c.body.thread_ts;

beforeAll(async () => {
  slack = await new FakeSlack().start();
  slack.users = { UA: 'Alice Anders', UB: 'Bob Brandt', UC: 'Carol Chen', UD: 'Dave Dunn' };
  await ok(s, 'up --pods-per-node 1');
}, 120_000);

afterAll(async () => {
  try {
    await s.run('down');
  } finally {
    for (const b of bots) await b.stop().catch(() => {});
    await slack?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}, 60_000);

let pageTs = '';

describe('a game day from Slack', () => {
  it('a schedule made on one bot survives its restart, fires once with two bots, and pages without naming the scenario', async () => {
    const first = await startBot();
    port = first.port;
    const at = slack.calls.length;
    await slash('drill schedule --in 5s --scenario spine-down --page UA', 'UC');
    // Told to its author only: the channel learns neither what nor when.
    await slack.waitFor(() => responses(at, /drill scheduled/).length > 0, 10_000, 'the schedule confirmation');
    const created = Date.now();
    expect(slack.textOf(responses(at, /drill scheduled/))).not.toMatch(/spine-down/);
    expect(responses(at, /drill scheduled/)[0]!.body.response_type).toBe('ephemeral');
    expect(posts(at, /drill scheduled|spine-down/)).toEqual([]);
    const [sched] = await listSchedules(LAB);
    expect(sched?.scenario).toBe('spine-down');
    // The bot that took it goes away; two bots start on the same state dir.
    await first.bot.stop();
    const [second, third] = await Promise.all([startBot(), startBot()]);
    port = second.port;
    await slack.waitFor(() => posts(at, /:rotating_light: \*PAGE\*/).length > 0, 60_000, 'the page');
    const page = posts(at, /:rotating_light: \*PAGE\*/)[0]!;
    expect(page.at - created).toBeGreaterThanOrEqual(4000); // not before its time
    const text = slack.textOf([page]);
    expect(text).toContain('<@UA>');
    expect(text).not.toMatch(/spine-down|A spine's BGP daemon is down/);
    expect(text).toMatch(/went down/);
    pageTs = String(page.reply.ts);
    await new Promise((r) => setTimeout(r, 3000)); // both bots ticked several times since
    expect(posts(at, /:rotating_light: \*PAGE\*/)).toHaveLength(1);
    expect(await listSchedules(LAB)).toEqual([]);
    await third.bot.stop();
    const d = await readDrill(LAB);
    expect(d?.hidden).toBe(true);
    expect(d?.gameMaster).toEqual({ user: 'UC', name: 'Carol Chen' });
    expect(d?.thread).toEqual({ channel: CHANNEL, ts: pageTs });
  }, 120_000);

  it('three people: roles, a note, the fix, the end; the postmortem in the thread names them, no IDs; Markdown attached; a non-participant takes no hint', async () => {
    let at = slack.calls.length;
    await slash('drill role commander', 'UB');
    await expectPost(at, /Bob Brandt\* is commander/, 10_000, 'the role claim');
    expect(threadOf(posts(at, /is commander/)[0]!)).toBe(pageTs);

    // Dave never joined: his hint is refused and costs nothing.
    at = slack.calls.length;
    await slash('drill hint', 'UD');
    await slack.waitFor(() => responses(at, /only the drill's responder/).length > 0, 10_000, 'the refusal');
    expect(slack.textOf(responses(at, /only the drill's responder/))).toMatch(/Dave Dunn is not a participant/);
    expect((await readDrill(LAB))?.hintsUsed).toBe(0);

    at = slack.calls.length;
    await slash('drill note - it took a while to see <!channel> which spine', 'UA');
    await slash('drill note + the page named the leaf', 'UA');
    await slack.waitFor(() => posts(at, /:memo:/).length >= 2, 10_000, 'the notes');
    expect(slack.textOf(posts(at, /:memo:/))).not.toContain('<!channel>'); // escaped, never an @channel
    await slash('peers', 'UA');
    await slash('router restart spine0', 'UA');
    await slack.waitFor(() => posts(at, /restarted/).length > 0, 60_000, 'the fix');

    at = slack.calls.length;
    await slash('drill end', 'UC');
    await slack.waitFor(() => posts(at, /Postmortem: /).length > 0 && slack.calls.slice(at).some((c) => c.method === 'files.completeUploadExternal'), 90_000, 'the postmortem');
    const pm = posts(at, /Postmortem: /).at(-1)!;
    expect(threadOf(pm)).toBe(pageTs);
    const text = slack.textOf([pm]);
    for (const name of ['Alice Anders', 'Bob Brandt', 'Carol Chen']) expect(text).toContain(name);
    expect(text).toMatch(/commander: Bob Brandt/);
    expect(text).toMatch(/game master: Carol Chen/);
    expect(text).toContain('it took a while to see &lt;!channel&gt; which spine'); // the note, escaped
    expect(text).toMatch(/spine0's bgpd was killed/); // the fault (root cause)
    expect(text).toMatch(/`router restart spine0` by Alice Anders/); // the fix, and who ran it
    expect(text).toMatch(/\*Impact\* \(prober\)\n(\d+ outages?, \d+\/4 flows affected|no loss on the 4 probed flows)/); // measured
    expect(text).toMatch(/\*Detection\*: \d/);
    expect(text).not.toMatch(/\b(UA|UB|UC|UD)\b/); // names, never IDs
    const upload = slack.calls.slice(at).find((c) => c.method === 'upload' && String(c.body.raw).includes('# Postmortem'));
    const md = String(upload?.body.raw);
    expect(md).toContain('## What was hard');
    expect(md).toContain("- it took a while to see \\<!channel\\> which spine (Alice Anders)"); // Markdown-escaped: never raw HTML
    expect(md).toMatch(/## Action items\n- \[ \]/);
    expect(md).not.toMatch(/\b(UA|UB|UC)\b/);
    const complete = slack.calls.slice(at).find((c) => c.method === 'files.completeUploadExternal')!;
    expect(JSON.stringify(complete.body)).toContain(pageTs);

    // Scores per person: each with their role and times.
    at = slack.calls.length;
    await slash('drill scores --by person', 'UD');
    await slack.waitFor(() => posts(at, /drill leaderboard/).length > 0, 10_000, 'the leaderboard');
    const board = slack.textOf(posts(at, /drill leaderboard/));
    expect(board).toMatch(/Alice Anders +1 +— +1 +\d+\.\d (s|min) +\d+\.\d (s|min) +0/); // detect and mitigate: hers
    expect(board).toMatch(/Bob Brandt +1 +commander +1/);
    expect(board).toMatch(/Carol Chen +1 +game master +1/);
    // For the closing note of a session: the postmortem and the scores table as the test made them.
    if (process.env.GAMEDAY_SAMPLE_OUT) writeFileSync(process.env.GAMEDAY_SAMPLE_OUT, `${md}\n\n${board}\n`);
    const [score] = await readScores();
    expect(score?.outcome).toBe('resolved');
    expect(score?.timeToDetectMs).toBeGreaterThan(0);
    expect(score?.timeToMitigateMs).toBeGreaterThanOrEqual(score!.timeToDetectMs!);

    // `drill report` renders the same postmortem again.
    at = slack.calls.length;
    await slash(`drill report ${score!.drillId}`, 'UD');
    await slack.waitFor(() => posts(at, /Postmortem: /).length > 0, 10_000, 'the report');
    expect(slack.textOf(posts(at, /Postmortem: /))).toMatch(/Bob Brandt/);
  }, 180_000);

  it('--abort-if-outage ends a drill whose outage lasts too long: scored aborted, lab restored', async () => {
    const at = slack.calls.length;
    await slash('drill start leaf-blackhole --abort-if-outage 2s', 'UA');
    await expectPost(at, /:octagonal_sign: \*drill aborted by its rule\*/, 90_000, 'the abort');
    const abort = posts(at, /:octagonal_sign:/)[0]!;
    expect(slack.textOf([abort])).toMatch(/lasted \d+ s[\s\S]*over the 2 s allowed/);
    // Then the report, once the lab is restored, in the same thread.
    await expectPost(at, /:octagonal_sign: \*aborted\*[\s\S]*lab back to its pre-drill routes/, 150_000, 'the report of the aborted drill');
    const report = posts(at, /:octagonal_sign: \*aborted\*/)[0]!;
    expect(threadOf(report)).toBe(threadOf(abort));
    expect(slack.textOf([report])).toMatch(/Postmortem: [\s\S]*\*aborted\*/);
    expect(await readDrill(LAB)).toBeUndefined();
    const last = (await readScores()).at(-1)!;
    expect(last.id).toBe('leaf-blackhole');
    expect(last.outcome).toBe('aborted');
    expect(last.abortReason).toMatch(/--abort-if-outage/);
  }, 240_000);

  it('App Home: app_home_opened publishes a view naming the lab, its leaderboard and buttons', async () => {
    const at = slack.calls.length;
    const body = JSON.stringify({ token: 'x', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: `Ev${Date.now()}`, event_time: Math.floor(Date.now() / 1000), event: { type: 'app_home_opened', user: 'UB', channel: 'DHOME', tab: 'home', event_ts: '1.0' } });
    const res = await postSigned(port, body, { secret: SECRET, contentType: 'application/json' });
    expect(res.status).toBe(200);
    await slack.waitFor(() => slack.calls.slice(at).some((c) => c.method === 'views.publish'), 20_000, 'views.publish');
    const call = slack.calls.slice(at).find((c) => c.method === 'views.publish')!;
    expect(call.body.user_id).toBe('UB');
    const view = JSON.stringify(call.body.view);
    expect(view).toContain(`lab ${LAB}`);
    expect(view).toMatch(/leaderboard/);
    expect(view).toMatch(/Bob Brandt/);
    expect(view).toContain('bgp_lab_home:status');
  }, 60_000);
});
