// Detail on one seed lab: interface counters, qdiscs and nftables drops; `watch` audited once;
// `routes --longer`; `trace --udp` with its ports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { BIN, cli, labName, ok, session } from '../helpers/lab.js';
import type { InterfacesResult, PeersResult, RoutesResult, TraceResult } from '../../commands/results.js';
import type { WatchTick } from '../../commands/types.js';
import type { WatchResult } from '../../commands/watch.js';
import { Session } from '../../commands/execute.js';
import { readAudit } from '../../lab/state/audit.js';
import { renderText } from '../../src/render/text.js';

const lab = labName('outputs-detail');
const s = session(lab);
const ns = (dev: string) => `bgplab.${lab}.${dev}`;

beforeAll(async () => {
  await ok(s, 'up');
});
afterAll(async () => {
  await cli(['--lab', lab, 'down']);
});

const statsOf = (r: InterfacesResult, name: string) => r.interfaces.find((i) => i.name === name)!.stats!;

describe('interfaces: counters, qdisc, nftables drops', () => {
  it('RX/TX packet counters move after a ping through the leaf', async () => {
    const before = await ok<InterfacesResult>(s, 'interfaces leaf0');
    // 20 echo requests from rack0 to rack1: in on eth3 (rack0 LAN), out over eth1 or eth2 (ECMP: either).
    const p = await execa('ip', ['netns', 'exec', ns('app-control-plane'), 'ping', '-n', '-q', '-c', '20', '-i', '0.05', '-W', '1', '--', '10.98.2.10'], { reject: false });
    expect(p.stdout).toMatch(/20 received/);
    const after = await ok<InterfacesResult>(s, 'interfaces leaf0');
    expect(statsOf(after, 'eth3').rxPackets - statsOf(before, 'eth3').rxPackets).toBeGreaterThanOrEqual(20);
    const up = (r: InterfacesResult) => statsOf(r, 'eth1').txPackets + statsOf(r, 'eth2').txPackets;
    expect(up(after) - up(before)).toBeGreaterThanOrEqual(20);
    expect(statsOf(after, 'eth3')).toMatchObject({ rxErrors: 0, txErrors: 0 });
    expect(after.interfaces.find((i) => i.name === 'eth1')!.qdisc).toBe('noqueue');
    const text = renderText('interfaces', after, { color: false, width: 120 });
    expect(text).toMatch(/Interface\s+RX packets\s+errors\s+dropped\s+TX packets\s+errors\s+dropped\s+Qdisc/);
    expect(text).toMatch(new RegExp(`eth3\\s+${statsOf(after, 'eth3').rxPackets}\\s+0\\s+0\\s+${statsOf(after, 'eth3').txPackets}\\s+0\\s+0\\s+noqueue`));
  });

  it("shows an nftables loss rule of the lab on the interface it drops on (netem's fallback)", async () => {
    // The rule `netem --loss` installs where the kernel has no sch_netem (lab/drivers/embedded/ops.ts).
    const rules = 'table ip bgplab-netem-eth1 {\n  chain out { type filter hook postrouting priority 0; policy accept; oifname "eth1" numgen random mod 100 < 20 counter drop; }\n}\n';
    await execa('ip', ['netns', 'exec', ns('leaf0'), 'nft', '-f', '-'], { input: rules });
    try {
      const r = await ok<InterfacesResult>(s, 'interfaces leaf0');
      const eth1 = r.interfaces.find((i) => i.name === 'eth1')!;
      expect(eth1.dropRules).toEqual([expect.objectContaining({ table: 'ip bgplab-netem-eth1', chain: 'out', hook: 'postrouting', direction: 'out', lossPct: 20 })]);
      expect(r.interfaces.filter((i) => i.dropRules?.length).map((i) => i.name)).toEqual(['eth1']);
      expect(renderText('interfaces', r, { color: false, width: 100 }).replace(/\n +/g, ' ')).toContain('✗ eth1: nftables ip bgplab-netem-eth1 chain out (postrouting) drops 20% of packets sent');
    } finally {
      await execa('ip', ['netns', 'exec', ns('leaf0'), 'nft', 'delete', 'table', 'ip', 'bgplab-netem-eth1'], { reject: false });
    }
  });
});

