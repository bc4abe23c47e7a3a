import { z } from 'zod';
import { defineCommand } from './types.js';
import type { DrillEndResult } from './drill-results.js';

export default defineCommand({
  name: 'drill end',
  summary: 'Reveal the cause, restore the lab to its pre-drill baseline, record the scores, post the postmortem',
  examples: ['drill end', 'drill end --abort', 'drill end --abort --reason "customer demo in 5 minutes"'],
  positionals: [],
  args: z.object({
    abort: z.boolean().default(false).describe('stop without scoring it as resolved or given up (scored aborted)'),
    reason: z.string().max(200).optional().describe('why it was aborted (in the postmortem)'),
    drillId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/).optional().describe('only if this drill is the one running (the abort rule names its drill)'),
  }),
  permission: 'operate',
  mutating: true,
  long: true,
  cancel: 'finish',
  async handler(args, ctx): Promise<DrillEndResult> {
    const { endDrill } = await import('../lab/drills/run.js');
    const { cleanNote } = await import('../lab/gameday/input.js');
    const reason = args.abort ? (args.reason ? cleanNote(args.reason) : `ended early by ${ctx.caller.name ?? ctx.caller.user}`) : undefined;
    return endDrill(await ctx.driver(), ctx.lab, { abort: args.abort, reason, by: ctx.caller.name ?? ctx.caller.user, drillId: args.drillId });
  },
});
