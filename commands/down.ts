import { z } from 'zod';
import { defineCommand } from './types.js';
import type { DownResult } from './results.js';

export default defineCommand({
  name: 'down',
  summary: 'Stop every process of the lab and remove its namespaces and state',
  examples: ['down', 'down --force', 'down --all'],
  positionals: [],
  args: z.object({
    all: z.boolean().default(false).describe('remove every bgp-lab lab on this machine'),
    force: z.boolean().default(false).describe('break the lab lock of a command that holds it (stuck, or gone elsewhere), and say whose it was'),
  }),
  permission: 'operate',
  // Every lab on the machine, other people's too; or someone else's running command.
  permissionFor: (args) => (args.all || args.force ? 'admin' : 'operate'),
  mutating: true,
  breaksLock: (args) => args.force,
  async handler(args, ctx): Promise<DownResult> {
    const started = performance.now();
    const driver = await ctx.driver();
    const { abandonDrill } = await import('../lab/state/drill-state.js');
    if (args.all) {
      const { EmbeddedDriver } = await import('../lab/drivers/embedded/index.js');
      const embedded = driver instanceof EmbeddedDriver ? driver : new EmbeddedDriver(ctx.lab, driver.runner);
      const before = await embedded.namespaces(true);
      const { labOfNs } = await import('../lab/drivers/embedded/names.js');
      const { removed } = await embedded.down({ signal: ctx.signal, progress: ctx.progress }, true);
      for (const lab of new Set(before.map((n) => labOfNs(n)!))) await abandonDrill(lab);
      return { labs: [...new Set(before.map((n) => labOfNs(n)!))], removed, durationMs: performance.now() - started, brokeLock: ctx.brokeLock };
    }
    const { removed } = await driver.down({ signal: ctx.signal, progress: ctx.progress });
    // The drill's faults and prober died with the namespaces: end it (scored as aborted).
    await abandonDrill(ctx.lab);
    return { labs: [ctx.lab], removed, durationMs: performance.now() - started, brokeLock: ctx.brokeLock };
  },
});
