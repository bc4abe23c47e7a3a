// The cluster is upgraded to Cilium 1.19 with its CiliumBGPPeeringPolicies left in place: 1.19
// has no such CRD (removed after its 1.18 deprecation), so no node's agent has any BGP config,
// every node session drops and every pod CIDR leaves the fabric. Nothing errors: the agent just
// has nothing to run. The fix is the upgrade's missing step: the equivalent v2 resources
// (CiliumBGPClusterConfig, CiliumBGPPeerConfig, CiliumBGPAdvertisement).
import { defineScenario } from './types.js';
import { cidrOf, firstRack, lastRack, nexthops, nodesOfRack, reaches, verdict } from './util.js';
import { applyTopology } from './policy.js';
import { desiredAgents } from '../cilium/desired.js';
import { CHART_VERSION } from '../cilium/version.js';
import type { Topology } from '../topology/schema.js';

export const UPGRADED_VERSION = CHART_VERSION['1.19'];

/** The model after the upgrade: the release changes, the objects stay as they were. */
export function upgradedTopology(t: Topology): Topology {
  const next = structuredClone(t);
  next.cilium.version = UPGRADED_VERSION;
  return next;
}

/** Fixed in the model: every node configured again, and by v2 objects (no peering policy left to run). */
export function modelFixed(t: Topology): { ok: boolean; unpeered: string[] } {
  const unpeered = desiredAgents(t).filter((i) => i.state !== 'configured').map((i) => i.node);
  return { ok: unpeered.length === 0 && t.cilium.bgpClusterConfigs.length > 0, unpeered };
}

export default defineScenario({
  id: 'cilium-upgrade-1-19',
  title: 'Cilium upgraded to 1.19 with only CiliumBGPPeeringPolicies',
  target: (t) => {
    const node = nodesOfRack(t, lastRack(t).name)[0]!;
    return { from: t.cilium.version, to: UPGRADED_VERSION, node: node.name, cidr: cidrOf(t, node.name), far: firstRack(t).leaf, src: nodesOfRack(t, firstRack(t).name)[0]!.name, policies: t.cilium.bgpPeeringPolicies.map((p) => p.name).join(', ') };
  },
  page: (f) => `[CRITICAL] Every pod network is unreachable from outside its node since the Cilium upgrade to ${f.to}; the agents are healthy and report no errors.`,
  hints: (f) => [
    '`peers`: which node sessions are up? `policy show`: what does each node\'s agent run, and why?',
    `Cilium ${f.to} removed CiliumBGPPeeringPolicy (deprecated in 1.18): ${f.policies} are no longer read. What replaced them?`,
    '`policy migrate` prints the equivalent CiliumBGPClusterConfig/PeerConfig/Advertisement objects; `policy migrate --apply` applies them.',
  ],
  cause: (f) => `The upgrade from Cilium ${f.from} to ${f.to} kept the CiliumBGPPeeringPolicies (${f.policies}), a kind 1.19 no longer has: no node had any BGP configuration, so every node session dropped and no pod CIDR was advertised. Migrating to the v2 resources before the upgrade is the missing step.`,
  fix: () => ['policy migrate --apply'],
  async inject(ctx) {
    const rec = await ctx.record();
    await applyTopology(ctx.d, rec, upgradedTopology(rec.topology));
  },
  async isFixed(ctx, f) {
    const t = (await ctx.record()).topology;
    return verdict([
      ['every node has a BGP configuration from v2 objects', async () => modelFixed(t).ok],
      [`${f.far} routes ${f.cidr}`, async () => (await nexthops(ctx, f.far, f.cidr)).length > 0],
      [`${f.src} reaches ${f.node}`, () => reaches(ctx, t, f.src, f.node)],
    ]);
  },
  async restore() {
    // The generic restore puts the release and the policies back from the drill's baseline model.
  },
});
