// kill -9 of the bot while a long command's message says "running": before, that message said
// so forever. Now the message is recorded in the state dir (0600) while it runs, and the next
// bot to start updates it in place to "interrupted". Slack's chat.update is held unanswered by
// the fake so the message deterministically still says "running" when the bot dies (whatever
// the command's speed); the command is a real `up` of this file's own lab, downed in afterAll.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, labName } from '../helpers/lab.js';
import { FakeSlack, newTriggerId, postSigned, slashBody, spawnBot, type BotProcess } from '../bot/fake-slack.js';
import { readAudit } from '../../lab/state/audit.js';

const SECRET = 'test-signing-secret-restart';
const LAB = labName('bot-restart');
const stateDir = mkdtempSync(join(tmpdir(), 'bgp-lab-bot-restart-'));
process.env.BGP_LAB_STATE_DIR = stateDir; // the bots', and `down`'s in afterAll
delete process.env.BGP_LAB_AUDIT_LOG;

let slack: FakeSlack;
const bots: BotProcess[] = [];
const env = () => ({ SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, BGP_LAB_STATE_DIR: stateDir, BGP_LAB_NAME: LAB, SLACK_OPERATORS: 'UOPER' });
const liveDir = join(stateDir, 'live-messages');
const records = () => {
  try {
    return readdirSync(liveDir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
};

beforeAll(async () => {
  slack = await new FakeSlack().start();
});

afterAll(async () => {
  for (const b of bots) await b.stop('SIGKILL');
  await slack?.stop();
  const down = await cli(['--lab', LAB, 'down']);
  if (down.exitCode !== 0) console.error(`down ${LAB}: ${down.stderr}`);
  rmSync(stateDir, { recursive: true, force: true });
});

describe('a bot killed while a command runs', () => {
  it('leaves no "running" message behind: the next bot marks it interrupted', async () => {
    const first = await spawnBot(env());
    bots.push(first);
    slack.hold('chat.update'); // the channel keeps seeing "running …" for as long as this bot lives
    const res = await postSigned(first.port, slashBody({ command: '/bgp-lab', text: 'up', user: 'UOPER', channel: 'CLAB', responseUrl: slack.responseUrl('up'), triggerId: newTriggerId() }), { secret: SECRET });
    expect(res.status).toBe(200);
    await slack.waitFor(() => slack.of('chat.postMessage').some((c) => /running `up`/.test(String(c.body.text))), 30_000, 'the running message');
    const running = slack.of('chat.postMessage').find((c) => /running `up`/.test(String(c.body.text)))!;
    // The command itself finished (audited) but its answer never reached Slack: the message says "running".
    await slack.waitFor(() => readAudit().some((e) => e.command === 'up' && e.user === 'UOPER' && e.outcome !== 'started' && e.outcome !== 'unfinished'), 60_000, 'up to finish');
    expect(records()).toHaveLength(1);
    expect(statSync(join(liveDir, records()[0]!)).mode & 0o777).toBe(0o600);

    first.child.kill('SIGKILL');
    await first.stop(); // waits for the exit
    slack.release();
    const from = slack.calls.length;

    const second = await spawnBot(env());
    bots.push(second);
    const isFix = (c: { method: string; body: Record<string, unknown> }) => c.method === 'chat.update' && c.body.ts === running.reply.ts && /interrupted/.test(String(c.body.text));
    await slack.waitFor(() => slack.calls.slice(from).some(isFix), 15_000, 'chat.update of the running message to interrupted');
    const fix = slack.calls.slice(from).find(isFix)!;
    expect(fix.body.channel).toBe('CLAB');
    expect(slack.textOf([fix])).toMatch(/`up` was interrupted.*status/s);
    expect(slack.textOf([fix])).toContain('<@UOPER>');
    expect(records()).toEqual([]);
  });
});
