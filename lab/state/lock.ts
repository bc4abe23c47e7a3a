// One mutating operation at a time per lab, across CLI, REPL and Slack: a lock file
// created with O_EXCL that names its owner, command and start time. A lock whose
// process died (same host, pid gone) is taken over rather than blocking forever.
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { stateDir } from '../paths.js';
import { BusyError, LabError } from '../errors.js';

export interface LockInfo {
  lab: string;
  command: string;
  owner: string;
  surface: string;
  pid: number;
  host: string;
  startedAt: string;
}

function lockPath(lab: string): string {
  return join(stateDir(), 'locks', `${lab}.lock`);
}

export function readLock(lab: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(lockPath(lab), 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function describeBusy(info: LockInfo, now = Date.now()): string {
  const secs = Math.max(0, Math.round((now - Date.parse(info.startedAt)) / 1000));
  const owner = info.surface === 'slack' ? `<@${info.owner}>` : info.owner;
  return `busy: \`${info.command}\` by ${owner} (${info.surface}), started ${secs} s ago`;
}

/** Takes the lab lock or throws "busy: …"; returns the release function. */
export function acquireLock(lab: string, info: Omit<LockInfo, 'lab' | 'pid' | 'host' | 'startedAt'>): () => void {
  const path = lockPath(lab);
  mkdirSync(join(stateDir(), 'locks'), { recursive: true });
  const mine: LockInfo = { lab, ...info, pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(mine));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const cur = readLock(lab);
        if (cur && cur.pid === mine.pid && cur.startedAt === mine.startedAt) rmSync(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readLock(lab);
      if (holder && holder.host === hostname() && !alive(holder.pid)) {
        rmSync(path, { force: true }); // its process is gone: stale
        continue;
      }
      if (!holder) {
        rmSync(path, { force: true });
        continue;
      }
      throw new BusyError(describeBusy(holder), 'wait for it to finish, then run your command again');
    }
  }
  throw new LabError(`could not take the lock of lab ${lab}`, { hint: `remove ${path} if no bgp-lab is running` });
}
