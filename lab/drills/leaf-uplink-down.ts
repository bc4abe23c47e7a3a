// A leaf's uplink to a spine goes down (cable pulled, port shut): one path fewer from that rack.
import { defineScenario } from './types.js';
import { cidrOf, crossedSpine, lastRack, leafNames, nexthops, nodesOfRack, spines, uplink, verdict } from './util.js';
import { linkInfo, setLink } from '../drivers/embedded/ops.js';

export default defineScenario({
  id: 'leaf-uplink-down',
  title: "A leaf's uplink to a spine is down",
  target: (t, variant) => {
    const leaf = leafNames(t)[0]!;
    const spine = spines(t)[0]!.name;
    return { leaf, spine, ...uplink(t, leaf, spine), width: spines(t).length, remote: cidrOf(t, nodesOfRack(t, lastRack(t).name)[0]!.name), variant: variant ?? -1 };
  },
  page: (f) => `[WARNING] ${f.leaf}: BGP neighbor ${f.spine} down; interface alarms on ${f.leaf}. Cross-rack traffic from its rack on fewer paths.`,
  hints: (f) => [
    `\`peers\`: which session is down, seen from which side?`,
    `\`routes ${f.leaf}\`: is the connected route of the link to ${f.spine} still there?`,
    `${f.leaf} ${f.leafIface} is administratively down: \`link ${f.leaf} ${f.leafIface} up\`.`,
  ],
  cause: (f) => `${f.leaf} ${f.leafIface} (toward ${f.spine}) was set down; the session dropped at once and ${f.leaf} routed over the other spine.`,
  fix: (f) => [`link ${f.leaf} ${f.leafIface} up`],
  async inject(ctx, f) {
    // The uplink the prober's flows leave on: its outage is seen, not only claimed.
    const t = (await ctx.record()).topology;
    const spine = (await crossedSpine(ctx, t, Number(f.variant))) ?? f.spine;
    const link = uplink(t, f.leaf, spine);
    await setLink(ctx.d, f.leaf, link.leafIface, 'down');
    return { spine, ...link };
  },
  async isFixed(ctx, f) {
    return verdict([
      [`${f.leaf} ${f.leafIface} up with carrier`, async () => (await linkInfo(ctx.d, f.leaf, f.leafIface)).carrier],
      [`${f.leaf} has ${f.width} next hops to ${f.remote}`, async () => (await nexthops(ctx, f.leaf, f.remote)).length === f.width],
    ]);
  },
  async restore(ctx, f) {
    await setLink(ctx.d, f.leaf, f.leafIface, 'up');
  },
});
