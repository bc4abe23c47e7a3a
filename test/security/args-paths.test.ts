// No path of the lab host from Slack (the real bot over signed HTTP), uploads instead; from the
// CLI, --out never follows a planted symlink nor writes into a foreign non-empty directory, and
// opening a topology refuses a FIFO or a device at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeSlack, postSigned, slashBody, startTestBot } from '../bot/fake-slack.js';
import type { BotApp } from '../../bot/app.js';
import { cli, labName } from '../helpers/lab.js';

const SECRET = 'test-signing-secret-args-paths';
const LAB = labName('args-paths');
const dir = mkdtempSync(join(tmpdir(), 'bgp-lab-args-paths-'));
const stateDir = mkdtempSync(join(tmpdir(), 'bgp-lab-args-paths-state-'));
process.env.BGP_LAB_STATE_DIR = stateDir;

let slack: FakeSlack;
let bot: BotApp;
let port: number;
let n = 0;

beforeAll(async () => {
  ({ slack, bot, port } = await startTestBot(SECRET, { SLACK_ALLOWED_CHANNELS: 'CLAB', BGP_LAB_NAME: LAB }));
});

afterAll(async () => {
  await bot?.stop();
  await slack?.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

/** A read user's slash command; resolves with the calls it caused once it was answered. */
async function slash(text: string, answered: (methods: string[]) => boolean) {
  const before = slack.calls.length;
  const body = slashBody({ command: '/bgp-lab', text, user: 'UREADER', channel: 'CLAB', responseUrl: slack.responseUrl(`p${++n}`) });
  const res = await postSigned(port, body, { secret: SECRET });
  expect(res.status).toBe(200);
  await slack.waitFor(() => answered(slack.calls.slice(before).map((c) => c.method)), 15_000, `answer to ${text}`);
  return slack.calls.slice(before);
}
const refusal = (m: string[]) => m.includes('response_url');

describe('from Slack, no command names a path of the lab host', () => {
  it('render --out, topo generate --out, topo validate FILE and --topology are refused and write nothing', async () => {
    const out = join(dir, 'slack-render');
    const gen = join(dir, 'slack-gen.yaml');
    for (const [text, reason] of [
      [`render --out ${out}`, /takes no --out/],
      [`topo generate --spines 1 --leaves 1 --nodes-per-rack 1 --out ${gen}`, /takes no --out/],
      ['topo validate /etc/passwd', /built-in topology name, not a path/],
      [`topo validate ${join(dir, 'x.fifo')}`, /built-in topology name, not a path/],
      ['render --topology /etc/passwd', /no option --topology/],
    ] as const) {
      const calls = await slash(text, refusal);
      expect(slack.textOf(calls.filter((c) => c.method === 'response_url')), text).toMatch(reason);
      expect(calls.some((c) => c.method === 'files.getUploadURLExternal'), text).toBe(false);
    }
    expect(existsSync(out)).toBe(false);
    expect(existsSync(gen)).toBe(false);
  });

  it('topo validate takes a built-in topology by name', async () => {
    const calls = await slash('topo validate cilium-bgp', (m) => m.includes('chat.postMessage'));
    expect(slack.textOf(calls)).toMatch(/ok: true|valid|cilium-bgp/);
  });

  it('render from Slack writes nothing on the host and uploads the files as one tar archive', async () => {
    const calls = await slash('render', (m) => m.includes('files.completeUploadExternal'));
    const upload = calls.find((c) => c.method === 'files.getUploadURLExternal')!;
    expect(upload.body.filename).toBe(`${LAB}-render.tar`);
    const sent = calls.find((c) => c.method === 'upload')!;
    const raw = JSON.stringify(sent.body);
    expect(raw).toContain(`${LAB}/3-install-cilium.sh`);
    expect(raw).toContain('ustar');
    expect(existsSync(join(process.cwd(), 'out', LAB))).toBe(false);
  });

  it('topo generate from Slack uploads the YAML', async () => {
    const calls = await slash('topo generate --spines 1 --leaves 1 --nodes-per-rack 1', (m) => m.includes('files.completeUploadExternal'));
    expect(calls.find((c) => c.method === 'files.getUploadURLExternal')!.body.filename).toBe('cilium-bgp.yaml');
  });
});

describe('from the CLI, --out is careful', () => {
  it('render into a directory with planted symlinks follows none of them', async () => {
    const out = join(dir, 'render');
    expect((await cli(['render', '--out', out])).exitCode).toBe(0);
    const victim = join(dir, 'victim');
    const victimDir = join(dir, 'victim-dir');
    writeFileSync(victim, 'precious\n');
    mkdirSync(victimDir);
    rmSync(join(out, 'clab.yaml'));
    symlinkSync(victim, join(out, 'clab.yaml'));
    rmSync(join(out, 'frr'), { recursive: true });
    symlinkSync(victimDir, join(out, 'frr'));
    const r = await cli(['render', '--out', out]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/symlink/);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(execFileSync('ls', ['-A', victimDir], { encoding: 'utf8' })).toBe('');
    // The target itself a symlink: refused too.
    const linked = join(dir, 'render-link');
    symlinkSync(victimDir, linked);
    expect((await cli(['render', '--out', linked])).exitCode).toBe(2);
    expect(execFileSync('ls', ['-A', victimDir], { encoding: 'utf8' })).toBe('');
  });

  it('a non-empty directory bgp-lab did not make is refused without --force', async () => {
    const foreign = join(dir, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine\n');
    const r = await cli(['render', '--out', foreign]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/not empty.*--force/);
    expect(existsSync(join(foreign, 'clab.yaml'))).toBe(false);
    expect((await cli(['render', '--out', foreign, '--force'])).exitCode).toBe(0);
    expect(lstatSync(join(foreign, '1-setup-k8s.sh')).mode & 0o777).toBe(0o755);
  });

  it('topo generate --out refuses a symlink and a non-empty file without --force', async () => {
    const victim = join(dir, 'victim2');
    writeFileSync(victim, 'precious\n');
    const link = join(dir, 'gen-link.yaml');
    symlinkSync(victim, link);
    const args = ['topo', 'generate', '--spines', '1', '--leaves', '1', '--nodes-per-rack', '1', '--out'];
    expect((await cli([...args, link])).exitCode).toBe(2);
    expect((await cli([...args, link, '--force'])).exitCode).toBe(2);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    const r = await cli([...args, victim]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/not empty.*--force/);
    expect((await cli([...args, victim, '--force'])).exitCode).toBe(0);
    expect(readFileSync(victim, 'utf8')).toMatch(/routers:/);
  });
});

describe('opening a topology: a regular file of bounded size only', () => {
  it('a FIFO is refused at once (nothing blocks), /dev/zero without reading it', async () => {
    const fifo = join(dir, 'topo.fifo');
    execFileSync('mkfifo', [fifo]);
    const t0 = performance.now();
    const r = await cli(['topo', 'validate', fifo], { timeout: 20_000 });
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/is a FIFO, not a regular file/);
    expect(performance.now() - t0).toBeLessThan(10_000);
    const z = await cli(['topo', 'validate', '/dev/zero'], { timeout: 20_000 });
    expect(z.timedOut).toBe(false);
    expect(z.exitCode).toBe(2);
    expect(z.stderr).toMatch(/is a device, not a regular file/);
    const t = await cli(['--topology', fifo, 'topo', 'show'], { timeout: 20_000 });
    expect(t.exitCode).toBe(2);
    expect(t.stderr).toMatch(/FIFO/);
  });
});
