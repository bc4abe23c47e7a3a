// One node stops exporting its pod CIDR. In Cilium exportPodCIDR is a field of the
// CiliumBGPPeeringPolicy, not of the node, and a node selected by two policies is refused by
// the agent; so the faithful fault is the node relabelled into its own policy (a "maintenance"
// copy of its rack's policy) that has exportPodCIDR: false. Session up, nothing advertised.
import { defineScenario } from './types.js';
import { cidrOf, lastRack, nexthops, nodesOfRack, reaches, verdict } from './util.js';
import { applyTopology, findPolicy } from './policy.js';
import { policyForNode } from '../topology/model.js';

export default defineScenario({
  id: 'export-podcidr-off',
  title: 'A node does not export its pod CIDR',
  target: (t) => {
    const rack = t.racks[0]!;
    const node = nodesOfRack(t, rack.name).at(-1)!;
    const policy = policyForNode(t, node)!;
    const matchLabels = policy.nodeSelector?.matchLabels ?? {};
    const key = Object.keys(matchLabels)[0] ?? 'rack';
    return { node: node.name, policy: policy.name, maint: `${policy.name}-maint`, key, value: matchLabels[key] ?? node.labels[key] ?? '', cidr: cidrOf(t, node.name), leaf: rack.leaf, far: lastRack(t).leaf, from: nodesOfRack(t, lastRack(t).name)[0]!.name };
  },
  page: (f) => `[CRITICAL] Pods on ${f.node} unreachable from other nodes; its BGP session looks healthy.`,
  hints: (f) => [
    `\`routes ${f.leaf} --prefix ${f.cidr}\` and \`routes ${f.node}\`: what does ${f.node} advertise?`,
    `\`policy show\`: which policy selects ${f.node}, and does it export the pod CIDR?`,
    `\`policy set ${f.maint} exportPodCIDR true\`.`,
  ],
  cause: (f) => `${f.node} was relabelled ${f.key}=${f.maint} and selected by policy ${f.maint}, a copy of ${f.policy} with exportPodCIDR: false; its session stayed up but ${f.cidr} was never advertised.`,
  fix: (f) => [`policy set ${f.maint} exportPodCIDR true`],
  async inject(ctx, f) {
    const rec = await ctx.record();
    const t = structuredClone(rec.topology);
    const base = findPolicy(t, f.policy);
    const copy = structuredClone(base);
    copy.name = f.maint;
    copy.nodeSelector = { ...base.nodeSelector, matchLabels: { ...base.nodeSelector?.matchLabels, [f.key]: f.maint } };
    copy.virtualRouters[0]!.exportPodCIDR = false;
    t.cilium.bgpPeeringPolicies.push(copy);
    t.cluster.nodes.find((n) => n.name === f.node)!.labels[f.key] = f.maint;
    await applyTopology(ctx.d, rec, t);
  },
  async isFixed(ctx, f) {
    const t = (await ctx.record()).topology;
    return verdict([
      [`the policy selecting ${f.node} exports`, async () => policyForNode(t, t.cluster.nodes.find((n) => n.name === f.node)!)?.virtualRouters[0]!.exportPodCIDR === true],
      [`${f.far} routes ${f.cidr}`, async () => (await nexthops(ctx, f.far, f.cidr)).length > 0],
      [`${f.from} reaches ${f.node}`, () => reaches(ctx, t, f.from, f.node)],
    ]);
  },
  async restore() {
    // The generic restore puts labels and policies back from the drill's baseline model.
  },
});
