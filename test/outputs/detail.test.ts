// Detail on one seed lab: interface counters, qdiscs and nftables drops; `watch` audited once;
// `routes --longer`; `trace --udp` with its ports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { cli, labName, ok, session } from '../helpers/lab.js';
import type { InterfacesResult } from '../../commands/results.js';
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
