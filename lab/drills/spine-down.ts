// A spine's bgpd dies (crash, OOM): both leaves lose a path; ECMP narrows, traffic survives.
import { defineScenario } from './types.js';
import { cidrOf, firstRack, lastRack, leafNames, nexthops, nodesOfRack, reaches, spineFor, spines, verdict } from './util.js';
import { daemonPid, killDaemon, restartRouter } from '../drivers/embedded/ops.js';

export default defineScenario({
  id: 'spine-down',
  title: "A spine's BGP daemon is down",
  target: (t, variant) => ({ spine: spineFor(t, variant, 0), leaf: leafNames(t)[0]!, width: spines(t).length, remote: cidrOf(t, nodesOfRack(t, lastRack(t).name)[0]!.name), from: nodesOfRack(t, firstRack(t).name)[0]!.name, to: nodesOfRack(t, lastRack(t).name)[0]!.name }),
  page: (f) => `[WARNING] ${f.leaf}: BGP neighbor ${f.spine} went down; monitoring shows fewer paths between racks. Apps report no errors yet.`,
  hints: (f) => [
    `\`peers\`: which sessions are not Established, and what do they have in common?`,
    `\`routes ${f.leaf} --prefix ${f.remote}\` shows how many next hops the leaf has toward the other rack.`,
    `\`status\` lists the daemons per router: is ${f.spine}'s bgpd running? \`router restart ${f.spine}\` starts it again.`,
  ],
  cause: (f) => `${f.spine}'s bgpd was killed (SIGKILL): both leaves lost that spine as a next hop; ECMP fell to one path and traffic took the other spine.`,
  fix: (f) => [`router restart ${f.spine}`],
  async inject(ctx, f) {
    await killDaemon(ctx.d, f.spine, 'bgpd', 'KILL');
  },
  async isFixed(ctx, f) {
    const t = (await ctx.record()).topology;
    return verdict([
      [`${f.spine} bgpd running`, async () => (await daemonPid(ctx.d, f.spine, 'bgpd')) !== undefined],
      [`${f.leaf} has ${f.width} next hops to ${f.remote}`, async () => (await nexthops(ctx, f.leaf, f.remote)).length === f.width],
      [`${f.from} reaches ${f.to}`, () => reaches(ctx, t, f.from, f.to)],
    ]);
  },
  async restore(ctx, f) {
    if (!(await daemonPid(ctx.d, f.spine, 'bgpd'))) await restartRouter(ctx.d, f.spine);
  },
});
