// The game master's prober pause, abort rules without a bot, and what the real lab would cost,
// on a real embedded lab with a real bot over signed HTTP on loopback (the fake Slack records
// every Web API call). One lab for the file: a Slack drill (pause from the page's button, a
// refusal naming the game master, resume, the fix, a pause left open at `drill end`), then the
// bot stops and a CLI drill with --abort-if-outage is aborted by its guard alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { LogLevel } from '@slack/bolt';
import { FakeSlack, postSigned, slashBody, type Call } from '../bot/fake-slack.js';
import { createBotApp, type BotApp } from '../../bot/app.js';
import { loadBotConfig } from '../../bot/config.js';
import { RUN_ACTION } from '../../bot/render/up.js';
import { cli, eventually, labName, ok, session } from '../helpers/lab.js';
import { readDrill, readScores, type DrillState } from '../../lab/state/drill-state.js';
import { readAudit } from '../../lab/state/audit.js';
import { nsName } from '../../lab/drivers/embedded/names.js';
import { guardPidFile } from '../../lab/gameday/guard.js';
import type { CheckResult } from '../../commands/results.js';

const SECRET = 'gameday2-signing-secret-0123456789';
const LAB = labName('gameday2');
const CHANNEL = 'CGAME2';
const stateDir = mkdtempSync(join(tmpdir(), 'bgp-lab-gameday2-'));
process.env.BGP_LAB_STATE_DIR = stateDir;

const s = session(LAB);
let slack: FakeSlack;
let bot: BotApp | undefined;
let port = 0;
let n = 0;

async function slash(text: string, user: string) {
  const res = await postSigned(port, slashBody({ command: '/bgp-lab', text, user, channel: CHANNEL, responseUrl: slack.responseUrl(`r${++n}`) }), { secret: SECRET });
  expect(res.status).toBe(200);
}

async function click(user: string, line: string) {
  const payload = {
    type: 'block_actions', team: { id: 'T1', domain: 'lab' }, user: { id: user, username: user.toLowerCase(), team_id: 'T1' }, api_app_id: 'A1', token: 'legacy',
    container: { type: 'message', message_ts: '1700000000.000001', channel_id: CHANNEL, is_ephemeral: false }, trigger_id: `1.2.${++n}`,
    channel: { id: CHANNEL, name: 'game' }, response_url: slack.responseUrl(`click${n}`),
    actions: [{ block_id: 'b1', action_ts: '1700000000.1', action_id: `${RUN_ACTION}:${line.replace(/\s+/g, '-')}`, value: line, type: 'button' }],
  };
  const res = await postSigned(port, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), { secret: SECRET });
  expect(res.status).toBe(200);
}

const posts = (from: number, pattern: RegExp): Call[] =>
  slack.calls.slice(from).filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update' || c.method === 'response_url') && pattern.test(slack.textOf([c])));
const waitPost = (from: number, pattern: RegExp, ms: number, what: string) => slack.waitFor(() => posts(from, pattern).length > 0, ms, what);

/** Ping processes in the namespaces the drill's flows probe from (what "the prober runs" means). */
async function probePings(d: DrillState): Promise<number> {
  let count = 0;
  for (const ns of new Set(d.prober!.flows.map((f) => nsName(LAB, f.from)))) {
    const pids = (await execa('ip', ['netns', 'pids', ns], { reject: false })).stdout.split('\n').filter(Boolean);
    for (const pid of pids) if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'ping') count++;
  }
  return count;
}

beforeAll(async () => {
  slack = await new FakeSlack().start();
  slack.users = { UA: 'Alice Anders', UD: 'Dave Dunn' };
  const config = loadBotConfig({
    SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_MODE: 'http', BGP_LAB_BOT_PORT: '0', SLACK_API_URL: slack.apiUrl,
    SLACK_OPERATORS: 'UA', BGP_LAB_NAME: LAB,
  });
  bot = createBotApp(config, { logLevel: LogLevel.ERROR, log: () => {} });
  port = (await bot.start()).port!;
  await ok(s, 'up --pods-per-node 1 --fast-connect');
}, 120_000);

