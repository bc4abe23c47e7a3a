// The drill's witness: pod-to-pod pings across racks, several per second, left running as
// detached processes inside the pod namespaces so they outlive the CLI between commands
// (and die with the namespaces on `down`). Their timestamped output gives loss windows.
import type { EmbeddedDriver } from '../drivers/embedded/index.js';
import type { Topology } from '../topology/schema.js';
import type { DrillState } from '../state/drill-state.js';
import { podsOf } from '../topology/model.js';
import { startDetached, stopDetached } from '../drivers/embedded/ops.js';

export const PROBE_INTERVAL_MS = 100;

export interface LossWindow {
  flow: string;
  /** When the first unanswered probe was sent. */
  brokeAt: string;
  /** When the first probe after it was answered; absent while still broken. */
  backAt?: string;
  lost: number;
  durationMs?: number;
}

export interface ProberReport {
  flows: { flow: string; sent: number; answered: number }[];
  windows: LossWindow[];
}

/** Pods of the first rack ping pods of the last one: every flow crosses the spines. */
export async function startProber(d: EmbeddedDriver, topo: Topology, podsPerNode: number): Promise<NonNullable<DrillState['prober']>> {
  const pods = podsOf(topo, podsPerNode);
  const rackOf = (node: string) => topo.cluster.nodes.find((n) => n.name === node)!.rack;
  const first = pods.filter((p) => rackOf(p.node) === topo.racks[0]!.name).slice(0, 2);
  const last = pods.filter((p) => rackOf(p.node) === topo.racks.at(-1)!.name).slice(0, 2);
  const flows: NonNullable<DrillState['prober']>['flows'] = [];
  for (const a of first)
    for (const b of last) {
      const f = await startDetached(d, a.name, `prober-${a.name}-${b.name}`, ['/usr/bin/ping', '-n', '-i', String(PROBE_INTERVAL_MS / 1000), '-D', '-O', '-W', '1', b.ip]);
      flows.push({ from: a.name, to: b.name, toIp: b.ip, ...f });
    }
  return { flows, intervalMs: PROBE_INTERVAL_MS };
}

export async function stopProber(d: EmbeddedDriver, prober: DrillState['prober']): Promise<void> {
  await Promise.all((prober?.flows ?? []).map((f) => stopDetached(d, f.pidFile)));
}

/** `[ts] 64 bytes from …: icmp_seq=N` is an answer; any other line naming a seq is a loss. */
export function parsePingLog(text: string, intervalMs: number, flow: string): { sent: number; answered: number; windows: LossWindow[] } {
  const ok = new Map<number, number>();
  const lost = new Map<number, number>();
  for (const line of text.split('\n')) {
    const m = /^\[(\d+\.\d+)\] (.*)icmp_seq=(\d+)/.exec(line);
    if (!m) continue;
    const ts = Number(m[1]) * 1000;
    const seq = Number(m[3]);
    if (/bytes from/.test(m[2]!)) ok.set(seq, ts);
    else if (!lost.has(seq)) lost.set(seq, ts - intervalMs); // printed when the next probe goes out
  }
  const seqs = [...new Set([...ok.keys(), ...lost.keys()])].sort((a, b) => a - b);
  const windows: LossWindow[] = [];
  let cur: LossWindow | undefined;
  for (const s of seqs) {
    if (ok.has(s)) {
      if (cur) {
        cur.backAt = new Date(ok.get(s)!).toISOString();
        cur.durationMs = Math.round(ok.get(s)! - Date.parse(cur.brokeAt));
        windows.push(cur);
        cur = undefined;
      }
    } else if (cur) cur.lost++;
    else cur = { flow, brokeAt: new Date(lost.get(s)!).toISOString(), lost: 1 };
  }
  if (cur) windows.push(cur);
  return { sent: seqs.length, answered: ok.size, windows };
}

export async function readProber(d: EmbeddedDriver, prober: DrillState['prober']): Promise<ProberReport> {
  const report: ProberReport = { flows: [], windows: [] };
  for (const f of prober?.flows ?? []) {
    const flow = `${f.from} → ${f.to}`;
    const r = parsePingLog((await d.runner.readFile(f.logFile)) ?? '', prober!.intervalMs, flow);
    report.flows.push({ flow, sent: r.sent, answered: r.answered });
    report.windows.push(...r.windows);
  }
  report.windows.sort((a, b) => a.brokeAt.localeCompare(b.brokeAt));
  return report;
}
