// `graph` on a real seed lab, and the Slack rough spots, through the real bot on loopback:
// the PNG's size from its IHDR, the Mermaid export naming every device and changing when a
// link goes down, `/bgp-lab graph` uploading a PNG with files.getUploadURLExternal +
// files.completeUploadExternal, the game master alone seeing the drill's fault, `drill end`
// uploading its outage chart into the drill's thread, an empty `/bgp-lab` answered to the
// caller alone, matrix legends, and Run again re-running a check as the clicker.
import { labName, session, ok, cli } from '../helpers/lab.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeSlack, startTestBot, postSigned, slashBody, type Call } from '../bot/fake-slack.js';
import type { BotApp } from '../../bot/app.js';
import { Session } from '../../commands/execute.js';
import { readAudit } from '../../lab/state/audit.js';
import type { GraphResult } from '../../commands/graph.js';

const SECRET = 'look-signing-secret-0123456789';
const LAB = labName('look-graph');
const stateDir = mkdtempSync(join(tmpdir(), 'bgp-lab-look-graph-'));
const outDir = mkdtempSync(join(tmpdir(), 'bgp-lab-look-out-'));
process.env.BGP_LAB_STATE_DIR = stateDir;
delete process.env.BGP_LAB_AUDIT_LOG;

let slack: FakeSlack;
let bot: BotApp;
let port: number;
let n = 0;
const admin = session(LAB);
const asSlack = (user: string, level: 'read' | 'operate') => new Session({ lab: LAB, caller: { surface: 'slack', user, level } });

const since = (i: number, method?: string): Call[] => slack.calls.slice(i).filter((c) => !method || c.method === method);

async function slash(text: string, user = 'UREADER') {
  const body = slashBody({ command: '/bgp-lab', text, user, channel: 'CLAB', responseUrl: slack.responseUrl(`r${++n}`) });
  return postSigned(port, body, { secret: SECRET });
}

async function click(user: string, value: string) {
  const payload = {
    type: 'block_actions',
    team: { id: 'T1', domain: 'lab' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    container: { type: 'message', message_ts: '1700000000.000001', channel_id: 'CLAB', is_ephemeral: false },
    trigger_id: `9.9.${++n}`,
    channel: { id: 'CLAB', name: 'lab' },
    response_url: slack.responseUrl(`click${n}`),
    actions: [{ block_id: 'b1', action_ts: '1700000000.1', type: 'button', action_id: `bgp_lab_run:${value.replace(/\s+/g, '-')}`, value }],
  };
  return postSigned(port, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), { secret: SECRET });
}

