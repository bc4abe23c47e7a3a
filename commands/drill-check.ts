import { z } from 'zod';
import { defineCommand } from './types.js';
import type { DrillCheckResult } from './drill-results.js';
import type { CheckResult } from './results.js';

export default defineCommand({
  name: 'drill check',
  summary: "Is it fixed: the scenario's own test, then the full `check` matrix",
  examples: ['drill check', 'drill check --wait 20'],
  positionals: [],
  args: z.object({ wait: z.coerce.number().min(0).max(120).default(10).describe('seconds to wait for the fix to converge') }),
  permission: 'read',
  long: true,
  async handler(args, ctx): Promise<DrillCheckResult> {
    const { checkDrill } = await import('../lab/drills/run.js');
    const check = (await import('./check.js')).default;
    const runCheck = () => check.handler(check.args.parse({}), ctx) as Promise<CheckResult>;
    return checkDrill(await ctx.driver(), ctx.lab, runCheck, args.wait * 1000);
  },
});
