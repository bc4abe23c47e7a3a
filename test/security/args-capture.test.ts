// capture --filter is data, never tcpdump options; and a capture dies with the CLI that ran it.
// One small lab of its own (1 spine, 1 leaf, 1 node), up once for the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cli, eventually, labName } from '../helpers/lab.js';
import { knownHostsLine, startSshd, type Sshd } from '../ssh/sshd-fixture.js';

const LAB = labName('args-cap');
// Only letters and digits in the path: the --filter pattern admits them, so only tcpdump decides.
const dir = mkdtempSync('/tmp/bgplabargs');
const topo = join(dir, 'topo.yaml');
const lab = (...args: string[]) => cli(['--lab', LAB, '--topology', topo, ...args]);

/** tcpdump processes in the lab's leaf0 namespace. */
function tcpdumpsInLab(): string[] {
  let pids: string[];
  try {
    pids = execFileSync('ip', ['netns', 'pids', `bgplab.${LAB}.leaf0`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const pid of pids) {
    try {
      const comm = execFileSync('ps', ['-o', 'comm=,stat=', '-p', pid], { encoding: 'utf8' }).trim();
      if (/^tcpdump\s+[^Z]/.test(comm)) out.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

beforeAll(async () => {
  const gen = await cli(['topo', 'generate', '--spines', '1', '--leaves', '1', '--nodes-per-rack', '1', '--out', topo]);
  expect(gen.exitCode, gen.stderr).toBe(0);
  const up = await lab('up', '--fast-connect', '--pods-per-node', '1');
  expect(up.exitCode, up.stderr).toBe(0);
}, 120_000);

let sshd: Sshd | undefined;

afterAll(async () => {
  await sshd?.stop();
  await lab('down');
  rmSync(dir, { recursive: true, force: true });
});

describe('capture --filter is an expression, not options', () => {
  it('refuses "-Z root -w FILE" with a reason and writes nothing', async () => {
    const pcap = join(dir, 'x.pcap');
    const r = await lab('capture', 'leaf0', 'eth1', '--seconds', '2', '--filter', `-Z root -w ${pcap}`);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/not a tcpdump filter expression/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1); // one line: the reason and its hint
    expect(existsSync(pcap)).toBe(false);
  });

  it('refuses the -G/-w/-z rotation variant and runs no program', async () => {
    const marker = join(dir, 'ran');
    const prog = join(dir, 'mark');
    writeFileSync(prog, `#!/bin/sh\ntouch ${marker}\n`);
    chmodSync(prog, 0o755);
    const r = await lab('capture', 'leaf0', 'eth1', '--seconds', '3', '--filter', `tcp -G 1 -w ${join(dir, 'rot')} -z ${prog}`);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/not a tcpdump filter expression/);
    await new Promise((res) => setTimeout(res, 1500));
    expect(existsSync(marker)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('rot'))).toEqual([]);
  });

  it('a real filter still captures', async () => {
    // BGP keepalives every 3 s (FRR datacenter timers): one arrives within 8 s.
    const r = await lab('--json', 'capture', 'leaf0', 'eth1', '--seconds', '8', '--count', '1', '--filter', 'tcp port 179');
    expect(r.exitCode, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as { packets: { protocol: string }[] };
    expect(res.packets.length).toBeGreaterThanOrEqual(1);
  });
});

describe('a killed capture leaves no tcpdump', () => {
  it('kill -9 of the capture CLI: its tcpdump is gone within 3 s', async () => {
    expect(tcpdumpsInLab()).toEqual([]);
    // A filter nothing matches: tcpdump writes nothing, so a closed stdout pipe never kills it.
    const child = execa(BIN, ['--lab', LAB, '--topology', topo, 'capture', 'leaf0', 'eth1,eth2', '--seconds', '120', '--filter', 'icmp'], { reject: false });
    await eventually(async () => tcpdumpsInLab().length === 2, 15_000, 100);
    child.kill('SIGKILL');
    await child;
    const killedAt = Date.now();
    await eventually(async () => tcpdumpsInLab().length === 0, 3_000, 100);
    expect(Date.now() - killedAt).toBeLessThan(3_000);
  });

  it('over SSH too: kill -9 of `capture --host` leaves no tcpdump on the lab host within 3 s', async () => {
    sshd = await startSshd();
    const knownHosts = join(sshd.dir, 'known_hosts');
    writeFileSync(knownHosts, knownHostsLine(sshd));
    const remote = ['--host', sshd.host, '--known-hosts', knownHosts, '--identity', sshd.identity];
    expect(tcpdumpsInLab()).toEqual([]);
    const child = execa(BIN, [...remote, '--lab', LAB, 'capture', 'leaf0', 'eth1', '--seconds', '120', '--filter', 'icmp'], { reject: false });
    await eventually(async () => tcpdumpsInLab().length === 1, 30_000, 100);
    child.kill('SIGKILL');
    await child;
    const killedAt = Date.now();
    await eventually(async () => tcpdumpsInLab().length === 0, 3_000, 100);
    expect(Date.now() - killedAt).toBeLessThan(3_000);
  });
});
