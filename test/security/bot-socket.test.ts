// Socket Mode, the README's default, end to end: the real bot (createBotApp, SLACK_MODE=socket)
// against a loopback server speaking Slack's Socket Mode protocol (test/bot/fake-slack.ts).
// apps.connections.open must reach SLACK_API_URL, every envelope is acked by envelope_id within
// 3 s, a refresh_requested disconnect and a dropped connection are followed by a new
// apps.connections.open and connection, and a redelivered envelope does not run twice.
// Commands here need no lab (topo show, audit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labName } from '../helpers/lab.js';
import { newTriggerId, startSocketTestBot, type FakeSlack, type FakeSocketMode } from '../bot/fake-slack.js';
import type { BotApp } from '../../bot/app.js';
import { readAudit } from '../../lab/state/audit.js';

const LAB = labName('bot-socket');
const stateDir = mkdtempSync(join(tmpdir(), 'bgp-lab-bot-socket-'));
process.env.BGP_LAB_STATE_DIR = stateDir;
delete process.env.BGP_LAB_AUDIT_LOG;

let slack: FakeSlack;
let socket: FakeSocketMode;
let bot: BotApp;

const slashPayload = (text: string, triggerId = newTriggerId()) => ({
  token: 'legacy',
  team_id: 'T1',
  team_domain: 'lab',
  channel_id: 'CLAB',
  channel_name: 'lab',
  user_id: 'UREADER',
  user_name: 'ureader',
  command: '/bgp-lab',
  text,
  api_app_id: 'A1',
  response_url: slack.responseUrl(triggerId),
  trigger_id: triggerId,
});

const mentionPayload = (text: string, eventId: string, ts: string) => ({
  token: 'legacy',
  team_id: 'T1',
  api_app_id: 'A1',
  type: 'event_callback',
  event_id: eventId,
  event_time: Math.floor(Date.now() / 1000),
  event: { type: 'app_mention', user: 'UREADER', text: `<@UBOT> ${text}`, ts, channel: 'CLAB', event_ts: ts },
});

const posts = (from: number) => slack.calls.slice(from).filter((c) => c.method === 'chat.postMessage');
const opens = () => slack.of('apps.connections.open');
const auditOf = (line: string) => readAudit().filter((e) => e.line === line);

beforeAll(async () => {
  ({ slack, socket, bot } = await startSocketTestBot({ BGP_LAB_NAME: LAB, SLACK_ALLOWED_CHANNELS: 'CLAB' }));
});

