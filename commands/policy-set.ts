import { z } from 'zod';
import { defineCommand } from './types.js';
import type { PolicySetResult } from './drill-results.js';

export default defineCommand({
  name: 'policy set',
  summary: "Edit a CiliumBGPPeeringPolicy (or a v2 cluster config, peer config, advertisement) of the running lab; its nodes reconcile as Cilium's agent would",
  examples: ['policy set rack0 holdTimeSeconds 30', 'policy set rack1 keepAliveTimeSeconds 10', 'policy set rack1 nodeSelector rack=rack1', 'policy set rack0-peer holdTimeSeconds 30', 'policy show'],
  positionals: [
    { name: 'policy', complete: 'policy' },
    { name: 'field', complete: { values: ['peerASN', 'peerAddress', 'exportPodCIDR', 'localASN', 'holdTimeSeconds', 'keepAliveTimeSeconds', 'connectRetryTimeSeconds', 'peerPort', 'eBGPMultihopTTL', 'gracefulRestart', 'restartTimeSeconds', 'ebgpMultihop', 'peerConfigRef', 'localPreference', 'communities', 'nodeSelector'] } },
    { name: 'value' },
  ],
  args: z.object({ policy: z.string().max(253).describe('policy, cluster config, peer config or advertisement name'), field: z.string().max(64).describe('field of virtualRouters[0] or its neighbors[0], or nodeSelector (key=value,…); of a v2 object: see `policy show`'), value: z.string().max(1024).describe('new value') }),
  permission: 'operate',
  mutating: true,
  drillAction: true,
  long: true,
  async handler(args, ctx): Promise<PolicySetResult> {
    const { editPolicy, applyTopology, fieldsOf } = await import('../lab/drills/policy.js');
    const { TopologySchema } = await import('../lab/topology/schema.js');
    const { validateTopology } = await import('../lab/topology/validate.js');
    const { embeddedOnly, requireRecord } = await import('../lab/drivers/embedded/ops.js');
    // The edited model must still be one the cluster accepts: the schema's own ranges and
    // patterns and what the API server / CRD refuses, checked before anything touches the lab.
    // What Cilium's agent refuses (keepalive > hold, two policies on a node) is applied, and said.
    const check = async (t: typeof ctx.topology) => {
      const edited = editPolicy(t, args.policy, args.field, args.value).topology;
      const checked = TopologySchema.safeParse(edited);
      const { UsageError, zodLine } = await import('../lab/errors.js');
      const hint = `e.g. \`policy set ${args.policy} ${args.field} ${args.field === 'peerAddress' ? '10.1.8.1/24' : args.field === 'exportPodCIDR' ? 'true' : args.field.endsWith('ASN') ? '65008' : '30'}\` (fields: ${fieldsOf(t, args.policy).join(', ')})`;
      if (!checked.success) throw new UsageError(`policy set ${args.policy} ${args.field} ${args.value}: ${zodLine(checked.error.issues)}`, hint);
      const refused = validateTopology(checked.data).filter((i) => i.severity !== 'warning');
      if (refused.length) throw new UsageError(`policy set ${args.policy} ${args.field} ${args.value}: ${refused[0]!.path}: ${refused[0]!.message}`, hint);
    };
    await check(ctx.topology);
    const d = embeddedOnly(await ctx.driver());
    const rec = await requireRecord(d);
    await check(rec.topology);
    const { topology, from, to, kind } = editPolicy(rec.topology, args.policy, args.field, args.value);
    const { nodes } = await applyTopology(d, rec, topology);
    const { desiredAgents } = await import('../lab/cilium/desired.js');
    const { ciliumIssues } = await import('../lab/cilium/issues.js');
    const unpeered = desiredAgents(topology).flatMap((i) => (i.state === 'configured' || i.state === 'unselected' ? [] : [{ node: i.node, state: i.state, reason: i.reason }]));
    const warnings = ciliumIssues(topology).filter((i) => i.severity === 'warning').map((i) => i.message);
    return { policy: args.policy, kind, field: args.field, from, to, nodes, unpeered, warnings };
  },
});
