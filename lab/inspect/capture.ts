// tcpdump inside a router's namespace, one per interface, bounded by count and time;
// cancellable, and startable around a check so the ECMP picture of the seed shows up.
import type { Driver } from '../drivers/types.js';
import type { CaptureConversation, CaptureResult, CapturedPacket } from '../results.js';
import { parseTcpdumpLine } from '../parsers/tcpdump.js';
import { LabError, UsageError } from '../errors.js';

/** Slack for tcpdump to print its summary after our own SIGINT at the time bound, before `timeout` kills it. */
const BOUND_GRACE_S = 5;

/**
 * tcpdump's argv: options first, the filter as ONE operand after `--` (getopt permutes, so a
 * filter word like `-w` anywhere else would be read as an option). Embedded: wrapped so it dies
 * with us: `setpriv --pdeathsig TERM` makes `timeout` get SIGTERM when our process (or, over SSH,
 * sshd's session) dies, and `timeout` passes it on to tcpdump (tcpdump drops to its own user,
 * which clears a pdeathsig set on tcpdump itself); `timeout` is also the hard time bound.
 */
export function tcpdumpArgv(driver: Pick<Driver, 'name'>, iface: string, opts: { count: number; seconds: number; filter?: string }): string[] {
  const tcpdump = ['tcpdump', '-i', iface, '-n', '-tt', '-l', '--immediate-mode', '-c', String(opts.count), '--', ...(opts.filter ? [opts.filter] : [])];
  const bound = ['timeout', '-k', '2', '--', String(opts.seconds + BOUND_GRACE_S)];
  // kind: `docker exec` never signals the container side, so the time bound is what ends it.
  return driver.name === 'embedded' ? ['setpriv', '--pdeathsig', 'TERM', '--', ...bound, ...tcpdump] : [...bound, ...tcpdump];
}

/**
 * Compiles the filter with `tcpdump -d` (expression after `--`) on the router's interface:
 * anything that is not a filter expression (option words included) is refused, one line.
 */
export async function checkFilter(driver: Driver, router: string, iface: string, filter: string, signal?: AbortSignal): Promise<void> {
  const r = await driver.exec(router, ['tcpdump', '-d', '-i', iface, '--', filter], { timeoutMs: 10_000, signal });
  if (r.exitCode === 0) return;
  const why = r.stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^(tcpdump: )?(verbose output suppressed|listening on)/.test(l)).at(-1) ?? `exit ${r.exitCode}`;
  // Not the filter's fault: no namespace, no such interface, no tcpdump.
  if (/Cannot open network namespace|No such device|not found|No such file|permission|Operation not permitted/i.test(why))
    throw new LabError(`tcpdump on ${router}: ${why.slice(0, 200)}`, { hint: 'is the lab up? (`bgp-lab status`)' });
  throw new UsageError(`--filter "${filter}" is not a tcpdump filter expression: ${why.replace(/^tcpdump: /, '').slice(0, 200)}`, 'give a filter such as "icmp" or "tcp port 179" (no tcpdump options)');
}

export interface CaptureOptions {
  count: number;
  seconds: number;
  filter?: string;
  signal?: AbortSignal;
  /** Names addresses in the conversation summary (pods, nodes, routers). */
  nameOf?: (ip: string) => string | undefined;
}

export interface RunningCapture {
  /** Resolves once every tcpdump is listening. */
  ready: Promise<void>;
  /** Stops early (or waits for the bounds) and returns what was seen. */
  stop(): Promise<CaptureResult>;
  done: Promise<CaptureResult>;
}

export function startCapture(driver: Driver, router: string, interfaces: string[], opts: CaptureOptions): RunningCapture {
  const stopper = new AbortController();
  const abort = () => stopper.abort();
  opts.signal?.addEventListener('abort', abort, { once: true });
  const packets: CapturedPacket[] = [];
  const readies: Promise<void>[] = [];
  // Nothing captures until the filter has compiled.
  const checked = opts.filter ? checkFilter(driver, router, interfaces[0]!, opts.filter, stopper.signal) : Promise.resolve();
  const runs = interfaces.map((iface) => {
    let markReady!: () => void;
    readies.push(new Promise<void>((r) => (markReady = r)));
    // --immediate-mode: without it libpcap hands packets over in 1 s batches, and a capture
    // stopped right after a 100 ms check loses everything still in the buffer.
    return checked
      .then(() => driver.exec(router, tcpdumpArgv(driver, iface, opts), {
        timeoutMs: opts.seconds * 1000,
        signal: stopper.signal,
        killSignal: 'SIGINT',
        onLine: (line, stream) => {
          if (stream === 'stderr' && /listening on/.test(line)) markReady();
          const p = stream === 'stdout' ? parseTcpdumpLine(line, iface) : undefined;
          if (p) packets.push(p);
        },
      }))
      .finally(() => markReady());
  });
  const done = Promise.all(runs).then((results): CaptureResult => {
    opts.signal?.removeEventListener('abort', abort);
    const bad = results.find((r) => r.exitCode !== 0 && !r.timedOut && !r.cancelled && !/packets captured/.test(r.stderr));
    if (bad && !packets.length) throw new Error(`tcpdump on ${router}: ${bad.stderr.trim().split('\n').pop()}`);
    const perInterface = Object.fromEntries(interfaces.map((i) => [i, packets.filter((p) => p.interface === i).length]));
    packets.sort((a, b) => a.time.localeCompare(b.time));
    return { router, interfaces, packets, perInterface, conversations: conversations(packets, opts.nameOf), cancelled: Boolean(opts.signal?.aborted) || undefined };
  });
  return {
    ready: Promise.all(readies).then(() => undefined),
    done,
    stop: () => {
      stopper.abort();
      return done;
    },
  };
}

/** Packets grouped by address pair (ports dropped, BGP left out), each direction per interface. */
export function conversations(packets: CapturedPacket[], nameOf?: (ip: string) => string | undefined): CaptureConversation[] {
  const host = (endpoint: string) => endpoint.split(':')[0]!;
  const byPair = new Map<string, CaptureConversation>();
  for (const p of packets) {
    if (p.protocol === 'BGP') continue;
    const [src, dst] = [host(p.src), host(p.dst)];
    const c = byPair.get(`${src} ${dst}`) ?? byPair.get(`${dst} ${src}`) ?? { a: src, b: dst, aName: nameOf?.(src), bName: nameOf?.(dst), aToB: {}, bToA: {} };
    byPair.set(`${c.a} ${c.b}`, c);
    const side = src === c.a ? c.aToB : c.bToA;
    side[p.interface] = (side[p.interface] ?? 0) + 1;
  }
  return [...byPair.values()];
}
