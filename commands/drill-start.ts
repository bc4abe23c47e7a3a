import { z } from 'zod';
import { defineCommand } from './types.js';
import type { DrillStartResult } from './drill-results.js';

export default defineCommand({
  name: 'drill start',
  summary: 'Inject a fault for real and page the responder (one drill per lab)',
  examples: ['drill start spine-down', 'drill start --random', 'drill start --random --seed 7'],
  positionals: [{ name: 'scenario', complete: 'scenario' }],
  args: z.object({
    scenario: z.string().optional().describe('scenario id (see `drill list`)'),
    random: z.boolean().default(false).describe('pick one without saying which'),
    seed: z.coerce.number().int().min(0).optional().describe('seed for --random (same seed, same scenario)'),
  }),
  permission: 'operate',
  mutating: true,
  long: true,
  async handler(args, ctx): Promise<DrillStartResult> {
    const { startDrill } = await import('../lab/drills/run.js');
    return startDrill(await ctx.driver(), ctx.lab, { user: ctx.caller.user, surface: ctx.caller.surface }, { id: args.scenario, random: args.random, seed: args.seed });
  },
});
