import { z } from 'zod';
import { defineCommand } from './types.js';
import type { DrillReportResult } from './drill-results.js';

export default defineCommand({
  name: 'drill report',
  summary: "A past drill's postmortem again (the lab's latest, or by ID from `drill scores`)",
  examples: ['drill report', 'drill report cilium-bgp-202612020300-k3x9'],
  positionals: [{ name: 'id' }],
  args: z.object({ id: z.string().max(80).optional().describe('drill ID (see `drill scores`)') }),
  permission: 'read',
  offline: true,
  async handler(args, ctx): Promise<DrillReportResult> {
    const { readReport } = await import('../lab/gameday/reports.js');
    return { postmortem: await readReport(ctx.lab, args.id) };
  },
});
