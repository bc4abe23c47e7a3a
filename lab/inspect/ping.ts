// Pod-to-pod reachability through a driver: ping (and HTTP) from inside each pod.
import type { Driver } from '../drivers/types.js';
import type { PingResult } from '../results.js';
import type { Pod } from '../topology/model.js';

export async function ping(
  driver: Driver,
  from: Pod,
  to: { name: string; ip: string },
  opts: { size?: number; timeoutS?: number; signal?: AbortSignal; src?: string; dst?: string; tos?: number; count?: number } = {},
): Promise<PingResult & { localError?: string }> {
  const count = opts.count ?? 1;
  const argv = ['ping', '-n', '-q', '-c', String(count), '-W', String(opts.timeoutS ?? 1)];
  if (count > 1) argv.push('-i', '0.02');
  if (opts.size) argv.push('-s', String(opts.size), '-M', 'do');
  if (opts.src) argv.push('-I', opts.src);
  if (opts.tos) argv.push('-Q', String(opts.tos));
  const r = await driver.exec(from.name, [...argv, opts.dst ?? to.ip], { signal: opts.signal, timeoutMs: (opts.timeoutS ?? 1) * 1000 + 2000 + 20 * count });
  const rtt = /= [\d.]+\/([\d.]+)\//.exec(r.stdout)?.[1];
  const stats = /(\d+) packets transmitted, (\d+) received/.exec(r.stdout);
  // The pod's own kernel refused to send (its MTU, no route): not the fabric's doing.
  const localError = /(local error: [^\n]+|connect: [^\n]+|sendmsg: [^\n]+)/.exec(`${r.stderr}\n${r.stdout}`)?.[1]?.trim();
  const sent = stats ? Math.max(Number(stats[1]), count) : count;
  const received = stats ? Number(stats[2]) : r.exitCode === 0 ? count : 0;
  return { from: from.name, to: to.name, toIp: to.ip, ok: r.exitCode === 0, rttMs: rtt ? Number(rtt) : undefined, kind: 'ping', localError, sent, received };
}

/**
 * `count` pings from one source address of a pod to each destination address, one fping
 * process. Returns per destination how many were sent and answered, and the mean RTT.
 */
/**
 * fping processes at once, lab-wide. A sweep of a 256-node fabric forms thousands of groups;
 * all at once on 2 cores, the processes ran past their deadline and were killed, and a third of
 * a healthy fabric's flows counted as lost.
 */
const FPING_AT_ONCE = 8;
let fpingRunning = 0;
const fpingWaiting: (() => void)[] = [];
async function fpingSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (fpingRunning >= FPING_AT_ONCE) await new Promise<void>((r) => fpingWaiting.push(r));
  else fpingRunning++;
  try {
    return await fn();
  } finally {
    const next = fpingWaiting.shift();
    if (next) next();
    else fpingRunning--;
  }
}

export async function fpingFrom(
  driver: Driver,
  pod: string,
  src: string,
  dsts: string[],
  opts: { count: number; size?: number; tos?: number; signal?: AbortSignal },
): Promise<Map<string, { sent: number; received: number; rttMs?: number }>> {
  const argv = ['fping', '-C', String(opts.count), '-q', '-t', '1000', '-r', '0', '-i', '1', '-p', '20', '-S', src];
  if (opts.tos) argv.push('-O', String(opts.tos));
  if (opts.size) argv.push('-b', String(opts.size), '-M');
  // -i 1 ms between any two pings, -p 20 ms per target: a long list takes its length in time.
  const r = await fpingSlot(() => driver.exec(pod, [...argv, ...dsts], { signal: opts.signal, timeoutMs: 5000 + opts.count * (20 + 2 * dsts.length) }));
  const out = new Map<string, { sent: number; received: number; rttMs?: number }>();
  for (const line of r.stderr.split('\n')) {
    const m = /^(\S+)\s+:\s+(.+)$/.exec(line.trim());
    if (!m || !dsts.includes(m[1]!)) continue;
    const rtts = m[2]!.split(/\s+/).filter((x) => x !== '-').map(Number).filter(Number.isFinite);
    out.set(m[1]!, { sent: opts.count, received: rtts.length, rttMs: rtts.length ? Math.round((1000 * rtts.reduce((a, b) => a + b, 0)) / rtts.length) / 1000 : undefined });
  }
  // fping says nothing of a target it could not send to: all of them lost.
  for (const d of dsts) if (!out.has(d)) out.set(d, { sent: opts.count, received: 0 });
  return out;
}

/**
 * One pod pings many: one fping process per source on the embedded lab (a process per pair
 * made the sweep of a 32-pod fabric take 20 s), one ping per target elsewhere.
 */
export async function pingMany(driver: Driver, from: Pod, targets: { name: string; ip: string }[], opts: { size?: number; signal?: AbortSignal } = {}): Promise<PingResult[]> {
  if (driver.name !== 'embedded' || !targets.length) return Promise.all(targets.map((t) => ping(driver, from, t, opts)));
  const argv = ['fping', '-C', '1', '-q', '-t', '1000', '-r', '0', '-i', '1', ...(opts.size ? ['-b', String(opts.size), '-M'] : [])];
  const r = await driver.exec(from.name, [...argv, ...targets.map((t) => t.ip)], { signal: opts.signal, timeoutMs: 5000 });
  // `10.98.1.10 : 0.108` per target on stderr; `-` when it did not answer.
  const rtt = new Map<string, number | undefined>();
  for (const line of r.stderr.split('\n')) {
    const m = /^(\S+)\s+:\s+(\S+)/.exec(line);
    if (m) rtt.set(m[1]!, m[2] === '-' ? undefined : Number(m[2]));
  }
  return targets.map((t) => {
    const ms = rtt.get(t.ip);
    return { from: from.name, to: t.name, toIp: t.ip, ok: ms !== undefined && Number.isFinite(ms), rttMs: ms, kind: 'ping' as const };
  });
}

/** HTTP GET from a pod with curl (busybox wget -T crashes on Debian 12); pods answer with their name. */
export async function httpGet(driver: Driver, from: Pod, to: { name: string; ip: string; port?: number }, kind: 'http' | 'nodeport', signal?: AbortSignal): Promise<PingResult> {
  const url = `http://${to.ip}${to.port && to.port !== 80 ? `:${to.port}` : ''}/`;
  const r = await driver.exec(from.name, ['curl', '-s', '-m', '2', '--noproxy', '*', '-w', '\n%{time_total}', url], { signal, timeoutMs: 4000 });
  const lines = r.stdout.trim().split('\n');
  const seconds = Number(lines.pop());
  const answer = lines.join('\n').trim();
  return {
    from: from.name,
    to: to.name,
    toIp: to.ip,
    ok: r.exitCode === 0 && answer.length > 0,
    rttMs: Number.isFinite(seconds) ? Math.round(seconds * 100_000) / 100 : undefined,
    kind,
    answer: answer || undefined,
  };
}
