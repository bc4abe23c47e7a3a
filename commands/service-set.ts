import { z } from 'zod';
import { defineCommand } from './types.js';
import type { ServiceEditResult } from './service-results.js';

export default defineCommand({
  name: 'service set',
  summary: 'Change a Service of the running lab (externalTrafficPolicy, loadBalancerIP, type); LB-IPAM, agents and datapath reconcile',
  examples: ['service set web-local externalTrafficPolicy Cluster', 'service set web-local loadBalancerIP none', 'services'],
  positionals: [{ name: 'service' }, { name: 'field', complete: { values: ['externalTrafficPolicy', 'loadBalancerIP', 'type'] } }, { name: 'value' }],
  args: z.object({ service: z.string().max(80).describe('Service name'), field: z.string().max(40).describe('externalTrafficPolicy, loadBalancerIP or type'), value: z.string().max(80).describe('new value') }),
  permission: 'operate',
  mutating: true,
  drillAction: true,
  long: true,
  async handler(args, ctx): Promise<ServiceEditResult> {
    const { editService } = await import('../lab/services/edit.js');
    const { applyServiceEdit } = await import('../lab/services/apply.js');
    editService(ctx.topology, args.service, args.field, args.value); // bad input refused before the lab is touched
    return applyServiceEdit(await ctx.driver(), (t) => editService(t, args.service, args.field, args.value), { action: 'set', name: args.service, field: args.field });
  },
});
