// Finding 9 (drill fairness, file permissions, .env warning, CLI identity). `drill hint` reads
// and updates only the drill's state, so the drill here is the state file a Slack `drill start`
// by an operator leaves (its fault targeted on the seed topology): no fabric is needed.
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { BIN as OUR_BIN, labName } from '../helpers/lab.js';
import { Session } from '../../commands/execute.js';
import { findScenario } from '../../lab/drills/index.js';
import { loadTopology } from '../../lab/topology/load.js';
import { DEFAULT_TOPOLOGY_FILE } from '../../lab/paths.js';
import { readDrill } from '../../lab/state/drill-state.js';
import { History } from '../../src/repl/history.js';

const BIN = process.env.BGP_LAB_SECURITY_BIN ?? OUR_BIN;
const LAB = labName('fair');
const tmp = mkdtempSync(join(tmpdir(), 'bgp-lab-fair-'));
const STATE = join(tmp, 'state'); // created by the code under test (or left wide, as older versions did)
process.env.BGP_LAB_STATE_DIR = STATE;

function cli(args: string[], env: Record<string, string | undefined> = {}, cwd?: string) {
  const e: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', BGP_LAB_STATE_DIR: STATE, ...env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete e[k];
  return execa(BIN, ['--lab', LAB, ...args], { reject: false, timeout: 60_000, env: e, extendEnv: false, cwd });
}

/** The state a `drill start spine-down` from Slack by operator UOPER leaves behind. */
function plantDrill(): void {
  const s = findScenario('spine-down');
  const topo = loadTopology(DEFAULT_TOPOLOGY_FILE);
  mkdirSync(join(STATE, 'drills'), { recursive: true, mode: 0o755 });
  chmodSync(STATE, 0o755);
  writeFileSync(
    join(STATE, 'drills', `${LAB}.json`),
    JSON.stringify({ lab: LAB, id: s.id, title: s.title, startedAt: new Date().toISOString(), startedBy: 'UOPER', surface: 'slack', hintsUsed: 0, fault: s.target(topo), hidden: true, actions: [], phase: 'running', injectedAt: new Date().toISOString() }),
    { mode: 0o644 },
  );
}

const as = (user: string, level: 'read' | 'operate' | 'admin') => new Session({ lab: LAB, caller: { surface: 'slack', user, level } });

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('drill fairness', () => {
  it("a read user cannot burn the responder's hints; the responder and operators can", async () => {
    plantDrill();
    const reader = as('UREADER', 'read');
    for (let i = 0; i < 3; i++) {
      const o = await reader.run('drill hint');
      expect(o.status).toBe('denied');
      expect(o.error?.message).toMatch(/only the drill's responder \(<@UOPER>\) or an operator takes its hints/);
    }
    expect((await readDrill(LAB))?.hintsUsed).toBe(0);
    expect((await as('UOPER', 'read').run('drill hint')).ok).toBe(true); // who started it (even if demoted since)
    expect((await as('UOTHER', 'operate').run('drill hint')).ok).toBe(true);
    expect((await readDrill(LAB))?.hintsUsed).toBe(2);
  });
});

describe('state files', () => {
  it('are 0600 in 0700 directories (the drill file names a --random scenario)', async () => {
    // `down` ends the drill (score line), takes the lock, audits; the REPL keeps history.
    const down = await cli(['down']);
    expect(down.exitCode, String(down.stderr)).toBe(0);
    new History(join(STATE, 'history')).add('peers');
    plantDrill();
    expect((await as('UOPER', 'operate').run('drill hint')).ok).toBe(true); // rewrites the drill file
    const wide: string[] = [];
    const walk = (dir: string) => {
      if ((statSync(dir).mode & 0o777) !== 0o700) wide.push(`${dir} ${(statSync(dir).mode & 0o777).toString(8)}`);
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if ((statSync(p).mode & 0o777) !== 0o600) wide.push(`${p} ${(statSync(p).mode & 0o777).toString(8)}`);
      }
    };
    walk(STATE);
    const names = readdirSync(STATE, { recursive: true }).map(String).sort();
    expect(names).toEqual(expect.arrayContaining(['audit.log', 'history', 'locks', `locks/${LAB}.lock`, 'drills', `drills/${LAB}.json`, 'drills/scores.jsonl']));
    expect(wide).toEqual([]);
  });
});

describe('.env and identity', () => {
  it('warns in one line when .env is readable by others, not when it is 0600', async () => {
    const cwd = join(tmp, 'cwd');
    mkdirSync(cwd, { recursive: true });
    writeFileSync(join(cwd, '.env'), 'SLACK_BOT_TOKEN=xoxb-not-a-real-token\n');
    chmodSync(join(cwd, '.env'), 0o644);
    const open = await cli(['audit', '--last', '1'], {}, cwd);
    expect(open.exitCode).toBe(0);
    const warning = String(open.stderr).split('\n').filter((l) => l.includes('.env'));
    expect(warning).toEqual([`warning: ${join(cwd, '.env')} is readable by everyone (mode 0644) and may hold tokens: chmod 600 ${join(cwd, '.env')}`]);
    chmodSync(join(cwd, '.env'), 0o600);
    expect(String((await cli(['audit', '--last', '1'], {}, cwd)).stderr)).not.toContain('.env');
  });

  it('audits $SUDO_USER, else the login of the uid — never a spoofable $USER or `local`', async () => {
    const who = async (env: Record<string, string | undefined>) => {
      await cli(['down'], env);
      const r = await cli(['--json', 'audit', '--last', '1']);
      return (JSON.parse(String(r.stdout)) as { entries: { user: string }[] }).entries.at(-1)?.user;
    };
    const login = userInfo().username;
    expect(await who({ SUDO_USER: 'alice', USER: 'root' })).toBe('alice');
    expect(await who({ SUDO_USER: undefined, USER: 'mallory' })).toBe(login);
    expect(await who({ SUDO_USER: undefined, USER: undefined, LOGNAME: undefined })).toBe(login);
  });
});
