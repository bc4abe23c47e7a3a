// The embedded lab driven over SSH: the CLI with --host against a throwaway sshd on 127.0.0.1.
// Every program of the lab runs through the SSH runner; the fabric itself is the real one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, labName } from '../helpers/lab.js';
import { knownHostsLine, startSshd, type Sshd } from './sshd-fixture.js';
import type { RoutesResult, UpResult } from '../../commands/results.js';

const lab = labName('ssh');
let sshd: Sshd;
let global: string[] = [];

beforeAll(async () => {
  sshd = await startSshd();
  const knownHosts = join(sshd.dir, 'known_hosts');
  writeFileSync(knownHosts, knownHostsLine(sshd));
  global = ['--host', sshd.host, '--known-hosts', knownHosts, '--identity', sshd.identity, '--lab', lab];
});

afterAll(async () => {
  // Locally too, in case the SSH path failed half way: the lab lives on this same machine.
  try {
    await cli(['--lab', lab, 'down'], { timeout: 240_000 });
  } finally {
    await sshd?.stop();
  }
}, 300_000);

describe('embedded lab over SSH', () => {
  it('up, routes leaf0 with the ECMP pair, down', async () => {
    // Every program is one SSH exec (~1 s each on a loaded 2-core host): minutes, not seconds.
    const up = await cli([...global, '--json', 'up', '--timeout', '300'], { timeout: 600_000 });
    expect(up.stderr).not.toMatch(/not built yet/);
    expect(up.exitCode, up.stderr).toBe(0);
    const result = JSON.parse(up.stdout) as UpResult;
    expect(result.converged, JSON.stringify(result.notConverged)).toBe(true);

    const routes = await cli([...global, '--json', 'routes', 'leaf0']);
    expect(routes.exitCode, routes.stderr).toBe(0);
    const r = JSON.parse(routes.stdout) as RoutesResult;
    // rack1's pod CIDRs: learned from both spines, one next hop per spine link.
    const remote = r.routes.filter((x) => x.prefix.startsWith('10.98.') && x.selected && x.nexthops.length > 1);
    expect(remote.length).toBeGreaterThanOrEqual(2);
    for (const route of remote) expect(route.nexthops.map((n) => n.ip).sort()).toEqual(['10.1.10.2', '10.1.12.2']);

    const text = await cli([...global, 'routes', 'leaf0']);
    expect(text.stdout).toContain('10.1.10.2');
    expect(text.stdout).toContain('10.1.12.2');

    const down = await cli([...global, 'down'], { timeout: 240_000 });
    expect(down.exitCode, down.stderr).toBe(0);
    const status = await cli(['--lab', lab, '--json', 'status']);
    expect(JSON.parse(status.stdout).state).not.toBe('up');
  }, 900_000);
});
