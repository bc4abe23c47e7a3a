// Command work of the bot, after the ack: a global concurrency limit, a smaller one for long
// commands (check, capture: each runs several programs), and a queue per device so one
// router flooded with reads (100 × `/routes leaf0`) takes only its share of the slots.
// Acks never wait here: a job starts on a later event-loop turn than the request that
// queued it (setImmediate), so every request already read is acked before any work runs.
//
// Mutating commands are not queued: the lab lock already lets one run and answers the
// others "busy" at once; queueing them would turn that answer into a late, surprising run.
import { availableParallelism } from 'node:os';
import { tokenize, matchCommand } from '../commands/grammar.js';
import { commands } from '../commands/registry.js';

export type Lane = 'quick' | 'long' | 'mutating';

export interface JobClass {
  lane: Lane;
  /** The device the command reads (its first positional), when it names one. */
  device?: string;
}

export interface SchedulerLimits {
  /** Jobs running at once (mutating ones included, though never held back). */
  concurrency: number;
  /** Long jobs running at once: the rest of the slots stay free for quick reads. */
  long: number;
  /** Jobs of one device running at once. */
  perDevice: number;
}

/** Sized for the host: command work mostly waits on sockets and child processes, two per core. */
export function defaultLimits(cores = availableParallelism()): SchedulerLimits {
  const concurrency = Math.max(2, 2 * cores);
  return { concurrency, long: Math.max(1, Math.floor(concurrency / 2)), perDevice: Math.max(1, Math.floor(concurrency / 2)) };
}

/** Which lane a command line takes; an unparsable line is quick (it is answered with its error). */
export function classify(text: string): JobClass {
  let words: string[];
  try {
    words = tokenize(text).filter((w) => w !== '--quiet');
  } catch {
    return { lane: 'quick' };
  }
  const match = matchCommand(words, commands);
  if (!match) return { lane: 'quick' };
  const spec = match.spec;
  const lane: Lane = spec.mutating ? 'mutating' : spec.long ? 'long' : 'quick';
  // The device is the first positional when that names one (routes leaf0, capture leaf0 eth1, …).
  const first = words.slice(spec.name.split(' ').length).find((w) => !w.startsWith('-'));
  const names = ['device', 'router', 'node', 'pod', 'from'];
  return { lane, device: first && names.includes(spec.positionals[0]?.name ?? '') ? first : undefined };
}

interface Job {
  cls: JobClass;
  queuedAt: number;
  start(): void;
}

/** Longest a job waits for a burst of requests to be acked before it may start. */
const ACK_FIRST_MS = 250;
/** Requests this close together are one burst. */
const QUIET_MS = 10;

export interface SchedulerStats {
  running: number;
  queued: number;
  /** Most jobs ever waiting at once. */
  maxQueued: number;
  /** Longest time a job waited for its slot, ms. */
  maxWaitMs: number;
}

export class Scheduler {
  private running = 0;
  private runningLong = 0;
  private runningByDevice = new Map<string, number>();
  private queue: Job[] = [];
  private pumping = false;
  /** When the last job was queued: a burst of requests is still arriving while this is recent. */
  private lastQueuedAt = 0;
  private stat = { maxQueued: 0, maxWaitMs: 0 };

  constructor(readonly limits: SchedulerLimits = defaultLimits()) {}

  /** Runs `fn` when its lane and device have room; resolves or rejects as `fn` does. */
  run<T>(cls: JobClass, fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const queuedAt = performance.now();
      const job: Job = {
        cls,
        queuedAt,
        start: () => {
          this.stat.maxWaitMs = Math.max(this.stat.maxWaitMs, performance.now() - queuedAt);
          this.take(cls, +1);
          let p: Promise<T>;
          try {
            p = fn();
          } catch (err) {
            p = Promise.reject(err);
          }
          p.then(resolve, reject).finally(() => {
            this.take(cls, -1);
            this.schedulePump();
          });
        },
      };
      this.queue.push(job);
      this.lastQueuedAt = queuedAt;
      this.stat.maxQueued = Math.max(this.stat.maxQueued, this.queue.length);
      this.schedulePump();
    });
  }

  stats(): SchedulerStats {
    return { running: this.running, queued: this.queue.length, ...this.stat };
  }

  /**
   * On a later turn: whatever requests this turn read are acked before any of their work
   * starts. While requests keep arriving (one less than QUIET_MS ago), new work waits, up to
   * ACK_FIRST_MS for the oldest waiting job: a burst is acked first, then worked.
   */
  private schedulePump(): void {
    if (this.pumping) return;
    this.pumping = true;
    setImmediate(() => this.pumpWhenQuiet());
  }

  private pumpWhenQuiet(): void {
    const now = performance.now();
    const oldest = this.queue[0]?.queuedAt ?? now;
    const sinceLast = now - this.lastQueuedAt;
    if (sinceLast < QUIET_MS && now - oldest < ACK_FIRST_MS) {
      // A timer, not setImmediate: the loop sleeps in poll, reading the next requests.
      return void setTimeout(() => this.pumpWhenQuiet(), QUIET_MS - sinceLast);
    }
    this.pumping = false;
    this.pump();
  }

  /** Starts, in arrival order, every queued job that has room (a full device or lane does not block the others). */
  private pump(): void {
    for (let i = 0; i < this.queue.length; ) {
      const job = this.queue[i]!;
      if (this.hasRoom(job.cls)) {
        this.queue.splice(i, 1);
        job.start();
      } else {
        i++;
      }
      if (this.running >= this.limits.concurrency && this.queue.every((j) => j.cls.lane !== 'mutating')) return;
    }
  }

  private hasRoom(cls: JobClass): boolean {
    if (cls.lane === 'mutating') return true;
    if (this.running >= this.limits.concurrency) return false;
    if (cls.lane === 'long' && this.runningLong >= this.limits.long) return false;
    if (cls.device && (this.runningByDevice.get(cls.device) ?? 0) >= this.limits.perDevice) return false;
    return true;
  }

  private take(cls: JobClass, n: 1 | -1): void {
    this.running += n;
    if (cls.lane === 'long') this.runningLong += n;
    if (cls.device) {
      const left = (this.runningByDevice.get(cls.device) ?? 0) + n;
      if (left > 0) this.runningByDevice.set(cls.device, left);
      else this.runningByDevice.delete(cls.device);
    }
  }
}
