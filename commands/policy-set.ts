import { z } from 'zod';
import { defineCommand } from './types.js';
import type { PolicySetResult } from './drill-results.js';

export default defineCommand({
  name: 'policy set',
  summary: "Edit a CiliumBGPPeeringPolicy of the running lab; the nodes it selects reconcile as Cilium's agent would",
  examples: ['policy set rack0 holdTimeSeconds 30', 'policy set rack1 keepAliveTimeSeconds 10', 'policy show'],
  positionals: [{ name: 'policy', complete: 'policy' }, { name: 'field', complete: { values: ['peerASN', 'peerAddress', 'exportPodCIDR', 'localASN', 'holdTimeSeconds', 'keepAliveTimeSeconds', 'connectRetryTimeSeconds'] } }, { name: 'value' }],
  args: z.object({ policy: z.string().describe('policy name'), field: z.string().describe('field of virtualRouters[0] or its neighbors[0]'), value: z.string().describe('new value') }),
  permission: 'operate',
  mutating: true,
  drillAction: true,
  long: true,
  async handler(args, ctx): Promise<PolicySetResult> {
    const { editPolicy, applyTopology } = await import('../lab/drills/policy.js');
    const { TopologySchema } = await import('../lab/topology/schema.js');
    const { embeddedOnly, requireRecord } = await import('../lab/drivers/embedded/ops.js');
    // The edited model must still be a valid model: the schema's own ranges and patterns,
    // checked on the model at hand before anything touches the lab.
    const check = async (t: typeof ctx.topology) => {
      const checked = TopologySchema.safeParse(editPolicy(t, args.policy, args.field, args.value).topology);
      if (checked.success) return;
      const [{ UsageError, zodLine }, { POLICY_FIELDS }] = await Promise.all([import('../lab/errors.js'), import('../lab/drills/policy.js')]);
      const example = args.field === 'peerAddress' ? '10.1.8.1/24' : args.field === 'exportPodCIDR' ? 'true' : args.field.endsWith('ASN') ? '65008' : '30';
      throw new UsageError(`policy set ${args.policy} ${args.field} ${args.value}: ${zodLine(checked.error.issues)}`, `e.g. \`policy set ${args.policy} ${args.field} ${example}\` (fields: ${Object.keys(POLICY_FIELDS).join(', ')})`);
    };
    await check(ctx.topology);
    const d = embeddedOnly(await ctx.driver());
    const rec = await requireRecord(d);
    await check(rec.topology);
    const { topology, from, to } = editPolicy(rec.topology, args.policy, args.field, args.value);
    const { nodes } = await applyTopology(d, rec, topology);
    return { policy: args.policy, field: args.field, from, to, nodes };
  },
});
