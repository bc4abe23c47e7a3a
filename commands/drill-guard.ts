import { z } from 'zod';
import { defineCommand } from './types.js';
import type { GuardOutcome } from '../lab/gameday/guard.js';

export default defineCommand({
  name: 'drill guard',
  summary: "Enforce the running drill's abort rules until it ends (`drill start --abort-…` starts it detached; not from Slack)",
  examples: ['drill guard --drill-id cilium-bgp-202612020300-k3x9'],
  positionals: [],
  args: z.object({ drillId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/).describe('the drill it guards (ends with it)') }),
  permission: 'operate',
  async handler(args, ctx): Promise<GuardOutcome> {
    const { UsageError } = await import('../lab/errors.js');
    // A loop for the drill's life: a process of its own, never a request in the bot.
    if (ctx.caller.surface === 'slack') throw new UsageError('`drill guard` runs beside a drill, started by `drill start`', 'the abort rules are set with `drill start --abort-after/--abort-if-outage`');
    const { guardDrill, ABORT_RULE } = await import('../lab/gameday/guard.js');
    const { embeddedOnly } = await import('../lab/drivers/embedded/ops.js');
    const { Session } = await import('./execute.js');
    // The end goes through the core like a person's: the lab lock, the audit log (user `system`).
    const system = new Session({ lab: ctx.lab, host: ctx.host, caller: { surface: 'cli', user: 'system', name: ABORT_RULE, level: 'operate' } });
    const abort = async (reason: string): Promise<'done' | 'busy'> => {
      const o = await system.run(['drill', 'end', '--abort', '--reason', reason, '--drill-id', args.drillId]);
      return o.status === 'busy' ? 'busy' : 'done';
    };
    return guardDrill(embeddedOnly(await ctx.driver()), ctx.lab, args.drillId, abort, ctx.signal);
  },
});
