// Who a process is, in a way that survives pid reuse: the pid alone names whichever process
// got that number last. With its start time (clock ticks since boot, /proc/PID/stat field 22),
// the boot it belongs to (/proc/sys/kernel/random/boot_id) and the host, a recorded holder is
// either that very process, still running, or gone for sure.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessIdentity {
  pid: number;
  /** Start time in clock ticks since boot; undefined where /proc is not readable. */
  startTicks?: number;
  bootId?: string;
  host: string;
}

export function startTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]); // field 22 overall: fields[0] is field 3
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

let boot: string | undefined;
export function bootId(): string | undefined {
  try {
    boot ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    // not Linux, or /proc hidden: identity falls back to pid and host
  }
  return boot;
}

export function identityOf(pid: number): ProcessIdentity {
  return { pid, startTicks: startTicks(pid), bootId: bootId(), host: hostname() };
}

/**
 * `alive`: that very process runs; `dead`: it is gone (pid free or reused, or another boot);
 * `unknown`: it ran on another host, so nothing here can tell.
 */
export function liveness(id: ProcessIdentity | undefined): 'alive' | 'dead' | 'unknown' {
  if (!id || typeof id.pid !== 'number') return 'dead';
  if (id.host !== hostname()) return 'unknown';
  if (id.bootId && bootId() && id.bootId !== bootId()) return 'dead';
  const now = startTicks(id.pid);
  if (now === undefined) {
    try {
      process.kill(id.pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') return 'dead';
    }
    return id.startTicks === undefined ? 'alive' : 'dead';
  }
  return id.startTicks === undefined || id.startTicks === now ? 'alive' : 'dead';
}
