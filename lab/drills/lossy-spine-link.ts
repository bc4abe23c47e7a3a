// A degraded spine-leaf link (bad optic): loss (and delay where the kernel has netem), sessions
// stay up, traffic hashed over it suffers. The link is chosen when injecting: the spine that
// carries most of the prober's flows, so the loss is seen, not only claimed.
import { defineScenario } from './types.js';
import { crossedSpine, leafNames, spineFor, uplink, verdict } from './util.js';
import { netemOf, setNetem } from '../drivers/embedded/ops.js';

export default defineScenario({
  id: 'lossy-spine-link',
  title: 'A lossy spine-leaf link',
  target: (t, variant) => {
    const leaf = leafNames(t).at(-1)!;
    const spine = spineFor(t, variant, -1);
    return { leaf, spine, iface: uplink(t, leaf, spine).spineIface, lossPct: 30, delayMs: 80, variant: variant ?? -1 };
  },
  page: (f) =>
    Number(f.delayMs) > 0
      ? `[WARNING] Cross-rack latency p99 up and TCP retransmits high toward ${f.leaf}'s rack; no BGP alarms.`
      : `[WARNING] Intermittent cross-rack packet loss and TCP retransmits toward ${f.leaf}'s rack; no BGP alarms.`,
  hints: (f) => [
    `\`peers\` is all green: look at the data path. Repeated \`check\` shows which pairs answer only on a retry.`,
    `\`trace\` the pairs that lose packets (it follows ping's path): which spine do they share? \`capture\` on its links.`,
    `${f.spine} ${f.iface} drops ${f.lossPct}% of what it sends${Number(f.delayMs) > 0 ? ` and delays it ${f.delayMs} ms` : ''}: \`netem ${f.spine} ${f.iface} --clear\`.`,
  ],
  cause: (f) =>
    `${f.spine} ${f.iface} (toward ${f.leaf}) had ${f.lossPct}% loss${Number(f.delayMs) > 0 ? ` and ${f.delayMs} ms delay` : ''}: sessions stayed up (BGP retransmits), the flows hashed over it suffered.`,
  fix: (f) => [`netem ${f.spine} ${f.iface} --clear`],
  async inject(ctx, f) {
    const t = (await ctx.record()).topology;
    // Where the prober's flows go: the busiest spine, or (random drill) the crossed one its variant picks.
    const spine = (await crossedSpine(ctx, t, Number(f.variant))) ?? String(f.spine);
    const iface = uplink(t, String(f.leaf), spine).spineIface;
    const q = await setNetem(ctx.d, spine, iface, { lossPct: Number(f.lossPct), delayMs: Number(f.delayMs) });
    // Without sch_netem the loss is done with nftables and there is no delay: say only what is true.
    return { spine, iface, delayMs: q?.startsWith('nftables') ? 0 : Number(f.delayMs) };
  },
  async isFixed(ctx, f) {
    return verdict([[`no impairment on ${f.spine} ${f.iface}`, async () => (await netemOf(ctx.d, String(f.spine), String(f.iface))) === undefined]]);
  },
  async restore(ctx, f) {
    await setNetem(ctx.d, String(f.spine), String(f.iface), 'clear');
  },
});
