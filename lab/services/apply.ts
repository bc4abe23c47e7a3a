// Applies a Service/workload edit to the running embedded lab through the same path as
// `policy set` (applyTopology: the lab record, the agents whose configuration changed, then the
// Service reconcile: pods, nftables, announcements).
import type { Driver } from '../drivers/types.js';
import type { Topology } from '../topology/schema.js';
import type { ServiceEditResult } from './results.js';
import { TopologySchema } from '../topology/schema.js';
import { UsageError } from '../errors.js';
import { validateServices } from './validate.js';

export async function applyServiceEdit(
  driver: Driver,
  edit: (t: Topology) => { topology: Topology; from: unknown; to: unknown },
  what: Pick<ServiceEditResult, 'action' | 'name' | 'field'>,
): Promise<ServiceEditResult> {
  const { embeddedOnly, requireRecord } = await import('../drivers/embedded/ops.js');
  const { applyTopology } = await import('../drills/policy.js');
  const d = embeddedOnly(driver);
  const rec = await requireRecord(d);
  const { topology, from, to } = edit(rec.topology);
  const checked = TopologySchema.safeParse(topology);
  if (!checked.success) throw new UsageError(`the edited model is not valid: ${checked.error.issues[0]!.message}`, 'see `services`');
  const issues = validateServices(topology);
  if (issues.length) throw new UsageError(`${issues[0]!.path}: ${issues[0]!.message}`, 'see `services` and `topo show`');
  const r = await applyTopology(d, rec, topology);
  const s = r.services ?? { podsAdded: [], podsRemoved: [], announced: [], withdrawn: [] };
  return { ...what, from, to, agentsRestarted: r.nodes.filter((n) => !n.kept).map((n) => n.node), ...s };
}