/** Width and height from a PNG's IHDR (bytes 16–23), after checking the signature and chunk name. */
function ihdr(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const mermaid = async (s: Session) => {
  const o = await s.run('graph --format mermaid');
  if (o.error) throw new Error(o.error.message);
  return (o.result as GraphResult).text!;
};

beforeAll(async () => {
  ({ slack, bot, port } = await startTestBot(SECRET, { SLACK_OPERATORS: 'UOPER', SLACK_ADMINS: 'UADMIN', BGP_LAB_NAME: LAB }, { throttleMs: 300 }));
  await ok(admin, 'up --pods-per-node 1');
}, 120_000);

afterAll(async () => {
  try {
    await admin.run('drill end --abort');
    const out = await admin.run('down');
    if (!out.ok) throw new Error(`down failed: ${out.error?.message}`);
  } finally {
    await admin.close();
    await bot?.stop();
    await slack?.stop();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  }
});

describe('graph', () => {
  it('`graph --out x.png` writes a PNG of at least 600×300, and refuses a planted symlink', async () => {
    const file = join(outDir, 'x.png');
    const r = await cli(['--lab', LAB, 'graph', '--out', file]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain(`wrote the fabric picture (png,`);
    const { width, height } = ihdr(readFileSync(file));
    expect(width).toBeGreaterThanOrEqual(600);
    expect(height).toBeGreaterThanOrEqual(300);
    const target = join(outDir, 'victim');
    writeFileSync(target, 'keep');
    symlinkSync(target, join(outDir, 'link.png'));
    const refused = await cli(['--lab', LAB, 'graph', '--out', join(outDir, 'link.png')]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/it is a symlink/);
    expect(readFileSync(target, 'utf8')).toBe('keep');
  });

  it('`graph --format mermaid` names every router, node and pod, and changes when a link goes down', async () => {
    const before = await mermaid(admin);
    for (const name of ["spine0", "spine1", "leaf0", "leaf1", "cilium-bgp-control-plane", "cilium-bgp-worker", "cilium-bgp-worker2", "cilium-bgp-worker3", "app-control-plane", "app-worker2"]) expect(before).toContain(`"${name}<br/>`);
    expect(before).toMatch(/d0 ---\|"eth1 — eth1 · Established"\| d2/); // spine0 eth1 — leaf0 eth1
    expect(before).not.toContain('link down');
    await ok(admin, 'link leaf0 eth1 down');
    try {
      const after = await mermaid(admin);
      expect(after).not.toBe(before);
      expect(after).toMatch(/d0 -\.-\|"eth1 — eth1 · [A-Za-z]+ · ✗ link down"\| d2/);
      expect(after).toMatch(/linkStyle 0 stroke:#d62728,stroke-width:2px,stroke-dasharray:6 4/);
      const dot = (await admin.run('graph --format dot')).result as GraphResult;
      expect(dot.text).toMatch(/d0 -- d2 \[[^\]]*style=dashed/);
      expect(dot.notes).toContain('link down: spine0:eth1 — leaf0:eth1');
    } finally {
      await ok(admin, 'link leaf0 eth1 up');
    }
  });

  it('`--trace POD POD` marks the request and the reply on the cables they take', async () => {
    const r = (await admin.run('graph --trace app-control-plane app-worker2 --format mermaid')).result as GraphResult;
    expect(r.notes.find((x) => x.startsWith('request: '))).toMatch(/^request: app-control-plane → cilium-bgp-control-plane → leaf0 → spine[01] → leaf1 → cilium-bgp-worker2 → app-worker2$/);
    expect(r.text).toMatch(/trace (fwd|both)/);
    expect(r.text).toMatch(/trace (rev|both)/);
  });
});

describe('graph and the rough spots in Slack', () => {
  it('`/bgp-lab graph` uploads a PNG into the channel through the two upload calls', async () => {
    const start = slack.calls.length;
    const res = await slash('graph');
    expect(res.status).toBe(200);
    await slack.waitFor(() => since(start, 'files.completeUploadExternal').length > 0, 30_000, 'upload');
    const calls = since(start).map((c) => c.method);
    expect(calls.indexOf('files.getUploadURLExternal')).toBeLessThan(calls.indexOf('files.completeUploadExternal'));
    expect(calls).toContain('upload');
    const asked = since(start, 'files.getUploadURLExternal')[0]!;
    expect(asked.body.filename).toBe('cilium-bgp.png');
    expect(Number(asked.body.length)).toBeGreaterThan(10_000);
    const uploaded = String(since(start, 'upload')[0]!.body.raw ?? JSON.stringify(since(start, 'upload')[0]!.body));
    expect(uploaded).toContain('PNG\r\n');
    expect(uploaded).toContain('IHDR');
    const done = since(start, 'files.completeUploadExternal')[0]!;
    expect(done.body.channel_id).toBe('CLAB');
    expect(done.body.thread_ts).toBeUndefined(); // into the channel, not a thread
    expect(readAudit().filter((e) => e.command === 'graph' && e.user === 'UREADER').at(-1)).toMatchObject({ outcome: 'ok', surface: 'slack' });
  });

  it('`/bgp-lab graph --out FILE` is refused: nothing is written on the lab host from Slack', async () => {
    const start = slack.calls.length;
    await slash(`graph --out ${join(outDir, 'slack.png')}`);
    await slack.waitFor(() => since(start, 'response_url').length > 0, 10_000, 'refusal');
    expect(slack.textOf(since(start, 'response_url'))).toContain('`graph` from Slack takes no --out');
    expect(() => readFileSync(join(outDir, 'slack.png'))).toThrow();
  });

  it("a read user's `/bgp-lab vtysh leaf0 conf t` is refused with the reason, to them alone", async () => {
    const start = slack.calls.length;
    await slash('vtysh leaf0 conf t');
    await slack.waitFor(() => since(start, 'response_url').length > 0, 10_000, 'refusal');
    const answer = since(start, 'response_url')[0]!;
    expect(answer.body.response_type).toBe('ephemeral');
    expect(slack.textOf([answer])).toContain('`conf` is not `show`: it enters configuration mode');
    expect(since(start, 'chat.postMessage')).toEqual([]);
  });

  it('an empty `/bgp-lab` answers the caller alone: short, with buttons, nothing in the channel', async () => {
    const start = slack.calls.length;
    await slash('');
    await slack.waitFor(() => since(start, 'response_url').length > 0, 10_000, 'quick help');
    const answer = since(start, 'response_url')[0]!;
    expect(answer.body.response_type).toBe('ephemeral');
    const text = slack.textOf([answer]);
    expect(text.length).toBeLessThan(1500);
    expect(text).toContain('/bgp-lab graph');
    const actions = (answer.body.blocks as { type: string; elements?: { value?: string }[] }[]).find((b) => b.type === 'actions')!;
    expect(actions.elements!.map((e) => e.value)).toEqual(['status', 'peers', 'graph', 'check', 'help --quiet']);
    await new Promise((r) => setTimeout(r, 300));
    expect(since(start, 'chat.postMessage')).toEqual([]);
  });

  it('a check names its matrix columns and offers Run again, which re-runs it as the clicker', async () => {
    const start = slack.calls.length;
    await slash('check --count 1');
    await slack.waitFor(() => since(start).some((c) => /check: \d+ passed/.test(String(c.body.text))), 60_000, 'check result');
    const result = since(start).find((c) => /check: \d+ passed/.test(String(c.body.text)))!;
    const text = slack.textOf([result]);
    expect(text).toMatch(/\*ping\*: row pod pings column pod/);
    expect(text).toContain('columns: 1 = app-control-plane · 2 = app-worker · 3 = app-worker2 · 4 = app-worker3');
    const actions = (result.body.blocks as { type: string; elements?: { value?: string; text?: { text: string } }[] }[]).find((b) => b.type === 'actions')!;
    expect(actions.elements!.map((e) => [e.text!.text, e.value])).toEqual([['Run again', 'check --count 1']]);

    const again = slack.calls.length;
    const checksBefore = readAudit().filter((e) => e.command === 'check').length;
    await click('UOPER', 'check --count 1');
    await slack.waitFor(() => since(again).some((c) => /check: \d+ passed/.test(String(c.body.text))), 60_000, 'second check');
    const checks = readAudit().filter((e) => e.command === 'check');
    expect(checks.length).toBe(checksBefore + 1);
    expect(checks.at(-1)).toMatchObject({ user: 'UOPER', surface: 'slack', line: 'check --count 1', outcome: 'ok' });
  });

  it('the drill fault is marked for the game master only; its pictures and `drill end`\'s outage chart go into the drill\'s thread', async () => {
    const start = slack.calls.length;
    await slash('drill start spine-down', 'UOPER');
    await slack.waitFor(() => since(start).some((c) => /went down/.test(String(c.body.text) + JSON.stringify(c.body.blocks ?? ''))), 90_000, 'the page');
    const page = since(start).find((c) => /went down/.test(String(c.body.text) + JSON.stringify(c.body.blocks ?? '')))!;
    const threadTs = String(page.method === 'chat.update' ? page.body.ts : page.reply.ts);

    const gm = await mermaid(asSlack('UOPER', 'operate'));
    expect(gm).toMatch(/d0\["spine0<br\/>AS 500<br\/>10\.1\.10\.2<br\/>⚠ bgpd not running<br\/>⚡ drill fault"\]/);
    expect(gm).toContain('class d0 fault');
    const other = await mermaid(asSlack('UREADER', 'read'));
    expect(other).toContain('⚠ bgpd not running'); // what anyone can see
    expect(other).not.toContain('drill fault');

    // A picture asked for during the drill goes into the drill's thread.
    const pic = slack.calls.length;
    await slash('graph', 'UOPER');
    await slack.waitFor(() => since(pic, 'files.completeUploadExternal').length > 0, 30_000, 'graph upload');
    expect(since(pic, 'files.completeUploadExternal')[0]!.body.thread_ts).toBe(threadTs);

    const chart = join(outDir, 'outage.png');
    const r = (await admin.run(`graph --drill --out ${chart}`)).result as GraphResult;
    expect(r.view).toBe('drill');
    expect(ihdr(readFileSync(chart)).width).toBeGreaterThanOrEqual(600);

    const end = slack.calls.length;
    await slash('drill end', 'UOPER');
    await slack.waitFor(() => since(end, 'files.getUploadURLExternal').some((c) => c.body.filename === 'drill-spine-down-outage.png'), 90_000, 'outage chart');
    await slack.waitFor(() => since(end, 'files.completeUploadExternal').length > 0, 10_000, 'upload done');
    const done = since(end, 'files.completeUploadExternal').at(-1)!;
    expect(done.body.channel_id).toBe('CLAB');
    expect(done.body.thread_ts).toBe(threadTs);
  });
});
