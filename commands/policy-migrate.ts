import { z } from 'zod';
import { defineCommand } from './types.js';

export interface PolicyMigrateResult {
  /** The Cilium release the objects are written for (the lab's, or 1.18 for a release before 1.16). */
  version: string;
  /** The v2 objects equivalent to the running peering policies, as one YAML stream. */
  yaml: string;
  objects: { kind: string; name: string }[];
  /** --apply: the lab now runs these objects instead of its peering policies. */
  applied: boolean;
  nodes?: { node: string; running: boolean; announced: string[] }[];
  note?: string;
}

export default defineCommand({
  name: 'policy migrate',
  summary: 'The CiliumBGPClusterConfig/PeerConfig/Advertisement objects equivalent to the running peering policies (--apply: run them instead)',
  examples: ['policy migrate', 'policy migrate --apply'],
  positionals: [],
  args: z.object({ apply: z.boolean().default(false).describe('replace the running peering policies with the v2 objects (Cilium 1.16+)') }),
  permission: 'read',
  permissionFor: (args) => (args.apply ? 'operate' : 'read'),
  mutating: true,
  drillAction: true,
  long: true,
  async handler(args, ctx): Promise<PolicyMigrateResult> {
    const { migratedTopology, modelObjects } = await import('../lab/cilium/objects.js');
    const { hasBgpV2Objects } = await import('../lab/cilium/version.js');
    const { yamlDocs } = await import('../lab/render/yaml-docs.js');
    const { UsageError } = await import('../lab/errors.js');
    const topo = args.apply ? (await (await import('../lab/drivers/embedded/ops.js')).requireRecord(await ctx.driver())).topology : ctx.topology;
    if (!topo.cilium.bgpPeeringPolicies.length) throw new UsageError('this lab has no CiliumBGPPeeringPolicy to migrate', '`policy show` lists the objects it runs');
    const v2 = hasBgpV2Objects(topo.cilium.version);
    const version = v2 ? topo.cilium.version : '1.18.0';
    const migrated = migratedTopology(topo, version);
    const objs = modelObjects(migrated, version).filter((o) => o.kind !== 'CiliumBGPPeeringPolicy') as { kind: string; metadata: { name: string } }[];
    const result: PolicyMigrateResult = {
      version,
      yaml: `# The v2 BGP objects equivalent to the CiliumBGPPeeringPolicies of ${topo.name} (Cilium ${version}).\n# Apply them, then delete the peering policies (they take precedence until 1.19 removes them).\n${yamlDocs(objs)}`,
      objects: objs.map((o) => ({ kind: o.kind, name: o.metadata.name })),
      applied: false,
      ...(v2 ? {} : { note: `Cilium ${topo.cilium.version} has no v2 BGP resources (they arrived in 1.16): written for ${version}` }),
    };
    if (!args.apply) return result;
    if (!v2) throw new UsageError(`Cilium ${topo.cilium.version} has no v2 BGP resources (they arrived in 1.16)`, 'run `policy migrate` to see them; the lab must run Cilium 1.16 or later to apply them');
    const { embeddedOnly, requireRecord } = await import('../lab/drivers/embedded/ops.js');
    const { applyTopology } = await import('../lab/drills/policy.js');
    const d = embeddedOnly(await ctx.driver());
    const rec = await requireRecord(d);
    const { nodes } = await applyTopology(d, rec, migratedTopology(rec.topology, rec.topology.cilium.version));
    return { ...result, applied: true, nodes };
  },
});
