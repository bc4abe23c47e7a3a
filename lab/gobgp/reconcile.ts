// The node agent's reconcilers, modelled on Cilium's (pkg/bgpv1/manager in 1.14, reconcilerv2
// from 1.16): from what was applied last and what the instance should be now, change only what
// Cilium's would change. One BGP instance per gobgpd (Cilium runs one BgpServer per local ASN /
// bgpInstance in one agent; the lab runs a gobgpd per instance, each with its own API socket).
// - preflight: the BGP instance is recreated only when its local ASN, router id or listen
//   port change (StopBgp + StartBgp, every session and path again);
// - routing policies (v2 per-peer advertisements): an export policy per peer, default REJECT,
//   recreated when it changes and the peers soft-reset outbound (reconcilerv2/policies.go);
// - neighbor: peers added, removed or updated one by one (an update whose timers, transport,
//   multihop or graceful restart changed resets that one session, as GoBGP applies those
//   only to a new session);
// - exportPodCIDR / service paths: paths added and withdrawn, sessions untouched.
import type { DesiredAgent, DesiredInstance, DesiredNeighbor } from '../cilium/desired.js';
import type { GobgpClient, Msg } from './client.js';
import { exportPlan, globalOf, listenPortOf, pathKey, pathOf, peerKey, peerOf, policyMessages, type ConnectMode, type ExportPolicy } from './messages.js';

/** What the runtime applied to one gobgpd (one instance), kept beside it so the next reconcile can diff. */
export interface AppliedAgent {
  mode: ConnectMode;
  localAddress: string;
  instance: DesiredInstance;
  /** Which of the node's instances this gobgpd runs (0: the first; absent in records of one-instance agents). */
  slot?: number;
}

export interface ReconcileReport {
  /** The instance was (re)created: StartBgp (after StopBgp when one ran). */
  started: boolean;
  stopped: boolean;
  peersAdded: string[];
  peersRemoved: string[];
  peersUpdated: string[];
  /** Updated peers whose session was reset for the change to take effect. */
  peersReset: string[];
  pathsAdded: string[];
  pathsWithdrawn: string[];
  /** Export policies (re)created or removed: `<policy name>`. */
  policiesChanged: string[];
  /** Always empty now (every instance runs in its own gobgpd); kept for readers of older reports. */
  ignoredInstances: string[];
  /** The instances reconciled, by name. */
  instances: string[];
}

export const emptyReport = (): ReconcileReport => ({
  started: false, stopped: false, peersAdded: [], peersRemoved: [], peersUpdated: [], peersReset: [], pathsAdded: [], pathsWithdrawn: [], policiesChanged: [], ignoredInstances: [], instances: [],
});

/** Several instances' reports as one (what `policy set` prints per node). */
export function mergeReports(reports: ReconcileReport[]): ReconcileReport {
  const out = emptyReport();
  for (const r of reports) {
    out.started ||= r.started;
    out.stopped ||= r.stopped;
    for (const k of ['peersAdded', 'peersRemoved', 'peersUpdated', 'peersReset', 'pathsAdded', 'pathsWithdrawn', 'policiesChanged', 'ignoredInstances', 'instances'] as const) out[k].push(...r[k]);
  }
  return out;
}

