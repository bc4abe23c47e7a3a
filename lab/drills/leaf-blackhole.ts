// Someone left a static blackhole on a leaf (a debugging leftover): it beats BGP (distance 1
// vs 20), so the leaf's rack cannot reach one remote pod CIDR while every session is up.
import { defineScenario } from './types.js';
import { cidrOf, lastRack, nodesOfRack, reaches, selectedProtocol, verdict } from './util.js';
import { daemonPid, killDaemon, vtyshConfig } from '../drivers/embedded/ops.js';

export default defineScenario({
  id: 'leaf-blackhole',
  title: 'A static blackhole route on a leaf',
  target: (t) => {
    const rack = lastRack(t);
    const victim = nodesOfRack(t, t.racks[0]!.name)[0]!.name;
    return { leaf: rack.leaf, rack: rack.name, victim, prefix: cidrOf(t, victim), from: nodesOfRack(t, rack.name)[0]!.name };
  },
  page: (f) => `[CRITICAL] ${f.rack} cannot reach the pods on ${f.victim}; every BGP session is Established.`,
  hints: (f) => [
    `\`check --from <a ${f.rack} pod>\` narrows it to one destination; \`trace\` shows where packets stop.`,
    `\`routes ${f.leaf} --prefix ${f.prefix}\`: which protocol won?`,
    `A static blackhole (not in ${f.leaf}'s intended frr.conf) beats BGP: \`router restart ${f.leaf}\` reloads the intended config.`,
  ],
  cause: (f) => `${f.leaf} had \`ip route ${f.prefix} blackhole\` in its running config (distance 1 beats eBGP's 20): ${f.rack} lost ${f.victim}'s pods while BGP looked healthy.`,
  fix: (f) => [`router restart ${f.leaf}`],
  async inject(ctx, f) {
    await vtyshConfig(ctx.d, f.leaf, [`ip route ${f.prefix} blackhole`]);
  },
  async isFixed(ctx, f) {
    const t = (await ctx.record()).topology;
    return verdict([
      [`${f.leaf} routes ${f.prefix} by BGP`, async () => (await selectedProtocol(ctx, f.leaf, f.prefix)) === 'bgp'],
      [`${f.from} reaches ${f.victim}`, () => reaches(ctx, t, f.from, f.victim)],
    ]);
  },
  async restore(ctx, f) {
    if (await daemonPid(ctx.d, f.leaf, 'staticd')) {
      await vtyshConfig(ctx.d, f.leaf, [`no ip route ${f.prefix} blackhole`]).catch(() => {});
      await killDaemon(ctx.d, f.leaf, 'staticd');
    }
  },
});
