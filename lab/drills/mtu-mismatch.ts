// One end of a spine-leaf link gets a smaller MTU: BGP and small pings are fine, big packets
// (1400-byte, don't-fragment) die on the flows the hash sends over that link.
import { defineScenario } from './types.js';
import type { DrillCtx } from './types.js';
import type { Topology } from '../topology/schema.js';
import { firstRack, lastRack, leafNames, nodesOfRack, reaches, spineFor, uplink, verdict } from './util.js';
import { flushPathMtu, linkInfo, setLink } from '../drivers/embedded/ops.js';

const SIZE = 1400;

/** Every cross-rack pod pair in both directions passes a 1400-byte DF ping. */
async function bigPingsPass(ctx: DrillCtx, t: Topology): Promise<boolean> {
  const a = nodesOfRack(t, firstRack(t).name).map((n) => n.name);
  const b = nodesOfRack(t, lastRack(t).name).map((n) => n.name);
  const pairs = a.flatMap((x) => b.flatMap((y) => [[x, y], [y, x]]));
  const ok = await Promise.all(pairs.map(([x, y]) => reaches(ctx, t, x!, y!, SIZE)));
  return ok.every(Boolean);
}

export default defineScenario({
  id: 'mtu-mismatch',
  title: 'MTU mismatch on a spine-leaf link',
  // Any spine link will do: check covers every ECMP member, so `check --size` sees it in every lab.
  target: (t, variant) => {
    const leaf = leafNames(t)[0]!;
    const spine = spineFor(t, variant, 0);
    const { spineIface } = uplink(t, leaf, spine);
    const mtu = t.routers.find((r) => r.name === spine)!.interfaces.find((i) => i.name === spineIface)!.mtu;
    return { leaf, spine, iface: spineIface, mtu, low: 1300, size: SIZE };
  },
  page: () => `[WARNING] Some cross-rack requests hang (large responses, file uploads); health checks and pings are green.`,
  hints: (f) => [
    `\`check\` passes; try \`check --size ${f.size}\`: which pairs fail, and what do their paths share?`,
    `Large don't-fragment packets die on one link only: look at the MTU of the links between ${f.leaf} and the spines (\`interfaces <router>\`).`,
    `${f.spine} ${f.iface} has MTU ${f.low}, its peer ${f.mtu}: \`link ${f.spine} ${f.iface} up --mtu ${f.mtu}\`.`,
  ],
  cause: (f) => `${f.spine} ${f.iface} (toward ${f.leaf}) had MTU ${f.low} while the other end has ${f.mtu}: ${f.size}-byte DF packets hashed over that link were dropped or refused; BGP's small packets passed. Senders keep a learned 1300-byte path MTU for 10 minutes; \`link … --mtu\` flushes the pods' cached path MTUs.`,
  fix: (f) => [`link ${f.spine} ${f.iface} up --mtu ${f.mtu}`],
  async inject(ctx, f) {
    await setLink(ctx.d, f.spine, f.iface, 'up', f.low);
  },
  async isFixed(ctx, f) {
    const t = (await ctx.record()).topology;
    return verdict([
      [`${f.spine} ${f.iface} MTU ${f.mtu}`, async () => (await linkInfo(ctx.d, f.spine, f.iface)).mtu === f.mtu],
      [`${f.size}-byte DF pings pass between racks`, async () => (await flushPathMtu(ctx.d, t), bigPingsPass(ctx, t))],
    ]);
  },
  async restore(ctx, f) {
    await setLink(ctx.d, f.spine, f.iface, 'up', f.mtu);
    await flushPathMtu(ctx.d, (await ctx.record()).topology);
  },
});
