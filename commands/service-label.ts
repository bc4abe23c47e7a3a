import { z } from 'zod';
import { defineCommand } from './types.js';
import type { ServiceEditResult } from './service-results.js';

export default defineCommand({
  name: 'service label',
  summary: "Set (key=value) or remove (key-) a label of a Service; the advertisements' selectors re-evaluate",
  examples: ['service label web advertise=bgp', 'service label web advertise-', 'explain web'],
  positionals: [{ name: 'service' }, { name: 'label' }],
  args: z.object({ service: z.string().max(80).describe('Service name'), label: z.string().max(400).describe('key=value, or key- to remove') }),
  permission: 'operate',
  mutating: true,
  drillAction: true,
  long: true,
  async handler(args, ctx): Promise<ServiceEditResult> {
    const { labelService } = await import('../lab/services/edit.js');
    const { applyServiceEdit } = await import('../lab/services/apply.js');
    const probe = labelService(ctx.topology, args.service, args.label);
    return applyServiceEdit(await ctx.driver(), (t) => labelService(t, args.service, args.label), { action: 'label', name: args.service, field: probe.key });
  },
});
