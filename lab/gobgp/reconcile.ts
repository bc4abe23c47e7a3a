// The node agent's reconcilers, modelled on Cilium's (pkg/bgpv1/manager in 1.14): from what
// was applied last and what the node should be now, change only what Cilium's would change.
// - preflight: the BGP instance is recreated only when its local ASN, router id or listen
//   port change (StopBgp + StartBgp, every session and path again);
// - neighbor: peers added, removed or updated one by one (an update whose timers, transport,
//   multihop or graceful restart changed resets that one session, as GoBGP applies those
//   only to a new session);
// - exportPodCIDR / service paths: paths added and withdrawn, sessions untouched.
import type { DesiredAgent, DesiredInstance, DesiredNeighbor } from '../cilium/desired.js';
import type { GobgpClient, Msg } from './client.js';
import { globalOf, listenPortOf, pathKey, pathOf, peerKey, peerOf, type ConnectMode } from './messages.js';

/** What the runtime applied to a gobgpd, kept beside it so the next reconcile can diff. */
export interface AppliedAgent {
  mode: ConnectMode;
  localAddress: string;
  instance: DesiredInstance;
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
  /** Instances after the first one of a node (one gobgpd per node runs one instance). */
  ignoredInstances: string[];
}

const emptyReport = (): ReconcileReport => ({
  started: false, stopped: false, peersAdded: [], peersRemoved: [], peersUpdated: [], peersReset: [], pathsAdded: [], pathsWithdrawn: [], ignoredInstances: [],
});

function needsHardReset(before: Msg, after: Msg): boolean {
  return (['timers', 'transport', 'ebgpMultihop', 'gracefulRestart', 'afiSafis'] as const).some((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

/**
 * Applies `next` (undefined: Cilium runs no BGP on the node) over `applied` (undefined: a
 * fresh gobgpd with nothing configured). Returns what it did and what is applied now.
 */
export async function reconcileAgent(
  client: GobgpClient,
  applied: AppliedAgent | undefined,
  next: DesiredAgent | undefined,
  mode: ConnectMode,
): Promise<{ report: ReconcileReport; applied: AppliedAgent | undefined }> {
  const report = emptyReport();
  const inst = next?.instances[0];
  report.ignoredInstances = next?.instances.slice(1).map((i) => i.name) ?? [];
  // Preflight: a new instance when there was none, or its identity changed.
  const identity = (i: DesiredInstance | undefined, m: ConnectMode | undefined) => (i && m ? JSON.stringify([i.localASN, i.routerId, listenPortOf(i, m)]) : undefined);
  let prev = applied;
  if (prev && identity(prev.instance, prev.mode) !== identity(inst, mode)) {
    await client.stopBgp();
    report.stopped = true;
    prev = undefined;
  }
  if (!inst || !next) return { report, applied: undefined };
  const nodeIp = next.nodeIp;
  // Dual stack: an IPv6 neighbor's session starts from the node's IPv6 (the model's localAddress).
  const localOf = (n: DesiredNeighbor, v4: string) => (n.peerAddress.includes(':') ? n.localAddress : v4);
  const localAddress = nodeIp;
  if (!prev) {
    await client.startBgp(globalOf(inst, mode));
    report.started = true;
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
  const pathsBefore = new Map((prev?.instance.paths ?? []).map((p) => [pathKey(p), p]));
  const pathsAfter = new Map(inst.paths.map((p) => [pathKey(p), p]));
  for (const [k, p] of pathsBefore) if (!pathsAfter.has(k)) {
    await client.deletePath(pathOf(p));
    report.pathsWithdrawn.push(p.prefix);
  }
  for (const [k, p] of pathsAfter) if (!pathsBefore.has(k)) {
    await client.addPath(pathOf(p));
    report.pathsAdded.push(p.prefix);
  }
  return { report, applied: { mode, localAddress, instance: inst } };
}