afterAll(async () => {
  await bot?.stop();
  await slack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('slack bot over Socket Mode', () => {
  it('opens its connection through SLACK_API_URL with the app token, and gets hello', async () => {
    expect(opens()).toHaveLength(1);
    expect(opens()[0]!.auth).toBe('Bearer xapp-test-token');
    await socket.waitForConnection(1);
  });

  it('acks a slash command by envelope_id within 3 s, then answers it in the channel', async () => {
    const from = slack.calls.length;
    const ack = await socket.send('slash_commands', slashPayload('topo show'));
    expect(ack.ms).toBeLessThan(3000);
    await slack.waitFor(() => posts(from).length > 0, 10_000, 'answer to the slash command');
    expect(posts(from)[0]!.body.channel).toBe('CLAB');
    expect(slack.textOf(posts(from))).toMatch(/topology cilium-bgp.*routers/);
    expect(posts(from)[0]!.auth).toBe('Bearer xoxb-test-token');
  });

  it('acks an app_mention event and answers it in its thread', async () => {
    const from = slack.calls.length;
    const ack = await socket.send('events_api', mentionPayload('audit --last 1', 'EvSock1', '1700000100.000001'));
    expect(ack.ms).toBeLessThan(3000);
    await slack.waitFor(() => posts(from).length > 0, 10_000, 'answer to the mention');
    expect(posts(from)[0]!.body).toMatchObject({ channel: 'CLAB', thread_ts: '1700000100.000001' });
    expect(slack.textOf(posts(from))).toContain('audit');
  });

  it('acks a button click (interactive) and runs the command on it', async () => {
    const from = slack.calls.length;
    const ack = await socket.send('interactive', {
      type: 'block_actions',
      team: { id: 'T1', domain: 'lab' },
      user: { id: 'UREADER', username: 'ureader', team_id: 'T1' },
      api_app_id: 'A1',
      token: 'legacy',
      container: { type: 'message', message_ts: '1700000000.000001', channel_id: 'CLAB', is_ephemeral: false },
      trigger_id: newTriggerId(),
      channel: { id: 'CLAB', name: 'lab' },
      response_url: slack.responseUrl('click'),
      actions: [{ action_id: 'bgp_lab_run:topo', block_id: 'b1', type: 'button', value: 'topo show', action_ts: '1700000000.1' }],
    });
    expect(ack.ms).toBeLessThan(3000);
    await slack.waitFor(() => posts(from).length > 0, 10_000, 'the click to run topo show');
    expect(slack.textOf(posts(from))).toMatch(/topology cilium-bgp.*routers/);
    expect(auditOf('topo show').at(-1)).toMatchObject({ surface: 'slack', user: 'UREADER', channel: 'CLAB', outcome: 'ok' });
  });

  it('reconnects through apps.connections.open after a refresh_requested disconnect, and works on the new connection', async () => {
    socket.requestRefresh();
    await socket.waitForConnection(2);
    expect(opens()).toHaveLength(2);
    const from = slack.calls.length;
    const ack = await socket.send('slash_commands', slashPayload('topo show'));
    expect(ack.connection).toBe(2);
    await slack.waitFor(() => posts(from).length > 0, 10_000, 'answer after the refresh');
  });

  it('reconnects after the connection is dropped; an envelope whose ack was lost is redelivered and not run again', async () => {
    // The bot receives and runs this one, but its ack never reaches "Slack"; then the line goes dead.
    const line = 'audit --last 2';
    const payload = mentionPayload(line, 'EvSockLost', '1700000200.000001');
    const envelopeId = 'env-lost-ack';
    socket.loseAcksOf(envelopeId);
    await expect(socket.send('events_api', payload, { envelopeId, timeoutMs: 1000 })).rejects.toThrow(/not acked/);
    const inThread = () => slack.of('chat.postMessage').filter((c) => c.body.thread_ts === '1700000200.000001');
    await slack.waitFor(() => auditOf(line).length === 1 && inThread().length === 1, 10_000, 'the first delivery to run and answer');
    socket.drop();
    await socket.waitForConnection(3);
    expect(opens()).toHaveLength(3);
    // Slack redelivers what it never saw acked: same envelope, retry_attempt 1. Acked, not run.
    socket.keepAcksOf(envelopeId);
    const redelivered = await socket.send('events_api', payload, { envelopeId, retryAttempt: 1 });
    expect(redelivered.connection).toBe(3);
    // And the same event in a new envelope (a retry of the event itself): acked, not run.
    const retried = await socket.send('events_api', payload, { retryAttempt: 2 });
    expect(retried.ms).toBeLessThan(3000);
    // A fresh command afterwards still runs: when its answer is there, any double run would be too.
    await socket.send('slash_commands', slashPayload('audit --last 3'));
    await slack.waitFor(() => auditOf('audit --last 3').length === 1, 10_000, 'the fresh command');
    await bot.idle();
    expect(auditOf(line)).toHaveLength(1);
    expect(inThread()).toHaveLength(1);
  });

  it('a slash command redelivered in the same envelope runs once', async () => {
    const payload = slashPayload('audit --last 4');
    const envelopeId = 'env-slash-twice';
    await socket.send('slash_commands', payload, { envelopeId });
    await socket.send('slash_commands', payload, { envelopeId, retryAttempt: 1 });
    await slack.waitFor(() => auditOf('audit --last 4').length >= 1, 10_000, 'the slash command');
    await bot.idle();
    expect(auditOf('audit --last 4')).toHaveLength(1);
  });

  it('acks and drops a malformed envelope without running anything or dying', async () => {
    const before = readAudit().length;
    const ack = await socket.send('slash_commands', { command: '/bgp-lab', text: 'help', trigger_id: newTriggerId() }); // no user, no channel
    expect(ack.ms).toBeLessThan(3000);
    await socket.send('slash_commands', slashPayload('audit --last 5'));
    await slack.waitFor(() => auditOf('audit --last 5').length === 1, 10_000, 'the next command');
    await bot.idle();
    expect(readAudit().length).toBe(before + 1);
  });
});
