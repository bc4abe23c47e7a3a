// tcpdump inside a router's namespace, one per interface, bounded by count and time;
// cancellable, and startable around a check so the ECMP picture of the seed shows up.
import type { Driver } from '../drivers/types.js';
import type { CaptureConversation, CaptureResult, CapturedPacket } from '../../commands/results.js';
import { parseTcpdumpLine } from '../parsers/tcpdump.js';

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
  const runs = interfaces.map((iface) => {
    let markReady!: () => void;
    readies.push(new Promise<void>((r) => (markReady = r)));
    const filter = opts.filter ? opts.filter.split(/\s+/).filter(Boolean) : [];
    // --immediate-mode: without it libpcap hands packets over in 1 s batches, and a capture
    // stopped right after a 100 ms check loses everything still in the buffer.
    return driver
      .exec(router, ['tcpdump', '-i', iface, '-n', '-tt', '-l', '--immediate-mode', '-c', String(opts.count), ...filter], {
        timeoutMs: opts.seconds * 1000,
        signal: stopper.signal,
        killSignal: 'SIGINT',
        onLine: (line, stream) => {
          if (stream === 'stderr' && /listening on/.test(line)) markReady();
          const p = stream === 'stdout' ? parseTcpdumpLine(line, iface) : undefined;
          if (p) packets.push(p);
        },
      })
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