describe('watch', () => {
  const entries = () => readAudit(undefined, lab);

  it('`watch -n 1 peers` shows every tick and is audited once, not per tick', async () => {
    const before = entries().length;
    const ticks: WatchTick[] = [];
    const o = await s.run('watch -n 1 --count 3 peers', { onTick: (t) => ticks.push(t) });
    expect(o.error).toBeUndefined();
    const r = o.result as WatchResult;
    expect(r).toMatchObject({ command: 'peers', ticks: 3, intervalSeconds: 1, stoppedBy: 'count' });
    expect(ticks.map((t) => t.n)).toEqual([1, 2, 3]);
    expect((ticks[2]!.result as PeersResult).established).toBe(8);
    // A second apart at least: the interval is kept between runs.
    expect(Date.parse(ticks[2]!.at) - Date.parse(ticks[0]!.at)).toBeGreaterThanOrEqual(2000);
    const added = entries().slice(before);
    expect(added.map((e) => [e.command, e.line, e.outcome])).toEqual([['watch', 'watch -n 1 --count 3 peers', 'ok']]);
  });

  it('in the CLI prints each tick until Ctrl-C, then one audit entry', async () => {
    const before = entries().length;
    const child = execa(BIN, ['--lab', lab, 'watch', '-n', '1', 'peers'], { reject: false, env: { NO_COLOR: '1' } });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 60_000;
    while ((out.match(/^Every 1s: peers/gm) ?? []).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    const done = await child;
    expect(done.exitCode).toBe(0);
    expect((out.match(/^Every 1s: peers/gm) ?? []).length).toBeGreaterThanOrEqual(3);
    expect(out).toMatch(/\$ cilium bgp peers/);
    expect(out).toMatch(/watched `peers` \d+ times, every 1s \(stopped\)/);
    expect(entries().slice(before).map((e) => [e.command, e.outcome])).toEqual([['watch', 'ok']]);
  });

  it('refuses mutating commands, and refuses to run from Slack, saying why', async () => {
    const down = await s.run('watch -n 1 down');
    expect(down.exitCode).toBe(2);
    expect(down.error?.message).toBe('`watch` repeats read commands only: `down` changes the lab');
    const slack = new Session({ lab, caller: { surface: 'slack', user: 'U1', level: 'admin' } });
    const o = await slack.run('watch peers');
    expect(o.exitCode).toBe(2);
    expect(o.error?.message).toMatch(/^`watch` runs in a terminal only: in Slack it would post a new message every tick/);
    expect((await ok<PeersResult>(s, 'peers')).established).toBe(8);
  });
});

describe('routes --longer, trace --udp', () => {
  it('`routes leaf0 --prefix 10.98.0.0/16 --longer` finds every pod /24 (FRR longer-prefixes)', async () => {
    const r = await ok<RoutesResult>(s, 'routes leaf0 --prefix 10.98.0.0/16 --longer');
    expect(r.routes.map((x) => x.prefix)).toEqual(['10.98.0.0/24', '10.98.1.0/24', '10.98.2.0/24', '10.98.3.0/24']);
    const node = await ok<RoutesResult>(s, 'routes cilium-bgp-worker2 --prefix 10.98.0.0/16 --longer');
    expect(node.routes.length).toBeGreaterThan(0);
    expect(node.routes.every((x) => x.prefix.startsWith('10.98.'))).toBe(true);
    expect((await s.run('routes leaf0 --prefix 10.98.0.0 --longer')).exitCode).toBe(2);
  });

  it('`trace --udp` shows the ports its probes used', async () => {
    const r = await ok<TraceResult>(s, 'trace app-control-plane app-worker2 --udp');
    expect(r.ok).toBe(true);
    expect(r.probe).toMatchObject({ protocol: 'udp', destPort: 53 });
    expect(r.probe!.sourcePort).toBeGreaterThanOrEqual(33000);
    expect(renderText('trace', r, { color: false, width: 200 })).toContain(`UDP probes, source port ${r.probe!.sourcePort} → destination port 53 (10.98.2.10:53)`);
  });
});
