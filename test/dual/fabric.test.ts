// cilium-bgp-dual embedded, beside the seed: IPv6 pod CIDRs over both spines, `check --ipv6`
// answered in full, the IPv4 half identical to the seed's, the dual-stack drill breaking IPv6
// only (and its restore healing it), and the seed refusing every --ipv6. Two labs, up in
// parallel: the IPv4 comparison needs both live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, labName, ok, run, session } from '../helpers/lab.js';
import type { BgpResult, CheckResult, PeersResult, RoutesResult } from '../../commands/results.js';
import type { DrillStartResult } from '../../commands/drill-results.js';
import { EmbeddedDriver } from '../../lab/drivers/embedded/index.js';
import { LocalRunner } from '../../lab/runners/local.js';
import { checkText } from '../../src/render/check.js';

const dualLab = labName('dual');
const seedLab = labName('dualseed');
const dual = session(dualLab, 'cilium-bgp-dual');
const seed = session(seedLab);
const driver = new EmbeddedDriver(dualLab, new LocalRunner());
const RACK1_V6 = ['fd00:98:0:2::/64', 'fd00:98:0:3::/64'];

/** Selected IPv4 routes as `prefix protocol nexthop@iface,…`: what two fabrics with one plan must share. */
const table = (r: RoutesResult) =>
  r.routes.filter((x) => x.selected).map((x) => `${x.prefix} ${x.protocol} ${x.nexthops.filter((n) => n.active).map((n) => `${n.ip ?? ''}@${n.interface ?? ''}`).sort().join(',')}`);
const headline = (r: CheckResult) => /\*\*\* Results: .*received\)/.exec(checkText(r, { color: false, width: 200 }))![0];

beforeAll(async () => {
  const t0 = Date.now();
  await Promise.all([ok(dual, 'up --fast-connect'), ok(seed, 'up --fast-connect')]);
  console.log(`both labs up in ${Date.now() - t0} ms`);
}, 120_000);
afterAll(async () => {
  await Promise.all([dual.run('drill end'), seed.run('down')]);
  await dual.run('down');
});

