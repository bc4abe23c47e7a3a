import { z } from 'zod';
import { defineCommand, PERMISSION_RANK } from './types.js';
import type { ProberPauseResult } from '../lab/drills/run.js';

export type DrillProberResult = ProberPauseResult;

export default defineCommand({
  name: 'drill prober',
  summary: "Pause or resume the drill's prober (the game master or an operator): its pings stop, the pause is on the timeline, the figures leave it out",
  examples: ['drill prober pause', 'drill prober resume'],
  positionals: [{ name: 'action', complete: { values: ['pause', 'resume'] } }],
  args: z.object({ action: z.enum(['pause', 'resume']).describe('pause or resume') }),
  // Who may is the drill's business (its game master), checked below; the pings are lab
  // processes, so it takes the lab lock like any change: never half-way through a `drill end`.
  permission: 'read',
  mutating: true,
  async handler(args, ctx): Promise<DrillProberResult> {
    const { pauseProber, requireDrill, resumeProber } = await import('../lab/drills/run.js');
    const { PermissionError } = await import('../lab/errors.js');
    const running = await requireDrill(ctx.lab, { started: true });
    const gm = running.gameMaster ?? { user: running.startedBy, name: running.startedBy };
    const operator = PERMISSION_RANK[ctx.caller.level] >= PERMISSION_RANK.operate;
    const name = ctx.caller.name ?? ctx.caller.user;
    if (gm.user !== ctx.caller.user && !operator)
      throw new PermissionError(`only the drill's game master (${gm.name}) or an operator pauses or resumes its prober; ${name} has ${ctx.caller.level}`, `ask ${gm.name}, or follow along with \`drill status\``);
    const who = { user: ctx.caller.user, name };
    return args.action === 'pause' ? pauseProber(await ctx.driver(), ctx.lab, who) : resumeProber(await ctx.driver(), ctx.lab, who);
  },
});
