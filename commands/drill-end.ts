import { z } from 'zod';
import { defineCommand } from './types.js';
import type { DrillEndResult } from './drill-results.js';

export default defineCommand({
  name: 'drill end',
  summary: 'Reveal the cause, restore the lab to its pre-drill baseline, record the score',
  positionals: [],
  args: z.object({}),
  permission: 'operate',
  mutating: true,
  long: true,
  async handler(_args, ctx): Promise<DrillEndResult> {
    const { endDrill } = await import('../lab/drills/run.js');
    return endDrill(await ctx.driver(), ctx.lab);
  },
});
