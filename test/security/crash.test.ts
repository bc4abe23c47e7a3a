// Finding 7: a crash at any step leaves state that `status`/`audit` describe truly and that
// `down` / `drill end` repair. The CLI runs as a child with its own state dir, on one real lab;
// stand-ins on PATH (kill-stand-in.ts) SIGKILL it at a precise step of `drill start`.
import { afterAll, describe, expect, it } from 'vitest';
import { execa, type ResultPromise } from 'execa';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN as OUR_BIN, labName } from '../helpers/lab.js';
import { standIns } from './kill-stand-in.js';
import type { DrillStatusResult } from '../../commands/drill-results.js';

const BIN = process.env.BGP_LAB_SECURITY_BIN ?? OUR_BIN;
const LAB = labName('crash');
const tmp = mkdtempSync(join(tmpdir(), 'bgp-lab-crash-'));
const STATE = join(tmp, 'state');
const FULL = join(tmp, 'full');
const PATH = standIns(join(tmp, 'bin'), ['ip', 'mkdir']);
mkdirSync(STATE, { recursive: true });

function cli(args: string[], env: Record<string, string> = {}, timeout = 120_000): ResultPromise {
  return execa(BIN, ['--lab', LAB, ...args], { reject: false, timeout, env: { ...process.env, PATH, NO_COLOR: '1', BGP_LAB_STATE_DIR: STATE, ...env }, extendEnv: false });
}

function namespaces(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(`bgplab.${LAB}.`));
}

/** `ping` processes inside this lab's namespaces (probers). */
function pings(): string[] {
  const out: string[] = [];
  for (const ns of namespaces()) {
    let pids: string[] = [];
    try {
      pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split('\n').filter(Boolean);
    } catch {
      continue;
    }
    for (const pid of pids) {
      try {
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'ping') out.push(`${ns}: ${pid}`);
      } catch {
        // exited
      }
    }
  }
  return out;
}

async function json<T>(args: string[]): Promise<T> {
  const r = await cli(['--json', ...args]);
  expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(String(r.stdout)) as T;
}

type AuditRow = { id?: string; command: string; line: string; outcome: string };
const audit = async () => (await json<{ entries: AuditRow[] }>(['audit', '--last', '200'])).entries;

afterAll(async () => {
  await cli(['down', '--force']);
  if (namespaces().length) await cli(['down']);
  try {
    execFileSync('umount', [FULL], { stdio: 'ignore' });
  } catch {
    // not mounted
  }
  rmSync(tmp, { recursive: true, force: true });
}, 120_000);

describe('crashes leave no lies', () => {
  it('SIGTERM during `up` rolls the lab back and audits it cancelled', async () => {
    const up = cli(['up', '--pods-per-node', '1']);
    const deadline = Date.now() + 60_000;
    while (!namespaces().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(namespaces().length).toBeGreaterThan(0);
    up.kill('SIGTERM');
    const r = await up;
    expect(r.signal, 'the CLI handled SIGTERM instead of dying of it').toBeUndefined();
    expect(namespaces()).toEqual([]);
    const last = (await audit()).filter((e) => e.command === 'up').at(-1);
    expect(last?.outcome).toBe('cancelled');
    expect(String(r.stderr)).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('kill -9 at each step of `drill start`: status is truthful, `drill end` restores and scores aborted, no ping left, the next start works', async () => {
    const up = await cli(['up', '--replace', '--pods-per-node', '1']);
    expect(up.exitCode, String(up.stderr)).toBe(0);
    // Each step: which program the stand-in hits (the first one the CLI runs at that step).
    const steps = [
      { step: 'intent', injected: false, env: { STANDIN_MATCH: '^-p (-- )?\\S+/drill$', STANDIN_ACTION: 'kill-before' } },
      { step: 'prober', injected: false, env: { STANDIN_MATCH: '^netns exec \\S+ start-stop-daemon --start', STANDIN_ACTION: 'kill-after' } },
      { step: 'inject', injected: true, env: { STANDIN_MATCH: '^netns exec \\S+ ip link set dev \\S+ down$', STANDIN_ACTION: 'kill-after' } },
    ];
    const figures: string[] = [];
    for (const s of steps) {
      const once = join(tmp, `once-${s.step}`);
      const start = await cli(['drill', 'start', 'leaf-uplink-down'], { ...s.env, STANDIN_ONCE: once });
      expect(existsSync(once), `${s.step}: the stand-in fired (${start.stderr})`).toBe(true);
      expect(start.signal, `${s.step}: ${start.stderr}`).toBe('SIGKILL');
      const status = await json<DrillStatusResult>(['drill', 'status']);
      figures.push(`${s.step}: status phase=${status.phase} injected=${status.faultInjected} interrupted=${status.interrupted} page=${Boolean(status.page)}`);
      expect(status.running).toBe(true);
      expect(status.interrupted, figures.at(-1)).toBe(true);
      expect(status.faultInjected, figures.at(-1)).toBe(s.injected ? 'maybe' : 'no');
      if (!s.injected) expect(status.page, 'no page for a fault never injected').toBeUndefined();
      // Nothing was solved: `drill check` and hints refuse; `drill end` restores and scores aborted.
      const end = await cli(['--json', 'drill', 'end']);
      expect(end.exitCode, `${s.step}: ${end.stderr}`).toBe(0);
      const ended = JSON.parse(String(end.stdout)) as { outcome: string; diff: string[] };
      expect(ended.outcome).toBe('aborted');
      expect(ended.diff).toEqual([]);
      expect(pings(), `${s.step}: no prober left`).toEqual([]);
      expect((await json<DrillStatusResult>(['drill', 'status'])).running).toBe(false);
      const unfinished = (await audit()).filter((e) => e.command === 'drill start' && e.outcome === 'unfinished');
      expect(unfinished.length, `${s.step}: the killed start shows as never finished`).toBeGreaterThanOrEqual(steps.indexOf(s) + 1);
    }
    console.log(figures.join('\n'));
    const scores = await json<{ scores: { outcome: string }[] }>(['drill', 'scores']);
    expect(scores.scores.map((x) => x.outcome)).toEqual(['aborted', 'aborted', 'aborted']);
    // And after all that, a drill starts and ends normally.
    const start = await cli(['drill', 'start', 'leaf-uplink-down']);
    expect(start.exitCode, String(start.stderr)).toBe(0);
    expect((await json<DrillStatusResult>(['drill', 'status'])).phase).toBe('running');
    const end = await cli(['drill', 'end', '--abort']);
    expect(end.exitCode, String(end.stderr)).toBe(0);
    expect(pings()).toEqual([]);
  }, 300_000);

  it('a full disk under the audit log refuses a mutating command before it runs, in one line', async () => {
    mkdirSync(FULL, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', FULL]);
    try {
      writeFileSync(join(FULL, 'filler'), Buffer.alloc(256 * 1024));
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    const carrier = () => JSON.parse(execFileSync('ip', ['-n', `bgplab.${LAB}.leaf0`, '-j', 'link', 'show', 'dev', 'eth1'], { encoding: 'utf8' }))[0].flags as string[];
    expect(carrier()).toContain('UP');
    const r = await cli(['link', 'leaf0', 'eth1', 'down'], { BGP_LAB_AUDIT_LOG: join(FULL, 'audit.log') });
    expect(r.exitCode).toBe(1);
    const lines = String(r.stderr).trim().split('\n');
    expect(lines, String(r.stderr)).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: cannot write the audit log .*ENOSPC.*`link leaf0 eth1 down` was not run/);
    expect(carrier(), 'the command did not run').toContain('UP');
  }, 60_000);
});