afterAll(async () => {
  try {
    if (await readDrill(LAB)) await s.run('drill end --abort');
    await s.run('down');
  } finally {
    await bot?.stop().catch(() => {});
    await slack?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}, 90_000);

describe('the prober pause and the real lab in the report (Slack)', () => {
  it('pause from the button stops every probe, a non-game-master is refused by name, resume probes again; the report says the pause, the connect mode and the cost with Cilium defaults', async () => {
    let at = slack.calls.length;
    await slash('drill start agent-crash', 'UA');
    await waitPost(at, /:rotating_light: \*PAGE\*/, 60_000, 'the page');
    const page = posts(at, /:rotating_light: \*PAGE\*/)[0]!;
    expect(JSON.stringify(page.body.blocks)).toContain('"value":"drill prober pause"'); // the game master's button
    const d0 = (await readDrill(LAB))!;
    expect(await probePings(d0)).toBe(d0.prober!.flows.length);

    // Dave is no game master and has read: refused, and told who is.
    at = slack.calls.length;
    await slash('drill prober pause', 'UD');
    await waitPost(at, /only the drill's game master/, 10_000, 'the refusal');
    expect(slack.textOf(posts(at, /only the drill's game master/))).toMatch(/game master \(Alice Anders\)[\s\S]*Dave Dunn has read/);
    expect(await probePings(d0)).toBe(d0.prober!.flows.length);

    at = slack.calls.length;
    await click('UA', 'drill prober pause');
    await waitPost(at, /prober paused\* by Alice Anders/, 20_000, 'the pause');
    expect(await probePings(d0)).toBe(0); // really stopped: no ping of ours left
    const paused = (await readDrill(LAB))!;
    expect(paused.events?.find((e) => e.kind === 'prober-paused')).toMatchObject({ name: 'Alice Anders', text: 'Alice Anders paused the prober' });
    at = slack.calls.length;
    await slash('drill status', 'UD');
    await waitPost(at, /prober paused by Alice Anders since \d\d:\d\d:\d\d UTC/, 20_000, 'drill status while paused');
    expect(slack.textOf(posts(at, /prober paused by/))).toMatch(/connect mode: --fast-connect[\s\S]*hold 9 s \/ keepalive 3 s \/ connectRetry 1 s[\s\S]*Cilium's defaults hold 90 s \/ keepalive 30 s \/ connectRetry 120 s/);

    await new Promise((r) => setTimeout(r, 1500));
    at = slack.calls.length;
    await slash('drill prober resume', 'UA');
    await waitPost(at, /prober resumed\* by Alice Anders/, 20_000, 'the resume');
    expect(await probePings(d0)).toBe(d0.prober!.flows.length);
    // Probes again, into the new run's logs.
    const log1 = d0.prober!.flows[0]!.logFile.replace(/\.log$/, '.1.log');
    await eventually(async () => existsSync(log1) && /bytes from/.test(readFileSync(log1, 'utf8')), 10_000);

    // A note trying to ping the channel, someone, and link out: text in Slack and in the Markdown.
    at = slack.calls.length;
    await slash('drill note - <!channel> look <@UD> [here](http://example.invalid) a|b', 'UA');
    await waitPost(at, /:memo:/, 10_000, 'the note');
    const note = posts(at, /:memo:/)[0]!;
    expect(JSON.stringify(note.body)).not.toMatch(/<!channel>|<@UD>/);

    at = slack.calls.length;
    await slash(`agent restart ${d0.fault.node}`, 'UA');
    await waitPost(at, /restarted/, 60_000, 'the fix');

    // Paused again and ended while paused: nothing of the prober is left behind.
    at = slack.calls.length;
    await slash('drill prober pause', 'UA');
    await waitPost(at, /prober paused\* by Alice Anders/, 20_000, 'the second pause');
    at = slack.calls.length;
    await slash('drill end', 'UA');
    await slack.waitFor(() => posts(at, /Postmortem: /).length > 0 && slack.calls.slice(at).some((c) => c.method === 'upload'), 90_000, 'the postmortem');
    expect(await probePings(d0)).toBe(0);
    expect(existsSync(d0.prober!.flows[0]!.pidFile)).toBe(false);

    const text = slack.textOf([posts(at, /Postmortem: /).at(-1)!]);
    expect(text).toMatch(/The prober was paused from \d\d:\d\d:\d\d to \d\d:\d\d:\d\d UTC by Alice Anders \(not counted in the impact\)/);
    expect(text).toMatch(/connect mode: --fast-connect/);
    expect(text).toMatch(/Cilium's defaults hold 90 s \/ keepalive 30 s \/ connectRetry 120 s/);
    expect(text).toMatch(/up to 90 s with Cilium's hold 90 s \(the smaller of both ends\)/);
    expect(text).toMatch(/outage with Cilium's defaults \(computed, not measured\): \d+\.\d-\d+\.\d s = time to the fix \d+\.\d s \(measured\) \+ reconnect 5-10 s/);
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toMatch(/<!channel>|<@UD>/);
    const md = String(slack.calls.slice(at).find((c) => c.method === 'upload' && String(c.body.raw).includes('# Postmortem'))?.body.raw);
    expect(md).toContain('## What the real lab would cost');
    expect(md).toMatch(/Alice Anders paused the prober/);
    expect(md).toContain('\\<!channel\\> look \\<@UD\\> \\[here\\](http://example.invalid) a\\|b');
    expect(md).not.toMatch(/(^|[^\\])<!channel>/);
    expect((await readScores()).at(-1)).toMatchObject({ id: 'agent-crash', outcome: 'resolved' });
  }, 240_000);
});

describe('abort rules without a bot', () => {
  it('a CLI drill with --abort-if-outage 3s on a lasting fault is aborted by its guard: scored aborted, restored, audited as the system', async () => {
    await bot!.stop();
    bot = undefined;
    const started = await cli(['--lab', LAB, '--json', 'drill', 'start', 'leaf-blackhole', '--abort-if-outage', '3s'], { timeout: 60_000 });
    expect(started.exitCode, started.stderr).toBe(0);
    const drillId = JSON.parse(started.stdout).drillId as string;
    expect(existsSync(guardPidFile(LAB))).toBe(true);
    // Nobody ends it: the guard does, once the outage passed 3 s.
    await eventually(async () => (await readDrill(LAB)) === undefined, 90_000, 500);
    const last = (await readScores()).at(-1)!;
    expect(last).toMatchObject({ id: 'leaf-blackhole', outcome: 'aborted', drillId });
    expect(last.abortReason).toMatch(/lasted \d+ s[\s\S]*over the 3 s allowed \(--abort-if-outage\)/);
    const end = readAudit().filter((e) => e.command === 'drill end' && e.lab === LAB).at(-1)!;
    expect(end).toMatchObject({ user: 'system', outcome: 'ok' });
    expect(end.line).toContain(`--drill-id ${drillId}`);
    // The guard went with its drill, and the lab is back.
    await eventually(async () => (await execa('pgrep', ['-f', `drill guard --drill-id ${drillId}`], { reject: false })).stdout === '', 10_000);
    expect(existsSync(guardPidFile(LAB))).toBe(false);
    expect((await ok<CheckResult>(s, 'check')).ok).toBe(true);
  }, 180_000);
});