describe('cilium-bgp-dual', () => {
  it("leaf0 has rack1's IPv6 pod CIDRs with both spines as next hops (FRR's show ipv6 route json)", async () => {
    const frr = JSON.parse(await driver.vtysh('leaf0', 'show ipv6 route json')) as Record<string, { protocol: string; selected?: boolean; nexthops: { interfaceName: string; active?: boolean; fib?: boolean }[] }[]>;
    for (const p of RACK1_V6) {
      const route = frr[p]?.find((x) => x.selected);
      expect(route?.protocol, p).toBe('bgp');
      expect(route!.nexthops.filter((n) => n.active && n.fib).map((n) => n.interfaceName).sort(), p).toEqual(['eth1', 'eth2']);
    }
    // The same through `routes --ipv6`: link-local next hops named by their link.
    const r = await ok<RoutesResult>(dual, 'routes leaf0 --ipv6');
    for (const p of RACK1_V6) expect(r.routes.find((x) => x.prefix === p && x.selected)!.nexthops.map((n) => n.device).sort()).toEqual(['spine0', 'spine1']);
    expect(r.routes.find((x) => x.prefix === 'fd00:98::/64')!.nexthops.map((n) => n.ip)).toEqual(['fd00:10:1:5::10']);
  });

  it('every session Established, IPv6 ones carrying ipv6/unicast', async () => {
    const p = await ok<PeersResult>(dual, 'peers');
    const expected = p.peers.filter((x) => x.expected);
    expect(expected).toHaveLength(16); // each session once: 8 leaf-spine (the leaves' view), 8 node-leaf (the nodes' view)
    expect(expected.filter((x) => x.peerAddress.includes(':'))).toHaveLength(8);
    expect(expected.every((x) => x.state === 'Established')).toBe(true);
    const v6 = p.peers.find((x) => x.kind === 'node' && x.peerAddress === 'fd00:10:1:8::1')!;
    expect(v6.families!.find((f) => f.afi === 'ipv6')!.received).toBeGreaterThan(0);
    expect(v6.families!.find((f) => f.afi === 'ipv4')!.received).toBe(0);
    // The leaf's IPv6 BGP table: rack1's IPv6 pod CIDR from both spines (AS 500 and 800).
    const b = await ok<BgpResult>(dual, 'bgp leaf0 --ipv6');
    expect(b.peers.filter((x) => x.peerAddress.includes(':') && x.state === 'Established')).toHaveLength(4);
    expect(b.table.find((e) => e.prefix === 'fd00:98:0:2::/64')!.paths.map((x) => x.nexthop).sort()).toEqual(['fd00:10:1:10::2', 'fd00:10:1:12::2']);
  });

  it('check --ipv6 passes with every probe answered', async () => {
    const r = await ok<CheckResult>(dual, 'check --ipv6');
    expect(r.ok).toBe(true);
    expect(r.results).toHaveLength(12);
    expect(r.results.every((x) => x.toIp.startsWith('fd00:98:'))).toBe(true);
    expect(r.received).toBe(r.sent);
    expect(headline(r)).toBe(`*** Results: 0% dropped (${r.sent}/${r.sent} received)`);
  });

  it("the IPv4 half equals the seed's: the same router tables, the same check verdict", async () => {
    for (const router of ['leaf0', 'leaf1', 'spine0', 'spine1']) {
      const [a, b] = await Promise.all([ok<RoutesResult>(dual, `routes ${router}`), ok<RoutesResult>(seed, `routes ${router}`)]);
      expect(table(a), router).toEqual(table(b));
    }
    const [a, b] = await Promise.all([ok<CheckResult>(dual, 'check'), ok<CheckResult>(seed, 'check')]);
    expect([a.ok, b.ok]).toEqual([true, true]);
    expect(a.results.length).toBe(b.results.length);
    expect(headline(a)).toMatch(/0% dropped \((\d+)\/\1 received\)/);
    expect(headline(b)).toMatch(/0% dropped \((\d+)\/\1 received\)/);
    expect([a.coverage?.members, a.coverage?.covered, a.coverage?.verified]).toEqual([b.coverage?.members, b.coverage?.covered, b.coverage?.verified]);
  });

  it('drill dual-stack-v6-session-down breaks IPv6 only; its restore heals it', async () => {
    const start = await ok<DrillStartResult>(dual, 'drill start dual-stack-v6-session-down');
    expect(start.id).toBe('dual-stack-v6-session-down');
    await eventually(async () => !(await ok<RoutesResult>(dual, 'routes leaf0 --ipv6')).routes.some((x) => x.prefix === 'fd00:98:0:2::/64'));
    expect((await ok<CheckResult>(dual, 'check')).ok).toBe(true);
    const v6 = await run(dual, 'check --ipv6 --count 1 --wait 0');
    expect(v6.ok).toBe(false);
    const r = v6.result as CheckResult;
    const failed = r.results.filter((x) => !x.ok);
    expect(failed.length).toBe(6); // every pair to or from worker2's pod
    expect(failed.every((x) => x.diagnosis?.includes('fd00:98:0:2::/64'))).toBe(true);
    const peers = await ok<PeersResult>(dual, 'peers');
    const worker2 = (addr: string) => peers.peers.find((x) => x.router === 'cilium-bgp-dual-worker2' && x.peerAddress === addr)!.state;
    expect(worker2('fd00:10:1:8::1')).not.toBe('Established');
    expect(worker2('10.1.8.1')).toBe('Established');
    expect((await run(dual, 'drill end')).ok).toBe(true);
    await eventually(async () => (await ok<CheckResult>(dual, 'check --ipv6 --count 1')).ok, 20_000, 500);
  });
});

describe('a topology without IPv6 refuses --ipv6 (exit 2, one line)', () => {
  it('check --ipv6, routes --ipv6 and the dual-stack drill on the seed', async () => {
    for (const line of ['check --ipv6', 'routes leaf0 --ipv6', 'drill start dual-stack-v6-session-down']) {
      const o = await run(seed, line);
      expect(o.exitCode, line).toBe(2);
      expect(o.error!.message, line).toMatch(/has no IPv6/);
      expect(o.error!.message).not.toContain('\n');
    }
    const list = (await ok<{ scenarios: { id: string }[] }>(seed, 'drill list')).scenarios.map((x) => x.id);
    expect(list).not.toContain('dual-stack-v6-session-down');
    expect((await run(seed, 'check --ipv6 --bogus')).exitCode).toBe(2);
  });
});
