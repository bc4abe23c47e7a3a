// A degraded spine-leaf link (bad optic): loss and delay, sessions stay up, traffic suffers.
import { defineScenario } from './types.js';
import { leafNames, spines, uplink, verdict } from './util.js';
import { netemOf, setNetem } from '../drivers/embedded/ops.js';

export default defineScenario({
  id: 'lossy-spine-link',
  title: 'A lossy, slow spine-leaf link',
  target: (t) => {
    const leaf = leafNames(t).at(-1)!;
    const spine = spines(t).at(-1)!.name;
    return { leaf, spine, iface: uplink(t, leaf, spine).spineIface, lossPct: 30, delayMs: 80 };
  },
  page: (f) => `[WARNING] Cross-rack latency p99 up and TCP retransmits high toward ${f.leaf}'s rack; no BGP alarms.`,
  hints: (f) => [
    `\`peers\` is all green: look at the data path. \`trace\` and repeated \`check\` show what varies.`,
    `Compare RTTs of flows through each spine; the slow ones cross ${f.spine}.`,
    `${f.spine} ${f.iface} has a netem qdisc (loss, delay): \`netem ${f.spine} ${f.iface} --clear\`.`,
  ],
  cause: (f) => `${f.spine} ${f.iface} (toward ${f.leaf}) had netem ${f.lossPct}% loss and ${f.delayMs} ms delay: sessions stayed up (BGP retransmits), flows hashed over it suffered.`,
  fix: (f) => [`netem ${f.spine} ${f.iface} --clear`],
  async inject(ctx, f) {
    await setNetem(ctx.d, f.spine, f.iface, { lossPct: f.lossPct, delayMs: f.delayMs });
  },
  async isFixed(ctx, f) {
    return verdict([[`no netem on ${f.spine} ${f.iface}`, async () => (await netemOf(ctx.d, f.spine, f.iface)) === undefined]]);
  },
  async restore(ctx, f) {
    await setNetem(ctx.d, f.spine, f.iface, 'clear');
  },
});
