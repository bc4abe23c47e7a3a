import { z } from 'zod';
import { defineCommand } from './types.js';
import type { DrillStartResult } from './drill-results.js';

export default defineCommand({
  name: 'drill start',
  summary: 'Inject a fault for real and page the responder (one drill per lab)',
  examples: ['drill start spine-down', 'drill start --random', 'drill start --random --seed 7', 'drill start spine-down --page UA,UB --abort-after 10m --abort-if-outage 120s'],
  positionals: [{ name: 'scenario', complete: 'scenario' }],
  args: z.object({
    scenario: z.string().max(64).optional().describe('scenario id (see `drill list`)'),
    random: z.boolean().default(false).describe('pick one without saying which'),
    seed: z.coerce.number().int().min(0).optional().describe('seed for --random (same seed, same scenario)'),
    page: z.string().max(2000).optional().describe('who is paged: Slack users / a usergroup, comma-separated (they are participants)'),
    abortAfter: z.string().max(20).optional().describe('end it by itself after this long (10m): scored aborted, lab restored'),
    abortIfOutage: z.string().max(20).optional().describe('end it by itself when one outage lasts longer (120s)'),
    surprise: z.boolean().default(false).describe('do not show the scenario until `drill end` (scheduled drills)'),
    schedule: z.string().regex(/^[a-z0-9-]{1,40}$/).optional().describe('the schedule that fires it (set by the bot)'),
  }),
  permission: 'operate',
  mutating: true,
  long: true,
  async handler(args, ctx): Promise<DrillStartResult> {
    const { startDrill } = await import('../lab/drills/run.js');
    const { parseDuration, parsePage } = await import('../lab/gameday/input.js');
    // Checked before anything runs: bad input leaves no half-made drill.
    const paged = args.page ? parsePage(args.page) : undefined;
    const limits = {
      abortAfterMs: args.abortAfter ? parseDuration(args.abortAfter, '--abort-after', 10_000, 86_400_000) : undefined,
      abortIfOutageMs: args.abortIfOutage ? parseDuration(args.abortIfOutage, '--abort-if-outage', 1000, 3_600_000) : undefined,
    };
    return startDrill(
      await ctx.driver(), ctx.lab,
      { user: ctx.caller.user, name: ctx.caller.name, surface: ctx.caller.surface },
      { id: args.scenario, random: args.random, seed: args.seed },
      { paged, limits, scheduleId: args.schedule, surprise: args.surprise, host: ctx.host },
    );
  },
});
