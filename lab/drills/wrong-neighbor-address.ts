// A policy edit points a rack's nodes at an address nobody has: sessions sit in Active/Connect
// and the rack's pod CIDRs never reach the fabric.
import { defineScenario } from './types.js';
import { cidrOf, lastRack, nexthops, nodesOfRack, reaches, verdict } from './util.js';
import { applyTopology, editPolicy, findPolicy } from './policy.js';
import { policyForNode } from '../topology/model.js';

export default defineScenario({
  id: 'wrong-neighbor-address',
  title: 'A peering policy points at the wrong neighbor address',
  target: (t) => {
    const rack = t.racks[0]!;
    const node = nodesOfRack(t, rack.name)[0]!;
    const policy = policyForNode(t, node)!;
    const len = rack.subnet.split('/')[1]!;
    const wrong = rack.gateway.replace(/\d+$/, (x) => String(Number(x) === 254 ? 253 : 254));
    return { policy: policy.name, rack: rack.name, leaf: rack.leaf, node: node.name, right: `${rack.gateway}/${len}`, wrong: `${wrong}/${len}`, cidr: cidrOf(t, node.name), from: nodesOfRack(t, lastRack(t).name)[0]!.name, far: lastRack(t).leaf };
  },
  page: (f) => `[CRITICAL] Pods in ${f.rack} unreachable from other racks after a change to the ${f.rack} BGP configuration.`,
  hints: (f) => [
    `\`peers\`: what state are the ${f.rack} nodes' sessions in, and toward which address?`,
    `\`policy show ${f.policy}\`: is peerAddress the ${f.rack} gateway (${f.leaf}'s address on the rack LAN)?`,
    `\`policy set ${f.policy} peerAddress ${f.right}\`.`,
  ],
  cause: (f) => `Policy ${f.policy} had peerAddress ${f.wrong}, an address nobody owns; the nodes kept trying to connect there and ${f.leaf} never heard from them.`,
  fix: (f) => [`policy set ${f.policy} peerAddress ${f.right}`],
  async inject(ctx, f) {
    const rec = await ctx.record();
    await applyTopology(ctx.d, rec, editPolicy(rec.topology, f.policy, 'peerAddress', String(f.wrong)).topology);
  },
  async isFixed(ctx, f) {
    const t = (await ctx.record()).topology;
    return verdict([
      [`policy ${f.policy} peerAddress ${f.right}`, async () => findPolicy(t, f.policy).virtualRouters[0]!.neighbors[0]!.peerAddress === f.right],
      [`${f.far} routes ${f.cidr}`, async () => (await nexthops(ctx, f.far, f.cidr)).length > 0],
      [`${f.from} reaches ${f.node}`, () => reaches(ctx, t, f.from, f.node)],
    ]);
  },
  async restore() {
    // The generic restore puts the policy back from the drill's baseline model.
  },
});
