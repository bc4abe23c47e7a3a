import { z } from 'zod';
import { defineCommand } from './types.js';
import type { DrillStatusResult } from './drill-results.js';

export default defineCommand({
  name: 'drill status',
  summary: 'The running drill: page, time elapsed, hints used, what was done, prober losses so far',
  positionals: [],
  args: z.object({}),
  permission: 'read',
  async handler(_args, ctx): Promise<DrillStatusResult> {
    const { readDrill } = await import('../lab/state/drill-state.js');
    const s = await readDrill(ctx.lab);
    if (!s) return { lab: ctx.lab, running: false };
    const { findScenario } = await import('../lab/drills/index.js');
    const { readProber } = await import('../lab/drills/prober.js');
    const { embeddedOnly } = await import('../lab/drivers/embedded/ops.js');
    const prober = await readProber(embeddedOnly(await ctx.driver()), s.prober).catch(() => undefined);
    return {
      lab: ctx.lab, running: true, id: s.hidden ? undefined : s.id, title: s.hidden ? undefined : s.title, page: findScenario(s.id).page(s.fault),
      startedAt: s.startedAt, startedBy: s.startedBy, elapsedMs: Date.now() - Date.parse(s.injectedAt ?? s.startedAt), hintsUsed: s.hintsUsed,
      resolved: Boolean(s.resolvedAt), actions: s.actions ?? [], prober,
    };
  },
});
