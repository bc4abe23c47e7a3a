// The bot driving a real embedded lab: `/bgp-lab up` with live progress and buttons, a
// concurrent `up` told it is busy, `/routes leaf0` with both ECMP next hops, the router menu,
// and Tear down from the button. The lab is removed in afterAll even when a case fails.
import { labName } from '../helpers/lab.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { FakeSlack, startTestBot, postSigned, slashBody, type Call } from './fake-slack.js';
import { ROUTES_SELECT, type BotApp } from '../../bot/app.js';
import { Session } from '../../commands/execute.js';
import { podCidrOf } from '../../lab/topology/model.js';
import { readAudit, type AuditEntry } from '../../lab/state/audit.js';

const SECRET = 'lab-signing-secret-0123456789';
const LAB = labName('botlab');
const stateDir = mkdtempSync(join(tmpdir(), 'bgp-lab-bot-lab-'));
process.env.BGP_LAB_STATE_DIR = stateDir;
delete process.env.BGP_LAB_AUDIT_LOG;

let slack: FakeSlack;
let bot: BotApp;
let port: number;
let n = 0;

/** This test's audit log (its own state dir), as the `audit` command reads it. */
const audit = (): AuditEntry[] => readAudit();

async function slash(text: string, o: { user?: string; command?: string } = {}) {
  const body = slashBody({ command: o.command ?? '/bgp-lab', text, user: o.user ?? 'UREADER', channel: 'CLAB', responseUrl: slack.responseUrl(`r${++n}`) });
  return postSigned(port, body, { secret: SECRET });
}

async function click(user: string, action: Record<string, unknown>, message?: Record<string, unknown>) {
  const payload = {
    ...(message ? { message } : {}),
    type: 'block_actions',
    team: { id: 'T1', domain: 'lab' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    container: { type: 'message', message_ts: '1700000000.000001', channel_id: 'CLAB', is_ephemeral: false },
    trigger_id: `1.2.${n + 1}`, // unique per click, as Slack's are (a repeated one is a retry)
    channel: { id: 'CLAB', name: 'lab' },
    response_url: slack.responseUrl(`click${++n}`),
    actions: [{ block_id: 'b1', action_ts: '1700000000.1', ...action }],
  };
  return postSigned(port, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), { secret: SECRET });
}

// The seed lab is up in ~1.5 s: with Slack's usual 1 s gap between chat.update calls that is one
// update, so this bot updates every 300 ms to show that progress streams and stays throttled.
const THROTTLE_MS = 300;

const since = (i: number, method?: string): Call[] => slack.calls.slice(i).filter((c) => !method || c.method === method);

beforeAll(async () => {
  ({ slack, bot, port } = await startTestBot(SECRET, { SLACK_OPERATORS: 'UOPER', SLACK_ADMINS: 'UADMIN', BGP_LAB_NAME: LAB }, { throttleMs: THROTTLE_MS }));
});

