// cilium-bgp-lb on one real embedded lab: LB-IPAM's allocation, the LoadBalancer IPs the agents
// announce (Cluster from every node, Local only where an endpoint runs), the external client
// reaching them through both spines, `services --json`, `explain`, and each Service drill: it
// breaks what it says, explain names the cause, the intended fix fixes it, drill end restores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session, type Outcome } from '../../commands/execute.js';
import type { CheckResult, RoutesResult } from '../../commands/results.js';
import type { ExplainResult, ServicesResult } from '../../commands/service-results.js';
import { EmbeddedDriver } from '../../lab/drivers/embedded/index.js';
import { LocalRunner } from '../../lab/runners/local.js';
import { embeddedOnly, requireRecord } from '../../lab/drivers/embedded/ops.js';
import { restoreLab } from '../../lab/drills/restore.js';
import { findScenario } from '../../lab/drills/index.js';
import { labName, eventually } from '../helpers/lab.js';

process.env.BGP_LAB_STATE_DIR = mkdtempSync(join(tmpdir(), 'bgp-lab-services-'));
const LAB = labName('svc');
const s = new Session({ lab: LAB, topologyFile: 'cilium-bgp-lb', caller: { surface: 'test', user: 'oncall', level: 'admin' } });

async function run<T>(line: string): Promise<T> {
  const o: Outcome = await s.run(line);
  if (o.error) throw new Error(`${line}: ${o.error.message}${o.error.hint ? ` — ${o.error.hint}` : ''}`);
  return o.result as T;
}
/** Active next hops of the selected route for a prefix on a router ([] when it has none). */
async function hops(router: string, prefix: string): Promise<string[]> {
  const t = await run<RoutesResult>(`routes ${router}`);
  return (t.routes.find((r) => r.selected && r.prefix === prefix)?.nexthops.filter((n) => n.active).map((n) => n.ip!) ?? []).sort();
}
const NODES = ['cilium-bgp-control-plane', 'cilium-bgp-worker', 'cilium-bgp-worker2', 'cilium-bgp-worker3'];
const RACK1 = ['cilium-bgp-worker2', 'cilium-bgp-worker3'];
const CLUSTER_IP = '10.1.100.1';
const LOCAL_IP = '10.1.100.2';

beforeAll(async () => {
  await run('up');
}, 120_000);

afterAll(async () => {
  await s.run('down');
  await s.close();
}, 60_000);

describe('cilium-bgp-lb', () => {
  it('services --json: each Service with its LB-IPAM address, pool, backends and the nodes that announce it', async () => {
    const r = await run<ServicesResult>('services');
    const [web, local] = r.services;
    for (const x of r.services) for (const k of ['name', 'type', 'externalTrafficPolicy', 'loadBalancerIP', 'pool', 'backends', 'advertisedBy']) expect(x).toHaveProperty(k);
    expect(r.advertisedFrom).toBe('agents');
    expect(web).toMatchObject({ name: 'web', type: 'LoadBalancer', externalTrafficPolicy: 'Cluster', loadBalancerIP: CLUSTER_IP, pool: 'lb-pool' });
    expect(web!.backends.map((b) => b.node).sort()).toEqual(NODES);
    expect(web!.advertisedBy.sort()).toEqual(NODES);
    // Local: the Deployment runs on rack1 only, so only rack1's nodes announce it.
    expect(local).toMatchObject({ name: 'web-local', externalTrafficPolicy: 'Local', loadBalancerIP: LOCAL_IP, pool: 'lb-pool' });
    expect(local!.backends.map((b) => b.node).sort()).toEqual(RACK1);
    expect(local!.advertisedBy.sort()).toEqual(RACK1);
  });

  it('spine0 routes the Cluster IP /32 over both leaves, the Local IP over leaf1 only', async () => {
    expect(await hops('spine0', `${CLUSTER_IP}/32`)).toEqual(['10.1.10.1', '10.1.34.1']);
    expect(await hops('spine1', `${CLUSTER_IP}/32`)).toEqual(['10.1.11.1', '10.1.12.1']);
    expect(await hops('spine0', `${LOCAL_IP}/32`)).toEqual(['10.1.34.1']);
    expect(await hops('leaf1', `${LOCAL_IP}/32`)).toEqual(['10.1.8.10', '10.1.8.11']);
  });

  it('the client reaches the Cluster Service over both spines and backends on several nodes', async () => {
    const r = await run<CheckResult>('check --from client --service web --requests 4');
    expect(r.ok).toBe(true);
    // The client alternates its connections over the spines (pinned, not hashed): 2 and 2.
    expect(r.service!.spines).toEqual({ spine0: 2, spine1: 2 });
    // Each ingress node round-robins (numgen inc) over the four backends: pinned as well.
    expect(Object.keys(r.service!.nodes).length).toBeGreaterThanOrEqual(2);
    expect(r.service!.requests.every((q) => q.ok && q.backend && q.spine)).toBe(true);
  });

  it('the Local Service is withdrawn when its Deployment scales to zero, announced again when it comes back', async () => {
    const before = await run<CheckResult>(`check --from client --service ${LOCAL_IP} --requests 2`);
    expect(before.ok).toBe(true);
    expect(Object.keys(before.service!.nodes).every((n) => RACK1.includes(n))).toBe(true);
    await run('workload scale web 0');
    await eventually(async () => (await hops('spine0', `${LOCAL_IP}/32`)).length === 0 && (await hops('spine1', `${LOCAL_IP}/32`)).length === 0, 15_000);
    const svc = (await run<ServicesResult>('services')).services.find((x) => x.name === 'web-local')!;
    expect(svc.advertisedBy).toEqual([]);
    const e = await run<ExplainResult>('explain web-local');
    expect(e.ok).toBe(false);
    expect(e.cause).toMatch(/no endpoints: no pod has app=web/);
    await run('workload scale web 2');
    await eventually(async () => (await hops('leaf1', `${LOCAL_IP}/32`)).length === 2, 15_000);
    expect((await run<CheckResult>(`check --from client --service web-local --requests 2`)).ok).toBe(true);
  }, 60_000);

  it('explain follows a pod CIDR from its node to the spines', async () => {
    const e = await run<ExplainResult>('explain 10.98.2.0/24');
    expect(e).toMatchObject({ kind: 'pod-cidr', ok: true, prefix: '10.98.2.0/24' });
    expect(e.steps.find((x) => x.kind === 'advertisement')!.text).toMatch(/CiliumBGPPeeringPolicy rack1 selects cilium-bgp-worker2: exportPodCIDR true/);
    expect(e.steps.filter((x) => x.kind === 'router' && x.ok).map((x) => x.text.split(':')[0])).toEqual(['spine0', 'spine1', 'leaf0', 'leaf1']);
  });
});

