// The bot over real HTTP on 127.0.0.1: signed slash commands, mentions and clicks in, Web API
// calls out to a local recorder. Commands here need no running lab (help, topo, audit, refusals).
import { labName } from '../helpers/lab.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { FakeSlack, startTestBot, postSigned, slashBody, sign } from './fake-slack.js';
import { type BotApp } from '../../bot/app.js';
import { acquireLock } from '../../lab/state/lock.js';
import { appendAudit, readAudit, type AuditEntry } from '../../lab/state/audit.js';

const SECRET = 'test-signing-secret-0123456789';
const LAB = labName('bot-http');
const stateDir = mkdtempSync(join(tmpdir(), 'bgp-lab-bot-http-'));
process.env.BGP_LAB_STATE_DIR = stateDir;
delete process.env.BGP_LAB_AUDIT_LOG;

let slack: FakeSlack;
let bot: BotApp;
let port: number;
let n = 0;

/** This test's audit log (its own state dir), as the `audit` command reads it. */
const audit = (): AuditEntry[] => readAudit();

async function slash(text: string, o: { user?: string; channel?: string; command?: string } = {}) {
  const id = `r${++n}`;
  const body = slashBody({ command: o.command ?? '/bgp-lab', text, user: o.user ?? 'UREADER', channel: o.channel ?? 'CLAB', responseUrl: slack.responseUrl(id) });
  const res = await postSigned(port, body, { secret: SECRET });
  return { ...res, id };
}

beforeAll(async () => {
  ({ slack, bot, port } = await startTestBot(SECRET, { SLACK_OPERATORS: 'UOPER', SLACK_ADMINS: 'UADMIN', SLACK_ALLOWED_CHANNELS: 'CLAB,COTHER', BGP_LAB_NAME: LAB }));
});

