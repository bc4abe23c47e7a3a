import { z } from 'zod';
import { defineCommand } from './types.js';
import type { DrillScoresResult } from './drill-results.js';

export default defineCommand({
  name: 'drill scores',
  summary: 'Drill history and the leaderboard: time to detect / mitigate, hints, outcome, per person or per scenario',
  examples: ['drill scores', 'drill scores --by person', 'drill scores --by scenario --since 2026-11-01', 'drill scores --scenario spine-down'],
  positionals: [],
  args: z.object({
    scenario: z.string().max(64).optional().describe('only this scenario'),
    user: z.string().max(80).optional().describe('only drills this person took part in (ID or name)'),
    by: z.enum(['drill', 'person', 'scenario']).default('drill').describe('one row per drill, per person, or per scenario'),
    since: z.string().max(30).optional().describe('only drills ended since this date (YYYY-MM-DD) or duration ago (7d)'),
  }),
  permission: 'read',
  offline: true,
  async handler(args): Promise<DrillScoresResult> {
    const { readScores } = await import('../lab/state/drill-state.js');
    const { leaderboard, parseSince } = await import('../lab/gameday/scores.js');
    const since = args.since ? parseSince(args.since) : undefined;
    const scores = (await readScores()).filter(
      (s) =>
        (!args.scenario || s.id === args.scenario) &&
        (!args.user || s.user === args.user || Boolean(s.participants?.some((p) => p.user === args.user || p.name === args.user))) &&
        (!since || s.endedAt >= since),
    );
    return { scores, by: args.by, since, rows: args.by === 'drill' ? undefined : leaderboard(scores, args.by) };
  },
});
