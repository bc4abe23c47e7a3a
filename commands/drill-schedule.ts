import { z } from 'zod';
import { defineCommand } from './types.js';
import type { DrillScheduleResult, ScheduleView } from './drill-results.js';
import type { Schedule } from '../lab/gameday/schedule.js';

/** What anyone may see of a schedule: a window's exact moment and the scenario stay secret. */
export function scheduleView(s: Schedule): ScheduleView {
  return {
    id: s.id, kind: s.kind, fireAt: s.kind === 'window' ? undefined : s.fireAt, window: s.window, page: s.page, channel: s.channel,
    createdBy: s.createdByName, createdAt: s.createdAt, scenario: s.random ? 'random' : 'chosen (secret)', limits: s.limits,
  };
}

export default defineCommand({
  name: 'drill schedule',
  summary: 'Schedule a surprise drill the bot starts and pages for (--in 30m, --at 14:30, --window 14:00-16:00 --days mon,fri); `list`, `cancel ID`',
  examples: [
    'drill schedule --in 30m --random --page @oncall',
    'drill schedule --window 14:00-16:00 --days fri --random --page UA,UB --abort-if-outage 120s',
    'drill schedule --at 09:30 --scenario spine-down --page UA --channel C0123',
    'drill schedule list',
    'drill schedule cancel s-ab12cd34',
  ],
  positionals: [{ name: 'action', complete: { values: ['list', 'cancel'] } }, { name: 'id' }],
  args: z.object({
    action: z.enum(['list', 'cancel']).optional().describe('list, or cancel ID; omitted: create one'),
    id: z.string().max(40).optional().describe('the schedule to cancel'),
    in: z.string().max(20).optional().describe('fire this long from now (5s … 30d)'),
    at: z.string().max(30).optional().describe('fire at HH:MM UTC (the next one) or an ISO time'),
    window: z.string().max(20).optional().describe('fire at a random moment in HH:MM-HH:MM UTC'),
    days: z.string().max(40).optional().describe('with --window: on these days, every week (mon,fri)'),
    scenario: z.string().max(64).optional().describe('which scenario (never shown before `drill end`)'),
    random: z.boolean().default(false).describe('a random scenario'),
    page: z.string().max(2000).optional().describe('who is paged: Slack users / a usergroup, comma-separated'),
    channel: z.string().max(20).optional().describe('Slack channel ID for the page (from Slack: this channel)'),
    abortAfter: z.string().max(20).optional().describe('the drill ends by itself after this long'),
    abortIfOutage: z.string().max(20).optional().describe('the drill ends by itself when one outage lasts longer'),
  }),
  permission: 'operate',
  // Anyone may see what is scheduled (never what or exactly when); making or cancelling one is an operator's.
  permissionFor: (a) => (a.action === 'list' ? 'read' : 'operate'),
  offline: true,
  async handler(args, ctx): Promise<DrillScheduleResult> {
    const { UsageError } = await import('../lab/errors.js');
    const g = await import('../lab/gameday/schedule.js');
    const { parseDuration, parsePage } = await import('../lab/gameday/input.js');
    if (args.action === 'list') return { action: 'list', lab: ctx.lab, schedules: (await g.listSchedules(ctx.lab)).map(scheduleView) };
    if (args.action === 'cancel') {
      if (!args.id) throw new UsageError('`drill schedule cancel` needs the schedule ID', 'see `drill schedule list`');
      return { action: 'cancelled', lab: ctx.lab, schedules: [scheduleView(await g.cancelSchedule(ctx.lab, args.id))] };
    }
    if (args.id) throw new UsageError(`unexpected "${args.id.slice(0, 30)}"`, '`drill schedule list`, `drill schedule cancel ID`, or `drill schedule --in 30m --random`');
    const when = [args.in, args.at, args.window].filter((x) => x !== undefined).length;
    if (when !== 1) throw new UsageError('`drill schedule` needs exactly one of --in, --at, --window', 'e.g. `drill schedule --in 30m --random --page @oncall`');
    if (args.days && !args.window) throw new UsageError('--days goes with --window', 'e.g. --window 14:00-16:00 --days fri');
    if (Boolean(args.scenario) === args.random) throw new UsageError('`drill schedule` needs --scenario ID or --random (one of them)', 'see `drill list`');
    if (args.scenario) (await import('../lab/drills/index.js')).findScenario(args.scenario);
    const channel = args.channel ?? (ctx.caller.surface === 'slack' ? ctx.caller.channel : undefined);
    if (!channel || !/^[CG][A-Z0-9]{2,20}$/.test(channel)) throw new UsageError(channel ? `--channel "${channel.slice(0, 20)}" is not a Slack channel ID` : 'a schedule from a terminal needs --channel (the Slack channel the bot pages in)', 'the channel ID: C… (channel details in Slack)');
    const page = args.page ? parsePage(args.page) : [];
    const limits = { abortAfter: g.durationOk(args.abortAfter, '--abort-after', 10_000, 86_400_000), abortIfOutage: g.durationOk(args.abortIfOutage, '--abort-if-outage', 1000, 3_600_000) };
    const now = Date.now();
    let fireAt: number;
    let window: Schedule['window'];
    if (args.in) fireAt = now + parseDuration(args.in, '--in', 1000, 30 * 86_400_000);
    else if (args.at) fireAt = g.parseAt(args.at, now);
    else {
      const m = /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/.exec(args.window!);
      if (!m) throw new UsageError(`--window "${args.window!.slice(0, 20)}" is not HH:MM-HH:MM`, 'like 14:00-16:00 (UTC)');
      window = { from: m[1]!, to: m[2]!, days: args.days ? g.parseDays(args.days) : undefined };
      fireAt = g.nextInWindow(window, now);
    }
    const s = await g.createSchedule({
      id: g.newScheduleId(), lab: ctx.lab, createdAt: new Date(now).toISOString(), createdBy: ctx.caller.user, createdByName: ctx.caller.name ?? ctx.caller.user,
      surface: ctx.caller.surface, channel, scenario: args.scenario, random: args.random, page, fireAt: new Date(fireAt).toISOString(),
      kind: args.in ? 'in' : args.at ? 'at' : 'window', window, limits: limits.abortAfter || limits.abortIfOutage ? limits : undefined,
    });
    return { action: 'created', lab: ctx.lab, schedules: [scheduleView(s)] };
  },
});
