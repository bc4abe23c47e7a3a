import { z } from 'zod';
import { defineCommand } from './types.js';
import type { DrillListResult } from './drill-results.js';

export default defineCommand({
  name: 'drill list',
  summary: 'The on-call drill scenarios',
  examples: ['drill list', 'drill list --json'],
  positionals: [],
  args: z.object({}),
  permission: 'read',
  offline: true,
  async handler(_args, ctx): Promise<DrillListResult> {
    const { scenariosFor } = await import('../lab/drills/index.js');
    return { scenarios: scenariosFor(ctx.topology).map((s) => ({ id: s.id, title: s.title })) };
  },
});
