// A policy edit with the wrong peerASN for a rack: its nodes' sessions never establish (the
// leaf answers with its real AS), so the rack's pod CIDRs vanish from the fabric.
import { defineScenario } from './types.js';
import { cidrOf, firstRack, lastRack, nexthops, nodesOfRack, reaches, verdict } from './util.js';
import { applyTopology, editPolicy, findPolicy } from './policy.js';
import { policyForNode } from '../topology/model.js';

export default defineScenario({
  id: 'wrong-peer-asn',
  title: 'A peering policy has the wrong peerASN',
  target: (t) => {
    const rack = lastRack(t);
    const node = nodesOfRack(t, rack.name)[0]!;
    const policy = policyForNode(t, node)!;
    const right = t.routers.find((r) => r.name === rack.leaf)!.asn;
    return { policy: policy.name, rack: rack.name, leaf: rack.leaf, node: node.name, right, wrong: right + 1, cidr: cidrOf(t, node.name), from: nodesOfRack(t, firstRack(t).name)[0]!.name, far: t.racks[0]!.leaf };
  },
  page: (f) => `[CRITICAL] Every pod in ${f.rack} is unreachable from ${'the other racks'}; started right after a BGP policy change was rolled out.`,
  hints: (f) => [
    `\`peers\`: are the ${f.rack} nodes' sessions Established? Compare Local AS and Peer AS.`,
    `\`policy show ${f.policy}\`: which AS does the policy expect ${f.leaf} to have? \`bgp ${f.leaf}\` says which it has.`,
    `peerASN must be ${f.leaf}'s AS: \`policy set ${f.policy} peerASN ${f.right}\`.`,
  ],
  cause: (f) => `Policy ${f.policy} had peerASN ${f.wrong}; ${f.leaf} is AS ${f.right}, so the nodes rejected its OPEN (bad peer AS) and ${f.rack}'s pod CIDRs were never announced.`,
  fix: (f) => [`policy set ${f.policy} peerASN ${f.right}`],
  async inject(ctx, f) {
    const rec = await ctx.record();
    await applyTopology(ctx.d, rec, editPolicy(rec.topology, f.policy, 'peerASN', String(f.wrong)).topology);
  },
  async isFixed(ctx, f) {
    const t = (await ctx.record()).topology;
    return verdict([
      [`policy ${f.policy} peerASN ${f.right}`, async () => findPolicy(t, f.policy).virtualRouters[0]!.neighbors[0]!.peerASN === f.right],
      [`${f.far} routes ${f.cidr}`, async () => (await nexthops(ctx, f.far, f.cidr)).length > 0],
      [`${f.from} reaches ${f.node}`, () => reaches(ctx, t, f.from, f.node)],
    ]);
  },
  async restore() {
    // The generic restore puts the policy back from the drill's baseline model.
  },
});
