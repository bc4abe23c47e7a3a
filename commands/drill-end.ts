import { z } from 'zod';
import { defineCommand } from './types.js';
import type { DrillEndResult } from './drill-results.js';

export default defineCommand({
  name: 'drill end',
  summary: 'Reveal the cause, restore the lab to its pre-drill baseline, record the score',
  examples: ['drill end', 'drill end --abort'],
  positionals: [],
  args: z.object({ abort: z.boolean().default(false).describe('stop without scoring it as resolved or given up (scored aborted)') }),
  permission: 'operate',
  mutating: true,
  long: true,
  cancel: 'finish',
  async handler(args, ctx): Promise<DrillEndResult> {
    const { endDrill } = await import('../lab/drills/run.js');
    return endDrill(await ctx.driver(), ctx.lab, { abort: args.abort });
  },
});
