// Finding 6: the lab lock excludes. The CLI runs as a child process with its own state dir;
// a stand-in `ip` on PATH records when each `link` command is inside its critical section
// (the handler's `ip netns exec … ip link set`), so two commands at once show as overlapping
// intervals. No fabric is needed: the command fails after the stand-in (no namespace), which
// is after the section we measure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa, type ResultPromise } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN as OUR_BIN, labName } from '../helpers/lab.js';
import { overlaps, standIns } from './kill-stand-in.js';
import { FakeSlack, postSigned, slashBody } from '../bot/fake-slack.js';

// BGP_LAB_SECURITY_BIN: measure another build (the baseline) with the same test.
const BIN = process.env.BGP_LAB_SECURITY_BIN ?? OUR_BIN;
const LAB = labName('lock');
const tmp = mkdtempSync(join(tmpdir(), 'bgp-lab-lock-'));
const STATE = join(tmp, 'state');
const PATH = standIns(join(tmp, 'bin'), ['ip']);
const LINK = '^netns exec \\S+ ip link set dev eth1';
const children: ResultPromise[] = [];

function cli(args: string[], env: Record<string, string> = {}, opts: { cwd?: string; stateDir?: string | null } = {}) {
  const e: Record<string, string | undefined> = { ...process.env, PATH, NO_COLOR: '1', BGP_LAB_STATE_DIR: opts.stateDir === null ? undefined : opts.stateDir ?? STATE, ...env };
  const child = execa(BIN, ['--lab', LAB, ...args], { reject: false, timeout: 60_000, env: e, extendEnv: false, cwd: opts.cwd });
  children.push(child);
  return child;
}

