import { z } from 'zod';
import { defineCommand } from './types.js';
import type { ServiceEditResult } from './service-results.js';

export default defineCommand({
  name: 'workload scale',
  summary: "Scale a Deployment of the running lab: pods start or stop, Local Services' announcements follow their endpoints",
  examples: ['workload scale web 0', 'workload scale web 2', 'services'],
  positionals: [{ name: 'workload' }, { name: 'replicas' }],
  args: z.object({ workload: z.string().max(80).describe('Deployment name'), replicas: z.coerce.number().int().min(0).max(16).describe('replicas, 0-16') }),
  permission: 'operate',
  mutating: true,
  drillAction: true,
  long: true,
  async handler(args, ctx): Promise<ServiceEditResult> {
    const { scaleWorkload } = await import('../lab/services/edit.js');
    const { applyServiceEdit } = await import('../lab/services/apply.js');
    scaleWorkload(ctx.topology, args.workload, args.replicas);
    return applyServiceEdit(await ctx.driver(), (t) => scaleWorkload(t, args.workload, args.replicas), { action: 'scale', name: args.workload, field: 'replicas' });
  },
});
