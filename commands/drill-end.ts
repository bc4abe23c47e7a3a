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
    const by = ctx.caller.name ?? ctx.caller.user;
    const reason = args.abort ? (args.reason ? cleanNote(args.reason) : `ended early by ${by}`) : undefined;
    // A drill that lives in a Slack thread, ended from elsewhere (its guard, a person at the CLI):
    // the thread hears it through the bot (lab/gameday/news.ts). The bot posts its own ends itself.
    const { readDrill } = await import('../lab/state/drill-state.js');
    const { leaveNews } = await import('../lab/gameday/news.js');
    const d = await readDrill(ctx.lab);
    const tell = ctx.caller.surface !== 'slack' && d?.thread && d.drillId && (!args.drillId || args.drillId === d.drillId) ? { drillId: d.drillId, thread: d.thread } : undefined;
    const at = () => new Date().toISOString();
    if (tell && args.abort) await leaveNews({ kind: 'aborting', lab: ctx.lab, ...tell, at: at(), by, reason: reason! }).catch((err: Error) => ctx.progress({ type: 'log', message: `the drill's thread will not hear of the abort: ${err.message}` }));
    const result = await endDrill(await ctx.driver(), ctx.lab, { abort: args.abort, reason, by, drillId: args.drillId });
    if (tell) await leaveNews({ kind: 'ended', lab: ctx.lab, ...tell, at: at(), by, surface: ctx.caller.surface, reason, result }).catch((err: Error) => ctx.progress({ type: 'log', message: `the drill's thread will not get the report: ${err.message}` }));
    return result;
  },
});
