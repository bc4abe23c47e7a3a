import { z } from 'zod';
import { defineCommand } from './types.js';
import type { DrillScoresResult } from './drill-results.js';

export default defineCommand({
  name: 'drill scores',
  summary: 'Drill history: who, which scenario, time to resolve, hints, outcome',
  examples: ['drill scores', 'drill scores --scenario spine-down'],
  positionals: [],
  args: z.object({ scenario: z.string().optional().describe('only this scenario'), user: z.string().optional().describe('only this responder') }),
  permission: 'read',
  offline: true,
  async handler(args): Promise<DrillScoresResult> {
    const { readScores } = await import('../lab/state/drill-state.js');
    const scores = (await readScores()).filter((s) => (!args.scenario || s.id === args.scenario) && (!args.user || s.user === args.user));
    return { scores };
  },
});
