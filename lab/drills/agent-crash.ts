// A node's BGP agent dies (the Cilium agent pod crashes): the leaf withdraws its pod CIDR.
import { defineScenario } from './types.js';
import { cidrOf, firstRack, lastRack, leafNames, nexthops, nodesOfRack, reaches, verdict } from './util.js';
import { daemonPid, killDaemon, restartAgent } from '../drivers/embedded/ops.js';

export default defineScenario({
  id: 'agent-crash',
  title: "A node's BGP agent crashed",
  target: (t) => {
    const node = nodesOfRack(t, lastRack(t).name).at(-1)!.name;
    return { node, cidr: cidrOf(t, node), leaf: t.racks.find((r) => r.name === lastRack(t).name)!.leaf, far: leafNames(t)[0]!, from: nodesOfRack(t, firstRack(t).name)[0]!.name };
  },
  page: (f) => `[CRITICAL] Pods on ${f.node} unreachable from other nodes; the node itself is Ready.`,
  hints: (f) => [
    `\`routes ${f.far} --prefix ${f.cidr}\`: does the fabric still know how to reach ${f.node}'s pods?`,
    `\`peers\`: ${f.node}'s session to ${f.leaf} — who advertises ${f.cidr}?`,
    `\`status\`: ${f.node}'s gobgpd (its Cilium agent) is not running: \`agent restart ${f.node}\`.`,
  ],
  cause: (f) => `${f.node}'s gobgpd (the Cilium agent's BGP speaker) was killed; its session closed and ${f.leaf} withdrew ${f.cidr} from the fabric.`,
  fix: (f) => [`agent restart ${f.node}`],
  async inject(ctx, f) {
    await killDaemon(ctx.d, f.node, 'gobgpd', 'KILL');
  },
  async isFixed(ctx, f) {
    const t = (await ctx.record()).topology;
    return verdict([
      [`${f.node} gobgpd running`, async () => (await daemonPid(ctx.d, f.node, 'gobgpd')) !== undefined],
      [`${f.far} routes ${f.cidr}`, async () => (await nexthops(ctx, f.far, f.cidr)).length > 0],
      [`${f.from} reaches ${f.node}`, () => reaches(ctx, t, f.from, f.node)],
    ]);
  },
  async restore(ctx, f) {
    if (!(await daemonPid(ctx.d, f.node, 'gobgpd'))) await restartAgent(ctx.d, await ctx.record(), f.node);
  },
});