afterAll(async () => {
  await bot?.stop();
  await slack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('slack bot over HTTP', () => {
  it('rejects a bad signature with 401 and runs nothing', async () => {
    const before = slack.calls.length;
    const auditBefore = audit().length;
    const body = slashBody({ command: '/bgp-lab', text: 'topo show', user: 'UREADER', channel: 'CLAB', responseUrl: slack.responseUrl('bad') });
    const res = await postSigned(port, body, { secret: SECRET, signature: sign('wrong-secret-xxxxxxxx', body, Math.floor(Date.now() / 1000)) });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.calls.slice(before).filter((c) => c.method !== 'auth.test')).toEqual([]);
    expect(audit().length).toBe(auditBefore);
  });

  it('rejects a request older than 5 minutes with 401 even when correctly signed', async () => {
    const body = slashBody({ command: '/bgp-lab', text: 'topo show', user: 'UREADER', channel: 'CLAB', responseUrl: slack.responseUrl('old') });
    const res = await postSigned(port, body, { secret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
  });

  it('answers `/bgp-lab topo show` in the channel, acked first, and audits it', async () => {
    const before = slack.calls.length;
    const res = await slash('topo show');
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(300);
    await slack.waitFor(() => slack.calls.slice(before).some((c) => c.method === 'chat.postMessage'), 10_000, 'chat.postMessage');
    const post = slack.calls.slice(before).find((c) => c.method === 'chat.postMessage')!;
    expect(post.body.channel).toBe('CLAB');
    expect(slack.textOf([post])).toMatch(/topology cilium-bgp.*routers/);
    expect(slack.textOf([post])).toContain('leaf0');
    const e = audit().at(-1)!;
    expect(e).toMatchObject({ surface: 'slack', user: 'UREADER', channel: 'CLAB', command: 'topo show', outcome: 'ok', lab: LAB });
  });

  it('answers only the caller with --quiet, through response_url', async () => {
    const before = slack.calls.length;
    const res = await slash('topo show --quiet');
    expect(res.status).toBe(200);
    await slack.waitFor(() => slack.calls.slice(before).some((c) => c.method === 'response_url'), 10_000, 'response_url');
    const calls = slack.calls.slice(before);
    expect(calls.find((c) => c.method === 'response_url')!.body).toMatchObject({ response_type: 'ephemeral' });
    expect(calls.some((c) => c.method === 'chat.postMessage')).toBe(false);
    expect(audit().at(-1)).toMatchObject({ command: 'topo show', line: 'topo show', outcome: 'ok' });
  });

  it('refuses a channel outside SLACK_ALLOWED_CHANNELS, ephemerally, and audits the refusal', async () => {
    const before = slack.calls.length;
    await slash('topo show', { channel: 'CELSEWHERE', user: 'UADMIN' });
    await slack.waitFor(() => slack.calls.slice(before).some((c) => c.method === 'response_url'), 10_000, 'refusal');
    const calls = slack.calls.slice(before);
    const refusal = calls.find((c) => c.method === 'response_url')!;
    expect(refusal.body.response_type).toBe('ephemeral');
    expect(slack.textOf([refusal])).toContain('SLACK_ALLOWED_CHANNELS');
    expect(calls.some((c) => c.method === 'chat.postMessage')).toBe(false);
    expect(audit().at(-1)).toMatchObject({ surface: 'slack', user: 'UADMIN', channel: 'CELSEWHERE', command: 'topo show', outcome: 'denied' });
  });

  it('refuses `up` from a non-operator with what is needed, and leaves the lab alone', async () => {
    const before = slack.calls.length;
    await slash('up', { user: 'UREADER' });
    await slack.waitFor(() => slack.calls.slice(before).some((c) => c.method === 'response_url'), 10_000, 'refusal');
    const calls = slack.calls.slice(before);
    const refusal = calls.find((c) => c.method === 'response_url')!;
    expect(refusal.body.response_type).toBe('ephemeral');
    const text = slack.textOf([refusal]);
    expect(text).toContain('`up` needs operate permission; <@UREADER> has read');
    expect(text).toContain('SLACK_OPERATORS');
    expect(calls.some((c) => c.method === 'chat.postMessage' || c.method === 'chat.update')).toBe(false);
    expect(audit().at(-1)).toMatchObject({ user: 'UREADER', command: 'up', outcome: 'denied' });
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(`bgplab.${LAB}.`);
  });

  it('says busy (who, what, how long ago) when another surface holds the lab', async () => {
    const held = await acquireLock(LAB, { command: 'up --replace', owner: 'alice', surface: 'cli' });
    try {
      const before = slack.calls.length;
      await slash('up', { user: 'UOPER' });
      await slack.waitFor(() => slack.calls.slice(before).some((c) => c.method === 'response_url'), 10_000, 'busy answer');
      const text = slack.textOf(slack.calls.slice(before).filter((c) => c.method === 'response_url'));
      expect(text).toMatch(/busy: `up --replace` by alice \(cli\), started \d+ s ago/);
      expect(audit().at(-1)).toMatchObject({ user: 'UOPER', command: 'up', outcome: 'busy' });
    } finally {
      await held.release();
    }
  });

  it('re-checks permissions when the Tear down button is clicked', async () => {
    const before = slack.calls.length;
    const payload = {
      type: 'block_actions',
      team: { id: 'T1', domain: 'lab' },
      user: { id: 'UREADER', username: 'reader', team_id: 'T1' },
      api_app_id: 'A1',
      token: 'legacy',
      container: { type: 'message', message_ts: '1700000000.000001', channel_id: 'CLAB', is_ephemeral: false },
      trigger_id: '1.2.3',
      channel: { id: 'CLAB', name: 'lab' },
      response_url: slack.responseUrl('click'),
      actions: [{ action_id: 'bgp_lab_run:down', block_id: 'b1', type: 'button', value: 'down', action_ts: '1700000000.1' }],
    };
    const res = await postSigned(port, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), { secret: SECRET });
    expect(res.status).toBe(200);
    await slack.waitFor(() => slack.calls.slice(before).some((c) => c.method === 'response_url'), 10_000, 'refusal');
    expect(slack.textOf(slack.calls.slice(before))).toContain('`down` needs operate permission');
    expect(audit().at(-1)).toMatchObject({ user: 'UREADER', command: 'down', outcome: 'denied', surface: 'slack' });
  });

  it('answers an unknown command with a hint, only to the caller', async () => {
    const before = slack.calls.length;
    await slash('rotues leaf0');
    await slack.waitFor(() => slack.calls.slice(before).some((c) => c.method === 'response_url'), 10_000, 'usage error');
    const text = slack.textOf(slack.calls.slice(before));
    expect(text).toContain('unknown command `rotues`');
    expect(audit().at(-1)).toMatchObject({ outcome: 'bad-input', line: 'rotues leaf0' });
  });

  it('answers an @mention in the channel', async () => {
    const before = slack.calls.length;
    const event = {
      token: 'legacy',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: 'Ev1',
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_mention', user: 'UREADER', text: '<@UBOT> audit --last 3', ts: '1700000000.000100', channel: 'CLAB', event_ts: '1700000000.000100' },
    };
    const res = await postSigned(port, JSON.stringify(event), { secret: SECRET, contentType: 'application/json' });
    expect(res.status).toBe(200);
    await slack.waitFor(() => slack.calls.slice(before).some((c) => c.method === 'chat.postMessage'), 10_000, 'mention answer');
    const post = slack.calls.slice(before).find((c) => c.method === 'chat.postMessage')!;
    expect(post.body.channel).toBe('CLAB');
    expect(slack.textOf([post])).toContain('audit');
    expect(audit().at(-1)).toMatchObject({ user: 'UREADER', command: 'audit', outcome: 'ok' });
  });

  it('offers a menu of routers for `/routes` without one', async () => {
    const before = slack.calls.length;
    await slash('', { command: '/routes' });
    await slack.waitFor(() => slack.calls.slice(before).some((c) => c.method === 'response_url'), 10_000, 'menu');
    const menu = slack.calls.slice(before).find((c) => c.method === 'response_url')!;
    const accessory = (menu.body.blocks as { accessory?: { type: string; action_id: string; option_groups: { options: { value: string }[] }[] } }[])[0]!.accessory!;
    expect(accessory.type).toBe('static_select');
    expect(accessory.option_groups[0]!.options.map((o) => o.value)).toContain('leaf0');
  });

  it('acks within 300 ms: median over 25 signed requests', async () => {
    const times: number[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await slash('topo show --quiet');
      expect(res.status).toBe(200);
      times.push(res.ms);
    }
    await slack.waitFor(() => audit().filter((e) => e.line === 'topo show').length >= 26, 20_000, 'all answered');
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    console.log(`ack latency over ${times.length} signed requests: median ${median.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`);
    expect(median).toBeLessThan(300);
    expect(times.at(-1)!).toBeLessThan(300);
  });

  it('cuts a result too big for one message and attaches it in full to the thread (files.uploadV2)', async () => {
    await bot.idle(); // earlier requests still being answered would audit after the fillers
    for (let i = 0; i < 300; i++)
      appendAudit({ at: new Date().toISOString(), lab: LAB, surface: 'cli', user: `filler${i}`, command: 'status', line: `status --marker-${i}`, outcome: 'ok', durationMs: i });
    const before = slack.calls.length;
    await slash('audit --last 300');
    await slack.waitFor(() => slack.calls.slice(before).some((c) => c.method === 'files.completeUploadExternal'), 15_000, 'upload');
    const calls = slack.calls.slice(before);
    const post = calls.find((c) => c.method === 'chat.postMessage')!;
    const blocks = post.body.blocks as { text?: { text: string } }[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) expect((b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
    expect(slack.textOf([post])).toMatch(/…\d+ more entries: the full result is attached/);
    expect(calls.map((c) => c.method)).toEqual(expect.arrayContaining(['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']));
    const complete = calls.find((c) => c.method === 'files.completeUploadExternal')!;
    expect(complete.body).toMatchObject({ channel_id: 'CLAB', thread_ts: post.reply.ts });
    const uploaded = String(calls.find((c) => c.method === 'upload')!.body.raw);
    expect(uploaded).toContain('status --marker-0');
    expect(uploaded).toContain('status --marker-299');
    // Earlier tests' requests may still finish after this one: find this command's entry.
    expect(audit().filter((e) => e.command === 'audit').at(-1)).toMatchObject({ command: 'audit', line: 'audit --last 300', outcome: 'ok' });
  });
});
