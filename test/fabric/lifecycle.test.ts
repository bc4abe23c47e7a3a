// Labs come and go cleanly: two at once, a crash mid-`up`, bad input that leaves nothing
// half-made, and a generated 2×4×2 fabric that converges.
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, cli, labName, ok, session } from '../helpers/lab.js';
import type { PeersResult, RoutesResult, UpResult } from '../../commands/results.js';

const namespacesOf = (lab: string) =>
  execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.startsWith(`bgplab.${lab}.`));
const processesOf = (lab: string) =>
  execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(`/run/bgp-lab/${lab}/`));

const labs: string[] = [];
afterAll(async () => {
  for (const l of labs) await cli(['--lab', l, 'down']);
});

describe('lab lifecycle', () => {
  it('two labs run side by side and go down independently', async () => {
    const a = labName('two-a');
    const b = labName('two-b');
    labs.push(a, b);
    const [ra, rb] = await Promise.all([ok<UpResult>(session(a), 'up --fast-connect'), ok<UpResult>(session(b), 'up --fast-connect')]);
    expect(ra.converged && rb.converged).toBe(true);
    expect(namespacesOf(a)).toHaveLength(14);
    expect(namespacesOf(b)).toHaveLength(14);
    await ok(session(a), 'down');
    expect(namespacesOf(a)).toHaveLength(0);
    const peers = await ok<PeersResult>(session(b), 'peers');
    expect(peers.established).toBe(8);
    await ok(session(b), 'down');
    expect(namespacesOf(b)).toHaveLength(0);
    expect(processesOf(a)).toEqual([]);
    expect(processesOf(b)).toEqual([]);
  });

  it('a crash mid-up (process killed) leaves a lab that down removes completely', async () => {
    const lab = labName('crash');
    labs.push(lab);
    const child = execa(BIN, ['--lab', lab, 'up'], { reject: false });
    // Kill it once the routers are starting: namespaces exist, daemons half-started.
    const deadline = Date.now() + 30_000;
    while (!namespacesOf(lab).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    await child;
    expect(namespacesOf(lab).length).toBeGreaterThan(0);
    const status = await cli(['--lab', lab, '--json', 'status']);
    expect(JSON.parse(status.stdout).state).not.toBe('up');
    const down = await cli(['--lab', lab, 'down']);
    expect(down.exitCode).toBe(0);
    expect(namespacesOf(lab)).toEqual([]);
    expect(processesOf(lab)).toEqual([]);
    const again = await cli(['--lab', lab, 'down']);
    expect(again.exitCode).toBe(0); // idempotent
  });

  it('Ctrl-C during up rolls the lab back', async () => {
    const lab = labName('sigint');
    labs.push(lab);
    const child = execa(BIN, ['--lab', lab, 'up'], { reject: false });
    const deadline = Date.now() + 30_000;
    while (!namespacesOf(lab).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/cancelled/);
    expect(namespacesOf(lab)).toEqual([]);
    expect(processesOf(lab)).toEqual([]);
  });

  it('bad input exits 2 with a one-line error and changes nothing', async () => {
    const lab = labName('bad');
    const cases: [string[], RegExp][] = [
      [['routes', 'leaf9'], /unknown router or node "leaf9".*valid: spine0, spine1, leaf0, leaf1/],
      [['routes'], /needs <device>/],
      [['capture', 'leaf0', 'eth9'], /leaf0 has no interface eth9.*valid: eth1, eth2, eth3/],
      [['trace', 'app-nope', 'app-worker'], /unknown pod "app-nope"/],
      [['check', '--from'], /--from needs a value/],
      [['up', '--pods-per-node', 'many'], /--pods-per-node/],
      [['rotues', 'leaf0'], /did you mean `routes`/],
      [['--lab', 'Bad_Name', 'status'], /lab name "Bad_Name" is not valid/],
      [['--topology', '/nonexistent.yaml', 'up'], /cannot read topology/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(['--lab', lab, ...args]);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    expect(namespacesOf(lab)).toEqual([]);
  });

  it('a lab that is not up says so and what to run', async () => {
    const r = await cli(['--lab', labName('none'), 'routes', 'leaf0']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/is not up.*bgp-lab --lab t-none-[\w-]+ up/);
  });

  it('a lab already up refuses a second up and points at --replace', async () => {
    const lab = labName('twice');
    labs.push(lab);
    await ok(session(lab), 'up --no-wait');
    const again = await cli(['--lab', lab, 'up']);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/already up.*--replace/);
    await ok(session(lab), 'down');
  });

  it('a generated 2×4×2 topology comes up converged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bgp-lab-gen-'));
    const file = join(dir, 'gen.yaml');
    const gen = await cli(['--json', 'topo', 'generate', '--spines', '2', '--leaves', '4', '--nodes-per-rack', '2', '--out', file]);
    expect(gen.exitCode, gen.stderr).toBe(0);
    const lab = labName('gen');
    labs.push(lab);
    const s = session(lab, file);
    const up = await ok<UpResult>(s, 'up --fast-connect');
    expect(up.converged).toBe(true);
    expect(up.sessions).toEqual({ established: 8 + 8, expected: 16 });
    const r = await ok<RoutesResult>(s, 'routes leaf0 --protocol bgp');
    const remote = r.routes.filter((x) => x.prefix.startsWith('10.98.') && x.nexthops.length === 2);
    expect(remote.length).toBe(6); // the 3 other racks × 2 nodes, each over both spines
    await ok(s, 'down');
    writeFileSync(join(dir, 'done'), '');
  });
});
