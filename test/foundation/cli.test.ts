// The one-shot CLI as users run it: bin/bgp-lab on the built dist/, exit codes 0/1/2, --json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, DEFAULT_TOPOLOGY_FILE } from '../../lab/paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'bgp-lab-cli-'));
const bin = join(PROJECT_ROOT, 'bin/bgp-lab');

function cli(...args: string[]) {
  return execa(bin, args, { cwd: tmp, reject: false, env: { BGP_LAB_STATE_DIR: join(tmp, 'state') }, stdin: 'ignore' });
}

beforeAll(() => {
  // Built once for the whole suite by the global setup: rebuilding here raced other files
  // running the CLI (a REPL started while its bundle was being rewritten).
  expect(existsSync(join(PROJECT_ROOT, 'dist/src/cli.js'))).toBe(true);
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bgp-lab CLI', () => {
  it('--help lists the commands and exits 0', async () => {
    const r = await cli('--help');
    expect(r.exitCode).toBe(0);
    for (const c of ['render', 'topo generate', 'topo validate', 'topo show']) expect(r.stdout).toContain(c);
  });

  it('--json topo validate of the seed: ok, exit 0', async () => {
    const r = await cli('--json', 'topo', 'validate');
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: true, issues: [], summary: { routers: 4, nodes: 4 } });
  });

  it('topo validate of a broken but parseable file: ok false, exit 1, field path', async () => {
    const file = join(tmp, 'broken.yaml');
    writeFileSync(file, readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8').replace('peerASN: 65008', 'peerASN: 65009'));
    const r = await cli('--json', 'topo', 'validate', file);
    expect(r.exitCode).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.issues.map((i: { path: string }) => i.path)).toContain('cilium.bgpPeeringPolicies[1].virtualRouters[0].neighbors[0].peerASN');
  });

  it('unknown command: exit 2 with a suggestion', async () => {
    const r = await cli('rendr');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown command `rendr`');
    expect(r.stderr).toContain('did you mean `render`');
    const group = await cli('topo', 'shwo');
    expect(group.exitCode).toBe(2);
    expect(group.stderr).toContain('`topo show`');
  });

  it('bad flag and bad value: exit 2, --json carries the error', async () => {
    const r = await cli('render', '--fast-timer');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('did you mean --fast-timers');
    const j = await cli('--json', 'topo', 'generate', '--spines', '0', '--leaves', '1', '--nodes-per-rack', '1');
    expect(j.exitCode).toBe(2);
    expect(JSON.parse(j.stdout).error.message).toContain('--spines');
  });

  it('--json render writes every file, scripts executable', async () => {
    const out = join(tmp, 'out');
    const r = await cli('--json', 'render', '--out', out);
    expect(r.exitCode).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.outDir).toBe(out);
    expect(res.files.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['kind-config.yaml', 'clab.yaml', 'startup-conf/leaf0-boot.cfg', 'frr/leaf0.conf', '4-enable-bgp-peer.sh']));
    for (const f of res.files) expect(statSync(join(out, f.path)).size, f.path).toBe(f.bytes);
    expect(statSync(join(out, '3-install-cilium.sh')).mode & 0o777).toBe(0o755);
  });

  it('topo generate --out writes a topology that topo validate accepts', async () => {
    const file = join(tmp, 'gen.yaml');
    const g = await cli('--json', 'topo', 'generate', '--spines', '4', '--leaves', '8', '--nodes-per-rack', '4', '--out', file);
    expect(g.exitCode).toBe(0);
    expect(JSON.parse(g.stdout).summary).toEqual({ spines: 4, leaves: 8, nodes: 32, sessions: 64 });
    const v = await cli('--json', 'topo', 'validate', file);
    expect(v.exitCode).toBe(0);
    expect(JSON.parse(v.stdout).summary.routers).toBe(12);
  });
});