/** What explain must name for each drill, while the fault is in. */
const causes: Record<string, { subject: string; check: (e: ExplainResult) => void }> = {
  'service-not-advertised': {
    subject: 'web',
    check: (e) => {
      expect(e.ok).toBe(false);
      expect(e.cause).toMatch(/serviceSelector advertise=bgp does not match: advertise=bgp \(the Service has advertise=public\)/);
    },
  },
  'etp-local-no-endpoints': {
    subject: 'web-local',
    check: (e) => expect(e.notes.join('\n')).toMatch(/announced only by nodes with a ready local endpoint \(cilium-bgp-worker2\); not by .*cilium-bgp-worker3/),
  },
  'lb-pool-conflict': {
    subject: 'web-local',
    check: (e) => {
      expect(e.ok).toBe(false);
      expect(e.cause).toMatch(/io\.cilium\/lb-ipam-request-satisfied False, reason already_allocated: IP '10\.1\.100\.1' has already been allocated to another service/);
    },
  },
};

// Each scenario's own parts on the lab (target, inject, isFixed, fix lines, the generic restore):
// the drill commands around them (prober, settling, the full check) are the seed drills' test.
describe.each(Object.keys(causes))('drill %s', (id) => {
  it('breaks what it says, explain names the cause, the fix fixes it, the restore puts the baseline back', async () => {
    const scenario = findScenario(id);
    const d = embeddedOnly(new EmbeddedDriver(LAB, new LocalRunner()));
    const ctx = { d, lab: LAB, record: () => requireRecord(d) };
    const baseline = (await ctx.record()).topology;
    const fault = scenario.target(baseline);
    await scenario.inject(ctx, fault);
    const { subject, check } = causes[id]!;
    check(await run<ExplainResult>(`explain ${subject}`));
    expect((await scenario.isFixed(ctx, fault)).fixed).toBe(false);
    for (const line of scenario.fix(fault)) await run(line);
    const v = await eventually(async () => {
      const x = await scenario.isFixed(ctx, fault);
      return x.fixed && x;
    }, 20_000, 500);
    expect(v.fixed).toBe(true);
    await scenario.restore(ctx, fault);
    await restoreLab(d, baseline);
    expect((await ctx.record()).topology).toEqual(baseline);
    await eventually(async () => (await run<ExplainResult>(`explain ${subject}`)).ok, 15_000, 500);
  }, 60_000);
});

it('drill list offers the Service drills on this topology', async () => {
  const l = await run<{ scenarios: { id: string }[] }>('drill list');
  expect(l.scenarios.map((x) => x.id)).toEqual(expect.arrayContaining(Object.keys(causes)));
});
