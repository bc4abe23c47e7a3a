// A spine port flaps (bad optic at the far end): the leaf's session and routes churn every few
// seconds. The on-call move is to drain the link at the leaf (admin down) until it is repaired;
// the flapper keeps running on the spine end until `drill end`.
import { defineScenario } from './types.js';
import { cidrOf, firstRack, lastRack, leafNames, nodesOfRack, reaches, spineFor, uplink, verdict } from './util.js';
import { linkInfo, setLink, startDetached, stopDetached } from '../drivers/embedded/ops.js';
import { waitSettled } from './baseline.js';
import { labDir } from '../drivers/index.js';

/** Written into the lab dir and run with node inside the spine's namespace: no shell involved. */
const FLAPPER = `import { execFileSync } from 'node:child_process';
const [iface, downMs, upMs] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, Number(ms)));
for (;;) {
  execFileSync('ip', ['link', 'set', 'dev', iface, 'down']);
  console.log(new Date().toISOString(), 'down');
  await sleep(downMs);
  execFileSync('ip', ['link', 'set', 'dev', iface, 'up']);
  console.log(new Date().toISOString(), 'up');
  await sleep(upMs);
}
`;

export default defineScenario({
  id: 'link-flap',
  title: 'A flapping spine-leaf link',
  target: (t, variant) => {
    const leaf = leafNames(t)[0]!;
    const spine = spineFor(t, variant, -1);
    return { leaf, spine, ...uplink(t, leaf, spine), remote: cidrOf(t, nodesOfRack(t, lastRack(t).name)[0]!.name), from: nodesOfRack(t, firstRack(t).name)[0]!.name, to: nodesOfRack(t, lastRack(t).name)[0]!.name };
  },
  page: (f) => `[WARNING] ${f.leaf}: BGP neighbor ${f.spine} Established/Idle alarms every few seconds; sporadic cross-rack errors.`,
  hints: (f) => [
    `Run \`peers\` a few times: watch Uptime and State of ${f.leaf} ↔ ${f.spine}.`,
    `\`routes ${f.leaf} --prefix ${f.remote}\` keeps changing width: the ${f.spine} path comes and goes with the link carrier.`,
    `Drain the flapping link until the optic is replaced: \`link ${f.leaf} ${f.leafIface} down\`.`,
  ],
  cause: (f) => `${f.spine} ${f.spineIface} (toward ${f.leaf}) went down and up every few seconds; each flap reset the session and churned ECMP. Draining ${f.leaf} ${f.leafIface} stops the churn.`,
  fix: (f) => [`link ${f.leaf} ${f.leafIface} down`],
  async inject(ctx, f) {
    const script = `${labDir(ctx.lab)}/drill/flapper.mjs`;
    await ctx.d.runner.run(['mkdir', '-p', `${labDir(ctx.lab)}/drill`]);
    await ctx.d.runner.writeFile(script, FLAPPER);
    const node = ctx.d.runner.where === 'local' ? process.execPath : '/usr/bin/node';
    await startDetached(ctx.d, f.spine, 'flapper', [node, script, f.spineIface, '1500', '2500']);
  },
  async isFixed(ctx, f) {
    const rec = await ctx.record();
    return verdict([
      [`${f.leaf} ${f.leafIface} drained (admin down)`, async () => !(await linkInfo(ctx.d, f.leaf, f.leafIface)).adminUp],
      [`${f.leaf}'s routes stable for 3 s`, async () => (await waitSettled(ctx.d, rec.topology, { quietMs: 3000, timeoutMs: 6000 })).settled],
      [`${f.from} reaches ${f.to}`, () => reaches(ctx, rec.topology, f.from, f.to)],
    ]);
  },
  async restore(ctx, f) {
    await stopDetached(ctx.d, `${labDir(ctx.lab)}/drill/flapper.pid`);
    await setLink(ctx.d, f.spine, f.spineIface, 'up');
    await setLink(ctx.d, f.leaf, f.leafIface, 'up');
  },
});