afterAll(async () => {
  try {
    const s = new Session({ lab: LAB, caller: { surface: 'test', user: 'teardown', level: 'admin' } });
    const out = await s.run('down');
    await s.close();
    if (!out.ok) throw new Error(`down failed: ${out.error?.message}`);
  } finally {
    await bot?.stop();
    await slack?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
});

describe('slack bot on a real lab', () => {
  it('`/bgp-lab up` from an operator: live progress, a busy answer to a second up, then the summary with buttons', async () => {
    const start = slack.calls.length;
    const res = await slash('up', { user: 'UOPER' });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(300);
    await slack.waitFor(() => since(start, 'chat.postMessage').length > 0, 10_000, 'progress message');
    const progressTs = since(start, 'chat.postMessage')[0]!.reply.ts;
    expect(slack.textOf(since(start, 'chat.postMessage'))).toContain('running `up`');

    // A second `up` while the first runs: only the caller hears it is busy.
    const mid = slack.calls.length;
    const second = await slash('up', { user: 'UADMIN' });
    expect(second.ms).toBeLessThan(300);
    await slack.waitFor(() => since(mid, 'response_url').length > 0, 10_000, 'busy answer');
    const busy = since(mid, 'response_url')[0]!;
    expect(busy.body.response_type).toBe('ephemeral');
    expect(slack.textOf([busy])).toMatch(/busy: `up` by <@UOPER> \(slack\), started \d+ s ago/);

    await slack.waitFor(() => since(start, 'chat.update').some((c) => String(c.body.text).includes('is up')), 90_000, 'final summary');
    const updates = since(start, 'chat.update');
    const final = updates.find((c) => String(c.body.text).includes('is up'))!;
    const progress = updates.slice(0, updates.indexOf(final));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (const u of updates) expect(u.body.ts).toBe(progressTs); // one message, updated in place
    // Throttled: one update per THROTTLE_MS at most, never a burst. The bot spaces each from
    // Slack's answer to the one before, so as Slack receives them the gap is never shorter.
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.at - progress[i - 1]!.at).toBeGreaterThanOrEqual(THROTTLE_MS);
    expect(slack.textOf(progress)).toMatch(/:white_check_mark: Create \d+ namespaces/);
    const finalText = slack.textOf([final]);
    expect(finalText).toMatch(/lab .* is up/);
    expect(finalText).toContain('8/8 BGP sessions');
    const actions = (final.body.blocks as { type: string; elements?: { value?: string; confirm?: unknown }[] }[]).find((b) => b.type === 'actions')!;
    expect(actions.elements!.map((e) => e.value)).toEqual(['routes leaf0', 'check', 'down']);
    expect(actions.elements![2]!.confirm).toBeDefined();

    const mine = audit().filter((e) => e.command === 'up');
    expect(mine.find((e) => e.user === 'UOPER')).toMatchObject({ outcome: 'ok', surface: 'slack', channel: 'CLAB' });
    expect(mine.find((e) => e.user === 'UADMIN')).toMatchObject({ outcome: 'busy' });
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).toContain(`bgplab.${LAB}.leaf0`);
  });

  it('`/routes leaf0` answers in the channel with both ECMP next hops for the rack1 pod CIDRs', async () => {
    const start = slack.calls.length;
    const res = await slash('leaf0', { command: '/routes' });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(300);
    await slack.waitFor(() => since(start, 'chat.postMessage').length > 0, 20_000, 'routes answer');
    const text = slack.textOf(since(start, 'chat.postMessage'));
    const topo = bot.session.topologyFromFile();
    const rack1 = topo.cluster.nodes.filter((x) => x.rack === 'rack1').map((x) => podCidrOf(topo, x));
    expect(rack1.length).toBeGreaterThan(0);
    for (const cidr of rack1) {
      const at = text.indexOf(` ${cidr} `);
      expect(at, `${cidr} in the table`).toBeGreaterThan(0);
      const [first, second] = text.slice(at).split('\n');
      expect(first).toContain('via 10.1.10.2');
      expect(second).toMatch(/^ {2}\* +via 10\.1\.12\.2/);
    }
    expect(audit().at(-1)).toMatchObject({ user: 'UREADER', command: 'routes', line: 'routes leaf0', outcome: 'ok' });
  });

  it('runs `routes <router>` when a router is chosen in the /routes menu', async () => {
    const start = slack.calls.length;
    const res = await click('UREADER', { action_id: ROUTES_SELECT, type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'leaf1' }, value: 'leaf1' } });
    expect(res.status).toBe(200);
    await slack.waitFor(() => since(start, 'chat.postMessage').length > 0, 20_000, 'routes leaf1');
    expect(slack.textOf(since(start, 'chat.postMessage'))).toContain('Routes on leaf1');
    expect(audit().at(-1)).toMatchObject({ user: 'UREADER', line: 'routes leaf1', outcome: 'ok' });
  });

  it('answers `peers` and `check` (the matrix all ✓)', async () => {
    let start = slack.calls.length;
    await slash('peers');
    await slack.waitFor(() => since(start, 'chat.postMessage').length > 0, 20_000, 'peers');
    expect(slack.textOf(since(start, 'chat.postMessage'))).toContain('8/8 BGP sessions established');
    start = slack.calls.length;
    await slash('check');
    await slack.waitFor(() => since(start).some((c) => /check: \d+ passed/.test(String(c.body.text))), 60_000, 'check');
    const final = since(start).find((c) => /check: \d+ passed/.test(String(c.body.text)))!;
    const text = slack.textOf([final]);
    expect(text).toMatch(/check: \d+ passed, 0 failed/);
    expect(text).toContain('✓');
    // The matrices (code blocks) have no failed cell; the legends beside them name ✗ too.
    const matrices = [...text.matchAll(/```([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
    expect(matrices).toContain('✓');
    expect(matrices).not.toContain('✗');
    expect(audit().at(-1)).toMatchObject({ command: 'check', outcome: 'ok' });
  });

  it('tears the lab down from the button for an operator', async () => {
    const start = slack.calls.length;
    // The `up` summary the button sits in: once the lab is gone its buttons are retired.
    const summary = { type: 'message', ts: '1700000000.000001', text: 'lab is up', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'lab is up' } }, { type: 'actions', elements: [] }] };
    const res = await click('UOPER', { action_id: 'bgp_lab_run:down', type: 'button', value: 'down' }, summary);
    expect(res.status).toBe(200);
    await slack.waitFor(() => since(start).some((c) => String(c.body.text).startsWith('removed')), 60_000, 'down');
    await slack.waitFor(() => since(start, 'chat.update').some((c) => c.body.ts === summary.ts), 10_000, 'buttons retired');
    const retired = since(start, 'chat.update').find((c) => c.body.ts === summary.ts)!;
    const blocks = retired.body.blocks as { type: string }[];
    expect(blocks.map((b) => b.type)).toEqual(['section', 'context']);
    expect(slack.textOf([retired])).toContain('<@UOPER> ran `down`: these buttons are retired');
    expect(audit().at(-1)).toMatchObject({ user: 'UOPER', command: 'down', outcome: 'ok' });
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(`bgplab.${LAB}.`);
  });
});
