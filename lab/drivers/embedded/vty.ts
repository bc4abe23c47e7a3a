// FRR's vtysh protocol spoken directly to a daemon's vty socket: the command with a NUL,
// the answer ends with three NULs and a status byte. ~4 ms instead of ~80 ms for spawning
// vtysh, which is what keeps `routes` and the convergence poll cheap on a local lab.
//
// Under load: FRR listens on its vty socket with a backlog of 5 and serves one connection at
// a time, so 100 reads at once got `connect EAGAIN` for the ones past the backlog. Reads of
// one socket therefore queue here (a few connections at a time, identical waiting commands
// answered by one read), and a connection refused for lack of room is retried with backoff:
// other processes (a CLI, vtysh) share the backlog.
import { createConnection } from 'node:net';

export interface VtyAnswer {
  output: string;
  status: number;
}

/** A connection that never got an answer: `code` is the socket error (ENOENT, ECONNREFUSED, EAGAIN, ETIMEDOUT). */
export class VtyError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export interface VtyOptions {
  /** Gives up (ETIMEDOUT) when no answer came in this long, queueing and retries included. */
  timeoutMs?: number;
  /**
   * Is the daemon behind the socket alive? Asked when the socket refuses or is missing: a
   * live daemon (restarting, or its backlog full) is retried, a dead one fails at once.
   */
  alive?: () => Promise<boolean>;
}

/** Connections open at once per socket: under FRR's backlog of 5, leaving room for other processes. */
export const VTY_CONNECTIONS_PER_SOCKET = 3;
/** Refused for lack of room: wait 5, 10, 20 … ms (capped, jittered) and connect again. */
const BACKOFF_FIRST_MS = 5;
const BACKOFF_MAX_MS = 200;
const RETRYABLE = new Set(['EAGAIN', 'EWOULDBLOCK', 'ECONNREFUSED', 'ENOENT']);

interface Waiting {
  command: string;
  deadline: number;
  opts: VtyOptions;
  callers: { resolve(a: VtyAnswer): void; reject(e: Error): void }[];
}

interface SocketQueue {
  active: number;
  waiting: Waiting[];
}

const queues = new Map<string, SocketQueue>();

/** One command on a daemon's vty socket, queued behind the socket's other reads. */
export function vtyCommand(socketPath: string, command: string, opts: VtyOptions | number = {}): Promise<VtyAnswer> {
  const o = typeof opts === 'number' ? { timeoutMs: opts } : opts;
  const q = queues.get(socketPath) ?? { active: 0, waiting: [] };
  queues.set(socketPath, q);
  return new Promise((resolve, reject) => {
    // A read of the same command that has not been sent yet answers this one too: it is sent
    // after both were asked, so its answer is as fresh as this one's would be.
    const same = q.waiting.find((w) => w.command === command);
    if (same) return void same.callers.push({ resolve, reject });
    q.waiting.push({ command, deadline: Date.now() + (o.timeoutMs ?? 5000), opts: o, callers: [{ resolve, reject }] });
    pump(socketPath, q);
  });
}

function pump(socketPath: string, q: SocketQueue): void {
  while (q.active < VTY_CONNECTIONS_PER_SOCKET && q.waiting.length) {
    const w = q.waiting.shift()!;
    q.active++;
    withRetries(socketPath, w)
      .then(
        (a) => w.callers.forEach((c) => c.resolve(a)),
        (e: Error) => w.callers.forEach((c) => c.reject(e)),
      )
      .finally(() => {
        q.active--;
        if (!q.active && !q.waiting.length) queues.delete(socketPath);
        else pump(socketPath, q);
      });
  }
}

async function withRetries(socketPath: string, w: Waiting): Promise<VtyAnswer> {
  let backoff = BACKOFF_FIRST_MS;
  for (let attempt = 1; ; attempt++) {
    const left = w.deadline - Date.now();
    if (left <= 0) throw new VtyError(`no answer from ${socketPath} in ${w.opts.timeoutMs ?? 5000} ms`, 'ETIMEDOUT');
    try {
      return await once(socketPath, w.command, left);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
      if (!RETRYABLE.has(code)) throw err instanceof VtyError ? err : new VtyError((err as Error).message, code);
      // Refused or missing: only worth waiting for when the daemon is alive (restarting, or
      // its backlog full); a dead daemon is said at once. EAGAIN alone means "no room yet".
      const waitFor = code === 'EAGAIN' || code === 'EWOULDBLOCK' || (await (w.opts.alive?.() ?? Promise.resolve(false)));
      if (!waitFor || Date.now() + backoff >= w.deadline) {
        throw new VtyError(`${(err as Error).message}${attempt > 1 ? ` (after ${attempt} attempts)` : ''}`, code);
      }
      await new Promise((r) => setTimeout(r, backoff * (0.5 + Math.random() / 2)));
      backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
    }
  }
}

function once(socketPath: string, command: string, timeoutMs: number): Promise<VtyAnswer> {
  return new Promise((resolve, reject) => {
    const sock = createConnection(socketPath);
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new VtyError(`no answer from ${socketPath} in ${timeoutMs} ms`, 'ETIMEDOUT'));
    }, timeoutMs);
    sock.on('connect', () => sock.write(`${command}\0`));
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      size += d.length;
      // The answer ends with three NULs and a status byte: look at the last four bytes only.
      if (size < 4) return;
      const tail = tailBytes(chunks, 4);
      if (tail[0] === 0 && tail[1] === 0 && tail[2] === 0) {
        clearTimeout(timer);
        sock.end();
        const all = Buffer.concat(chunks, size);
        resolve({ output: all.subarray(0, size - 4).toString('utf8'), status: all[size - 1]! });
      }
    });
    sock.on('error', (err) => {
      clearTimeout(timer);
      sock.destroy();
      reject(err);
    });
  });
}

/** The last n bytes across chunks, without joining them (a large table arrives in many chunks). */
function tailBytes(chunks: Buffer[], n: number): number[] {
  const out: number[] = [];
  for (let i = chunks.length - 1; i >= 0 && out.length < n; i--) {
    const c = chunks[i]!;
    for (let j = c.length - 1; j >= 0 && out.length < n; j--) out.unshift(c[j]!);
  }
  return out;
}
