// The drill's witness: pod-to-pod pings across racks, several per second, left running as
// detached processes inside the pod namespaces so they outlive the CLI between commands
// (and die with the namespaces on `down`). Their timestamped output gives loss windows.
// Their pid files are named before any starts (planProber), and `drill start` records the
// plan before it starts one: a start killed half-way leaves pings `drill end` finds and stops.
import type { EmbeddedDriver } from '../drivers/embedded/index.js';
import type { Topology } from '../topology/schema.js';
import type { DrillState, ProberPause } from '../state/drill-state.js';
import { podsOf } from '../topology/model.js';
import { runOk } from '../runners/local.js';
import { labDir } from '../drivers/index.js';
import { nsName } from '../drivers/embedded/names.js';
import { stopDetached } from '../drivers/embedded/ops.js';

export const PROBE_INTERVAL_MS = 100;

export interface LossWindow {
  flow: string;
  /** When the first unanswered probe was sent. */
  brokeAt: string;
  /** When the first probe after it was answered; absent while still broken. */
  backAt?: string;
  lost: number;
  durationMs?: number;
  /** The game master paused the prober while it was broken: `backAt` is the pause, not a recovery. */
  cutByPause?: boolean;
}

export interface ProberReport {
  flows: { flow: string; sent: number; answered: number }[];
  windows: LossWindow[];
}

type Prober = NonNullable<DrillState['prober']>;

function proberDir(d: EmbeddedDriver): string {
  return `${labDir(d.lab)}/drill`;
}

/** Pods of the first rack ping pods of the last one: every flow crosses the spines. Nothing starts. */
export function planProber(d: EmbeddedDriver, topo: Topology, podsPerNode: number): Prober {
  const pods = podsOf(topo, podsPerNode);
  const rackOf = (node: string) => topo.cluster.nodes.find((n) => n.name === node)!.rack;
  const first = pods.filter((p) => rackOf(p.node) === topo.racks[0]!.name).slice(0, 2);
  const last = pods.filter((p) => rackOf(p.node) === topo.racks.at(-1)!.name).slice(0, 2);
  const dir = proberDir(d);
  const flows: Prober['flows'] = [];
  for (const a of first)
    for (const b of last) {
      const name = `prober-${a.name}-${b.name}`;
      flows.push({ from: a.name, to: b.name, toIp: b.ip, pidFile: `${dir}/${name}.pid`, logFile: `${dir}/${name}.log` });
    }
  return { flows, intervalMs: PROBE_INTERVAL_MS };
}

/** The log of one run of a flow's ping: the first run keeps the planned name; a resume starts `….N.log`. */
export function logFileOf(f: Prober['flows'][number], run = 0): string {
  return run ? f.logFile.replace(/\.log$/, `.${run}.log`) : f.logFile;
}

/** Starts the planned pings (start-stop-daemon writes each pid file itself, before ping runs). */
export async function startProber(d: EmbeddedDriver, prober: Prober, run = 0): Promise<void> {
  await runOk(d.runner, ['mkdir', '-p', '--', proberDir(d)]);
  for (const f of prober.flows) {
    const log = logFileOf(f, run);
    await d.runner.run(['rm', '-f', '--', log]); // --output appends: a new run starts a new log
    await runOk(d.runner, [
      'ip', 'netns', 'exec', nsName(d.lab, f.from), 'start-stop-daemon', '--start', '--quiet', '--background', '--make-pidfile',
      '--pidfile', f.pidFile, '--output', log, '--exec', '/usr/bin/ping', '--',
      '-n', '-i', String(PROBE_INTERVAL_MS / 1000), '-D', '-O', '-W', '1', f.toIp,
    ]);
  }
}

/** Stops the prober's pings only (a flapper of the fault keeps running): a pause. */
export async function stopFlows(d: EmbeddedDriver, prober: Prober): Promise<void> {
  await Promise.all(prober.flows.map((f) => stopDetached(d, f.pidFile)));
}

/** Stops the recorded flows and every other detached process of the drill (pid files in its dir: a flapper too). */
export async function stopProber(d: EmbeddedDriver, prober: DrillState['prober']): Promise<void> {
  const ls = await d.runner.run(['ls', '-1', '--', proberDir(d)]);
  const found = ls.exitCode === 0 ? ls.stdout.split('\n').filter((n) => /\.pid$/.test(n)).map((n) => `${proberDir(d)}/${n}`) : [];
  const pidFiles = new Set([...(prober?.flows ?? []).map((f) => f.pidFile), ...found]);
  await Promise.all([...pidFiles].map((f) => stopDetached(d, f)));
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

/**
 * What the prober saw, run by run: a pause ends a run (its pings were stopped), so a window
 * still open at the pause is cut there (not a recovery), and nothing is counted while paused.
 */
export async function readProber(d: EmbeddedDriver, prober: DrillState['prober']): Promise<ProberReport> {
  const report: ProberReport = { flows: [], windows: [] };
  const runs = (prober?.run ?? 0) + 1;
  for (const f of prober?.flows ?? []) {
    const flow = `${f.from} → ${f.to}`;
    const total = { flow, sent: 0, answered: 0 };
    for (let run = 0; run < runs; run++) {
      const r = parsePingLog((await d.runner.readFile(logFileOf(f, run))) ?? '', prober!.intervalMs, flow);
      const pause = prober!.pauses?.[run];
      total.sent += r.sent;
      total.answered += r.answered;
      report.windows.push(...(pause ? cutAt(r.windows, pause.at) : r.windows));
    }
    report.flows.push(total);
  }
  report.windows.sort((a, b) => a.brokeAt.localeCompare(b.brokeAt));
  return report;
}

/** A run's windows up to the pause that ended it: later ones dropped, one still open closed at the pause. */
export function cutAt(windows: LossWindow[], pausedAt: string): LossWindow[] {
  const end = Date.parse(pausedAt);
  return windows
    .filter((w) => Date.parse(w.brokeAt) < end)
    .map((w) => (w.backAt && Date.parse(w.backAt) <= end ? w : { ...w, backAt: pausedAt, durationMs: Math.round(end - Date.parse(w.brokeAt)), cutByPause: true }));
}

/** The prober's pause, if it is paused now. */
export function currentPause(prober: DrillState['prober']): ProberPause | undefined {
  const last = prober?.pauses?.at(-1);
  return last && !last.resumedAt ? last : undefined;
}