async function waitFile(path: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A `link` command stopped inside its critical section by a hanging stand-in (it holds the lock). */
async function holder(tag: string): Promise<{ child: ResultPromise; stop: () => Promise<void> }> {
  const once = join(tmp, `hang-${tag}`);
  const child = cli(['link', 'leaf0', 'eth1', 'up'], { STANDIN_MATCH: LINK, STANDIN_ACTION: 'hang', STANDIN_ONCE: once });
  await waitFile(join(once, 'pid'));
  const sleeper = Number(readFileSync(join(once, 'pid'), 'utf8'));
  return {
    child,
    stop: async () => {
      child.kill('SIGKILL');
      try {
        process.kill(sleeper, 'SIGKILL');
      } catch {
        // gone
      }
      await child;
    },
  };
}

beforeAll(() => mkdirSync(STATE, { recursive: true }));

afterAll(async () => {
  for (const c of children) if (c.exitCode === undefined) c.kill('SIGKILL');
  await cli(['down', '--force']);
  rmSync(tmp, { recursive: true, force: true });
});

describe('the lab lock', () => {
  it('lets one mutation at a time run after a holder was killed, with 8 at once (3 rounds)', async () => {
    const figures: string[] = [];
    for (let round = 0; round < 3; round++) {
      // A stale lock as a real crash leaves it: its holder killed -9 inside the command.
      await (await holder(`stale-${round}`)).stop();
      const log = join(tmp, `record-${round}.log`);
      writeFileSync(log, '');
      const runs = await Promise.all(Array.from({ length: 8 }, () => cli(['link', 'leaf0', 'eth1', 'up'], { STANDIN_MATCH: LINK, STANDIN_ACTION: 'record', STANDIN_LOG: log })));
      const o = overlaps(readFileSync(log, 'utf8'));
      const busy = runs.filter((r) => /busy: `link leaf0 eth1 up`/.test(String(r.stderr))).length;
      figures.push(`round ${round}: ${o.intervals} ran, ${o.overlapping} overlapping, ${busy} busy`);
      expect(o.intervals, figures.join('\n')).toBeGreaterThanOrEqual(1); // the crashed holder did not block it
      expect(o.overlapping, figures.join('\n')).toBe(0);
      for (const r of runs) expect(String(r.stderr)).not.toMatch(/\n\s+at /); // no stack trace
    }
    console.log(figures.join('\n'));
  }, 90_000);

  it('is taken at once when the file names a live unrelated process (pid 1, another start time)', async () => {
    mkdirSync(join(STATE, 'locks'), { recursive: true });
    const old = new Date(Date.now() - 3600_000).toISOString();
    writeFileSync(
      join(STATE, 'locks', `${LAB}.lock`),
      JSON.stringify({ lab: LAB, command: 'up', owner: 'ghost', surface: 'cli', pid: 1, host: hostname(), startedAt: old, holder: { pid: 1, startTicks: 1, host: hostname() }, helper: { pid: 1, startTicks: 1, host: hostname() } }),
    );
    const log = join(tmp, 'pid1.log');
    writeFileSync(log, '');
    const started = Date.now();
    const r = await cli(['link', 'leaf0', 'eth1', 'up'], { STANDIN_MATCH: LINK, STANDIN_ACTION: 'record', STANDIN_LOG: log });
    console.log(`lock naming pid 1: command ran after ${Date.now() - started} ms (including CLI start)`);
    expect(String(r.stderr)).not.toMatch(/busy/);
    expect(overlaps(readFileSync(log, 'utf8')).intervals).toBe(1);
    const down = await cli(['down']);
    expect(down.exitCode, String(down.stderr)).toBe(0);
  });

  it('`down` says who holds it and how to break it; `down --force` breaks it and names the holder', async () => {
    const h = await holder('live');
    try {
      const down = await cli(['down']);
      expect(down.exitCode).toBe(1);
      expect(String(down.stderr)).toMatch(/busy: `link leaf0 eth1 up` by \S+ \(cli\), started \d+ s ago/);
      expect(String(down.stderr)).toContain('down --force');
      // Held past the age limit (1 s here): said to be possibly stuck, with the way out.
      await new Promise((r) => setTimeout(r, 1100));
      const old = await cli(['down'], { BGP_LAB_LOCK_MAX_AGE: '1' });
      expect(String(old.stderr).trim()).toMatch(/longer than the 1 s a command may hold a lab \(BGP_LAB_LOCK_MAX_AGE\): it may be stuck — if it is stuck, an admin can break the lock with `down --force`$/);
      const forced = await cli(['down', '--force']);
      expect(forced.exitCode, String(forced.stderr)).toBe(0);
      expect(String(forced.stdout)).toMatch(new RegExp(`broke the lock held by \`link leaf0 eth1 up\` by \\S+ \\(cli, pid ${h.child.pid} on ${hostname()}, since `));
      // The lock is free again for everyone.
      const again = await cli(['down']);
      expect(again.exitCode, String(again.stderr)).toBe(0);
    } finally {
      await h.stop();
    }
  });

  it('CLI and bot take their state dir from the same .env', async () => {
    const cwd = join(tmp, 'bot-cwd');
    const fromEnv = join(tmp, 'state-from-env');
    mkdirSync(cwd, { recursive: true });
    const slack = await new FakeSlack().start();
    const secret = 'lock-test-signing-secret';
    writeFileSync(
      join(cwd, '.env'),
      [`SLACK_BOT_TOKEN=xoxb-test-token`, `SLACK_SIGNING_SECRET=${secret}`, 'SLACK_MODE=http', 'BGP_LAB_BOT_PORT=0', `SLACK_API_URL=${slack.apiUrl}`, `BGP_LAB_STATE_DIR=${fromEnv}`, `BGP_LAB_NAME=${LAB}`].join('\n') + '\n',
      { mode: 0o600 },
    );
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
    delete env.BGP_LAB_STATE_DIR;
    const bot = execa(BIN, ['bot'], { cwd, env, extendEnv: false, reject: false });
    children.push(bot);
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let err = '';
        bot.stderr!.on('data', (c: Buffer) => {
          err += c.toString();
          const m = /127\.0\.0\.1:(\d+)\/slack\/events/.exec(err);
          if (m) resolve(Number(m[1]));
        });
        void bot.then(() => reject(new Error(`bot exited: ${err}`)));
      });
      const body = slashBody({ command: '/bgp-lab', text: 'audit', user: 'UENVBOT', channel: 'CLAB', responseUrl: slack.responseUrl('env') });
      expect((await postSigned(port, body, { secret })).status).toBe(200);
      const deadline = Date.now() + 20_000;
      while (!slack.calls.some((c) => c.method === 'response_url') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(readFileSync(join(fromEnv, 'audit.log'), 'utf8')).toContain('"user":"UENVBOT"');
      // The CLI, started in the same directory with no BGP_LAB_STATE_DIR of its own, reads that log.
      const r = await cli(['--json', 'audit', '--last', '50'], {}, { cwd, stateDir: null });
      expect(r.exitCode, String(r.stderr)).toBe(0);
      const entries = (JSON.parse(String(r.stdout)) as { entries: { user: string; surface: string }[] }).entries;
      expect(entries.some((e) => e.user === 'UENVBOT' && e.surface === 'slack')).toBe(true);
    } finally {
      bot.kill('SIGTERM');
      await bot;
      await slack.stop?.();
    }
  });
});