function needsHardReset(before: Msg, after: Msg): boolean {
  return (['timers', 'transport', 'ebgpMultihop', 'gracefulRestart', 'afiSafis'] as const).some((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

/** Removes the export policies `old` installed (assignment, policies, their sets). */
async function removePolicies(client: GobgpClient, old: ExportPolicy[]): Promise<void> {
  await client.deleteExportAssignment();
  for (const p of old) {
    const { definedSets } = policyMessages(p);
    await client.deletePolicy(p.name);
    for (const s of definedSets) await client.deleteDefinedSet(s.definedType as string, s.name as string);
  }
}

async function installPolicies(client: GobgpClient, next: ExportPolicy[], defaultAction: 'ACCEPT' | 'REJECT'): Promise<void> {
  for (const p of next) {
    const { definedSets, policy } = policyMessages(p);
    for (const s of definedSets) await client.addDefinedSet(s);
    await client.addPolicy(policy);
  }
  // Cilium v2: DefaultExportAction REJECT, "do not advertise routes by default".
  await client.addExportAssignment(next.map((p) => p.name), defaultAction);
}

/**
 * Applies instance `inst` (undefined: Cilium runs no such instance) over `applied` (undefined:
 * a fresh gobgpd with nothing configured) on the gobgpd of `slot`. Returns what it did and what
 * is applied now.
 */
export async function reconcileInstance(
  client: GobgpClient,
  applied: AppliedAgent | undefined,
  inst: DesiredInstance | undefined,
  localAddress: string,
  mode: ConnectMode,
  slot = 0,
): Promise<{ report: ReconcileReport; applied: AppliedAgent | undefined }> {
  const report = emptyReport();
  // Preflight: a new instance when there was none, or its identity changed.
  const identity = (i: DesiredInstance | undefined, m: ConnectMode | undefined) => (i && m ? JSON.stringify([i.localASN, i.routerId, listenPortOf(i, m, slot)]) : undefined);
  let prev = applied;
  if (prev && identity(prev.instance, prev.mode) !== identity(inst, mode)) {
    await client.stopBgp();
    report.stopped = true;
    prev = undefined;
  }
  if (!inst) return { report, applied: undefined };
  report.instances.push(inst.name);
  // Dual stack: an IPv6 neighbor's session starts from the node's IPv6 (the model's localAddress).
  const localOf = (n: DesiredNeighbor, v4: string) => (n.peerAddress.includes(':') ? n.localAddress : v4);
  if (!prev) {
    await client.startBgp(globalOf(inst, mode, slot));
    report.started = true;
  }

  // Routing policies before peers and paths: a new session or path is exported as intended at once.
  const planBefore = prev ? exportPlan(prev.instance) : undefined;
  const planAfter = exportPlan(inst);
  const policiesChanged = JSON.stringify([planBefore?.policies ?? null, planBefore?.defaultAction]) !== JSON.stringify([planAfter.policies ?? null, planAfter.defaultAction]);
  if (policiesChanged) {
    if (planBefore?.policies) await removePolicies(client, planBefore.policies);
    if (planAfter.policies) await installPolicies(client, planAfter.policies, planAfter.defaultAction ?? 'REJECT');
    // Back to no routing policy (v2 → v2alpha1): GoBGP's own default, export everything.
    else await client.setExportDefault('ACCEPT');
    report.policiesChanged.push(...new Set([...(planBefore?.policies ?? []), ...(planAfter.policies ?? [])].map((p) => p.name)));
  }

  // Neighbors, by address.
  const before = new Map((prev?.instance.neighbors ?? []).map((n) => [n.peerAddress, n]));
  const after = new Map(inst.neighbors.map((n) => [n.peerAddress, n]));
  for (const [addr] of before) if (!after.has(addr)) {
    await client.deletePeer(addr);
    report.peersRemoved.push(addr);
  }
  for (const [addr, n] of after) {
    const old = before.get(addr);
    if (!old) {
      await client.addPeer(peerOf(n, localOf(n, localAddress)));
      report.peersAdded.push(addr);
    } else if (peerKey(old, localOf(old, prev!.localAddress)) !== peerKey(n, localOf(n, localAddress))) {
      const was = peerOf(old, localOf(old, prev!.localAddress));
      const now = peerOf(n, localOf(n, localAddress));
      const res = await client.updatePeer(now);
      report.peersUpdated.push(addr);
      const hard = needsHardReset(was, now);
      if (hard || res.needsSoftResetIn) {
        await client.resetPeer(addr, !hard);
        if (hard) report.peersReset.push(addr);
      }
    }
  }

  // Paths, by prefix and attributes: withdrawn first, then the new ones.
  const pathsBefore = new Map((planBefore?.paths ?? []).map((p) => [pathKey(p), p]));
  const pathsAfter = new Map(planAfter.paths.map((p) => [pathKey(p), p]));
  for (const [k, p] of pathsBefore) if (!pathsAfter.has(k)) {
    await client.deletePath(pathOf(p));
    report.pathsWithdrawn.push(p.prefix);
  }
  for (const [k, p] of pathsAfter) if (!pathsBefore.has(k)) {
    await client.addPath(pathOf(p));
    report.pathsAdded.push(p.prefix);
  }

  // A policy change on peers that stay: soft reset outbound, so what they were sent is re-evaluated
  // (Cilium: SoftResetDirectionOut; an error is only logged there, the peer may not be up).
  if (policiesChanged && prev) {
    for (const addr of after.keys()) if (before.has(addr)) await client.resetPeer(addr, true, 'OUT').catch(() => {});
  }
  return { report, applied: { mode, localAddress, instance: inst, slot } };
}

/** The node's first instance only: kept for callers that drive a one-instance agent. */
export async function reconcileAgent(
  client: GobgpClient,
  applied: AppliedAgent | undefined,
  next: DesiredAgent | undefined,
  mode: ConnectMode,
): Promise<{ report: ReconcileReport; applied: AppliedAgent | undefined }> {
  return reconcileInstance(client, applied, next?.instances[0], next?.nodeIp ?? applied?.localAddress ?? '', mode, 0);
}
