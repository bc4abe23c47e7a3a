// No lab: `up --dry-run` lists each node's service announcements and why (issue 13), and the
// agent rules lab/cilium/SOURCES.md corrected against Cilium's source: a repeated localASN runs
// the virtual routers before it, Cilium's own words for the timer refusal, service selectors
// that see io.kubernetes.service.name, a 1.16–1.18 node in two policies applying nothing.
import { describe, expect, it } from 'vitest';
import { session, ok } from '../helpers/lab.js';
import type { UpResult } from '../../commands/results.js';
import { loadTopology } from '../../lab/topology/load.js';
import { desiredAgentOf, intentOf } from '../../lab/cilium/desired.js';
import { ciliumIssues } from '../../lab/cilium/issues.js';
import type { Topology } from '../../lab/topology/schema.js';

const CP = 'cilium-bgp-control-plane';
const W2 = 'cilium-bgp-worker2';

async function dryRun(topology: string): Promise<NonNullable<UpResult['plan']>> {
  const s = session('t-agent2-dryrun', topology);
  try {
    const r = await ok<UpResult>(s, 'up --dry-run');
    expect(r.dryRun).toBe(true);
    return r.plan ?? [];
  } finally {
    await s.close();
  }
}
const stepOf = (plan: NonNullable<UpResult['plan']>, node: string) => plan.find((p) => p.label.startsWith(`Service announcements of ${node}:`));

describe('up --dry-run lists the service announcements per node', () => {
  it('v2alpha1 (cilium-bgp-lb): the /32s each node announces and why, and why not', async () => {
    const plan = await dryRun('cilium-bgp-lb');
    const cp = stepOf(plan, CP)!;
    expect(cp.label).toContain('10.1.100.1/32');
    expect(cp.input).toContain('announce 10.1.100.1/32 default/web: externalTrafficPolicy Cluster (CiliumBGPPeeringPolicy rack0 virtualRouters[0], to every neighbor)');
    expect(cp.input).toContain('not 10.1.100.2/32 default/web-local: externalTrafficPolicy Local and no ready local endpoint on this node (CiliumBGPPeeringPolicy rack0 virtualRouters[0])');
    expect(stepOf(plan, W2)!.input).toContain('announce 10.1.100.2/32 default/web-local: externalTrafficPolicy Local, a ready local endpoint (CiliumBGPPeeringPolicy rack1 virtualRouters[0], to every neighbor)');
  });

  it('v2 (cilium-bgp-lb-v2): the same /32s, per peer, with the advertisement named and the Local note', async () => {
    const plan = await dryRun('cilium-bgp-lb-v2');
    const w2 = stepOf(plan, W2)!;
    expect(w2.label).toContain('10.1.100.1/32, 10.1.100.2/32');
    expect(w2.input).toContain('announce 10.1.100.2/32 default/web-local: externalTrafficPolicy Local, a ready local endpoint (CiliumBGPAdvertisement lb-services, to leaf1)');
    expect(w2.input!.join('\n')).toMatch(/cilium#44803/);
    expect(stepOf(plan, CP)!.label).toMatch(/: 10\.1\.100\.1\/32 \(/);
  });
});

function lb(): Topology {
  return structuredClone(loadTopology('cilium-bgp-lb'));
}

describe('agent rules checked against the source', () => {
  it('a repeated localASN: the virtual routers before it run, the repeat and those after do not (manager.go ignores the diff error)', () => {
    const t = lb();
    const vrs = t.cilium.bgpPeeringPolicies[0]!.virtualRouters;
    vrs.push({ ...structuredClone(vrs[0]!), exportPodCIDR: false }, { ...structuredClone(vrs[0]!), localASN: 64999 });
    const i = desiredAgentOf(t, CP)!;
    expect(i.state).toBe('configured');
    expect(i.state === 'configured' && i.agent.instances.map((x) => x.localASN)).toEqual([65005]);
    expect(ciliumIssues(t).map((x) => x.message).join('\n')).toMatch(/virtualRouters\[1\] repeats localASN 65005: Cilium's agent stops at the repeat/);
  });

  it("the timer refusal in Cilium's words (controller.go reconcileBGPP + CiliumBGPNeighbor.Validate)", () => {
    const t = lb();
    t.cilium.bgpPeeringPolicies[0]!.virtualRouters[0]!.neighbors[0]!.keepAliveTimeSeconds = 100;
    const i = intentOf(t, t.cluster.nodes[0]!);
    expect(i).toMatchObject({ state: 'invalid', reason: 'invalid BGP peering policy rack0: KeepAliveTimeSeconds larger than HoldTimeSeconds for peer ASN:65005 IP:10.1.5.1/24' });
  });

  it('a service selector sees io.kubernetes.service.name (reconcilerv2/service.go serviceLabelSet)', () => {
    const t = lb();
    for (const p of t.cilium.bgpPeeringPolicies) p.virtualRouters[0]!.serviceSelector = { matchLabels: { 'io.kubernetes.service.name': 'web' } };
    const i = desiredAgentOf(t, CP)!;
    expect(i.state === 'configured' && i.agent.instances[0]!.paths.map((p) => p.prefix)).toContain('10.1.100.1/32');
  });

  it('1.16–1.18: a node in two policies applies nothing, its CiliumBGPClusterConfig included', () => {
    const t = structuredClone(loadTopology('cilium-bgp-lb-v2'));
    const rack0 = structuredClone(loadTopology('cilium-bgp-lb').cilium.bgpPeeringPolicies[0]!);
    t.cilium.bgpPeeringPolicies = [rack0, { ...structuredClone(rack0), name: 'rack0-copy' }];
    const i = intentOf(t, t.cluster.nodes[0]!);
    expect(i.state).toBe('conflict');
    expect((i as { reason: string }).reason).toMatch(/stops at that error and applies nothing, not even a CiliumBGPClusterConfig's/);
  });

  it('two policies on a node, per release: 1.14/1.15 withdraw every session; 1.16–1.18 keep what a running agent applied (controller.go Reconcile)', () => {
    for (const [version, keeps] of [['1.14.0-rc.0', false], ['1.15.16', false], ['1.16.8', true], ['1.17.6', true], ['1.18.0', true]] as const) {
      const t = structuredClone(loadTopology('cilium-bgp'));
      t.cilium.version = version;
      t.cilium.bgpPeeringPolicies.push({ ...structuredClone(t.cilium.bgpPeeringPolicies[0]!), name: 'rack0-copy' });
      const i = intentOf(t, t.cluster.nodes[0]!) as { state: string; reason: string };
      const warning = ciliumIssues(t).map((x) => x.message).join('\n');
      expect([version, i.state]).toEqual([version, 'conflict']);
      if (keeps) {
        expect(i.reason, version).toMatch(/a running agent keeps what it last applied \(its sessions stay up; no later edit reaches it\) and logs the selection error, a restarted agent peers with nothing/);
        expect(warning, version).toMatch(new RegExp(`Cilium ${version.slice(0, 4)}'s agent keeps what it last applied there \\(their sessions stay up, and no later edit reaches them\\) and logs the selection error; a restarted agent peers with nothing`));
        expect(warning, version).not.toMatch(/withdraws all/);
      } else {
        expect(i.reason, version).toMatch(/Cilium applies no policy at all and withdraws every session/);
        expect(warning, version).toMatch(/Cilium applies no policy at all there and withdraws all their sessions/);
      }
    }
  });
});
