// One mutating operation at a time per lab, across CLI, REPL and Slack.
//
// The lock is an flock(2) on stateDir()/locks/<lab>.lock, held by a tiny helper process
// (`flock -F … sh -c 'read…'`) whose stdin is a pipe from us. Why flock and not a lock file
// created with O_EXCL: a lock file outlives a crashed holder, and taking over a stale one is
// a read-judge-remove-create sequence that two takers can both run (each removes, each
// creates: seen as two `router restart` at once). With flock the kernel does the exclusion
// and the cleanup: at most one open file description holds the lock at any time, whatever
// the number of concurrent takers, and it is released the moment the holder dies; when we
// die (even by SIGKILL) the pipe closes, the helper reads EOF and exits, and the lock is
// free. Nothing is ever "taken over", so there is no window. The file is never removed or
// replaced (flock locks an inode: a new file would be a second lock).
//
// The file's content says who holds it (command, user, surface, start time, and the holder's
// and helper's pid + process start time + boot id + host): for the busy message, for the age
// limit, and for `down --force`, which kills the helper — checked by the kernel's own
// /proc/locks and by that identity, so a reused pid is never killed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { stateDir } from '../paths.js';
import { BusyError, LabError } from '../errors.js';
import { appendPrivate, stateSubdir } from './dir.js';
import { identityOf, liveness, type ProcessIdentity } from './identity.js';

export interface LockInfo {
  lab: string;
  command: string;
  owner: string;
  /** The owner's display name (Slack users.info): what a busy message shows; `owner` keeps the ID. */
  ownerName?: string;
  surface: string;
  pid: number;
  host: string;
  startedAt: string;
  /** The process running the command. */
  holder?: ProcessIdentity;
  /** The helper process that holds the flock (what `down --force` stops). */
  helper?: ProcessIdentity;
}

/** A command holding the lab longer than this is reported as probably stuck. */
export function lockMaxAgeMs(): number {
  const s = Number(process.env.BGP_LAB_LOCK_MAX_AGE ?? 3600);
  return (Number.isFinite(s) && s > 0 ? s : 3600) * 1000;
}

function lockPath(lab: string): string {
  return join(stateDir(), 'locks', `${lab}.lock`);
}

const FLOCK = ['/usr/bin/flock', '/bin/flock'].find((p) => existsSync(p)) ?? 'flock';
const TAG = 'bgp-lab-lock';
/** The helper: says it holds the lock, then waits for EOF on stdin (our exit or release). */
const HOLD = 'echo locked; while read -r _; do :; done';

/** An flock held by a helper process until release() or until this process dies. */
export class FileLock {
  constructor(
    readonly path: string,
    private readonly child: ChildProcess,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  async release(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.ref();
    this.child.stdin?.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  }
}

/** Takes the flock of `path` (waiting up to waitMs); undefined when another holds it. */
export function flockFile(path: string, waitMs = 0): Promise<FileLock | undefined> {
  const wait = waitMs > 0 ? ['-w', (waitMs / 1000).toFixed(3)] : ['-n'];
  const child = spawn(FLOCK, [...wait, '-F', '-E', '75', path, '/bin/sh', '-c', HOLD, TAG, path], { stdio: ['pipe', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let done = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (done || !out.includes('locked')) return;
      done = true;
      // Held for the command's life; never what keeps this process from exiting.
      child.unref();
      (child.stdin as unknown as { unref?: () => void }).unref?.();
      (child.stdout as unknown as { unref?: () => void }).unref?.();
      resolve(new FileLock(path, child));
    });
    child.once('error', (err) => {
      if (done) return;
      done = true;
      reject(new LabError(`cannot take the lab lock: ${FLOCK}: ${err.message}`, { hint: 'install util-linux (flock)' }));
    });
    child.once('exit', (code) => {
      if (done) return;
      done = true;
      if (code === 75) resolve(undefined);
      else reject(new LabError(`cannot take the lab lock ${path} (flock exited ${code})`, { hint: 'check that the state dir is writable' }));
    });
  });
}

/** The pid holding an flock on `path`, from the kernel's own table (/proc/locks). */
export function flockHolder(path: string): number | undefined {
  let ino: number;
  let table: string;
  try {
    ino = statSync(path).ino;
    table = readFileSync('/proc/locks', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of table.split('\n')) {
    // "1: FLOCK  ADVISORY  WRITE 29174 fe:00:2146497 0 EOF"; "1: -> FLOCK …" lines are waiters.
    const f = line.trim().split(/\s+/);
    if (f[1] === 'FLOCK' && Number(f[5]?.split(':')[2]) === ino) return Number(f[4]);
  }
  return undefined;
}

function parseInfo(path: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
    return typeof info === 'object' && info && typeof info.command === 'string' ? info : undefined;
  } catch {
    return undefined;
  }
}

/** Who holds the lab now; undefined when nobody does (whatever a crashed holder left in the file). */
export function readLock(lab: string): LockInfo | undefined {
  const path = lockPath(lab);
  if (!existsSync(path)) return undefined;
  const pid = flockHolder(path);
  const info = parseInfo(path);
  if (pid !== undefined) return info ?? { lab, command: '(unknown)', owner: 'another bgp-lab', surface: '?', pid, host: hostname(), startedAt: new Date().toISOString() };
  // No /proc/locks (or the file's holder is elsewhere): trust a live helper identity only.
  return info?.helper && liveness(info.helper) !== 'dead' ? info : undefined;
}

/** A name every surface can read (the CLI printed `<@U…>` for a Slack holder); a bare ID only as a Slack mention. */
function ownerOf(info: LockInfo): string {
  return info.ownerName ?? (info.surface === 'slack' ? `<@${info.owner}>` : info.owner);
}

export function describeBusy(info: LockInfo, now = Date.now()): string {
  const ageMs = Math.max(0, now - Date.parse(info.startedAt));
  const secs = Math.round(ageMs / 1000);
  const owner = ownerOf(info);
  const where = info.host && info.host !== hostname() ? ` on ${info.host}` : '';
  const limit = lockMaxAgeMs() >= 60_000 ? `${Math.round(lockMaxAgeMs() / 60_000)} min` : `${Math.round(lockMaxAgeMs() / 1000)} s`;
  const stuck = ageMs > lockMaxAgeMs() ? ` — longer than the ${limit} a command may hold a lab (BGP_LAB_LOCK_MAX_AGE): it may be stuck` : '';
  return `busy: \`${info.command}\` by ${owner} (${info.surface}${where}), started ${secs} s ago${stuck}`;
}

export function describeHolder(info: LockInfo): string {
  const owner = ownerOf(info);
  return `\`${info.command}\` by ${owner} (${info.surface}, pid ${info.holder?.pid ?? info.pid} on ${info.host}, since ${info.startedAt})`;
}

export interface HeldLock {
  release(): Promise<void>;
  /** `force`: the holder whose lock was broken. */
  broke?: LockInfo;
}

/**
 * Takes the lab lock or throws "busy: …". `force` (admin `down --force`) breaks a live
 * holder's lock first: its helper is killed (the kernel frees the flock) and it is named.
 */
export async function acquireLock(
  lab: string,
  info: Omit<LockInfo, 'lab' | 'pid' | 'host' | 'startedAt' | 'holder' | 'helper'>,
  opts: { force?: boolean } = {},
): Promise<HeldLock> {
  stateSubdir('locks');
  const path = lockPath(lab);
  appendPrivate(path, ''); // exists (0600) before flock opens it; never truncated or replaced here
  let lock = await flockFile(path);
  let broke: LockInfo | undefined;
  if (!lock) {
    const holder = readLock(lab) ?? { lab, command: '(unknown)', owner: 'another bgp-lab', surface: '?', pid: 0, host: hostname(), startedAt: new Date().toISOString() };
    if (!opts.force) {
      const stuck = Date.now() - Date.parse(holder.startedAt) > lockMaxAgeMs();
      throw new BusyError(describeBusy(holder), stuck ? 'if it is stuck, an admin can break the lock with `down --force`' : 'wait for it to finish, then run your command again (an admin can `down --force`)');
    }
    breakLock(lab, path, holder);
    broke = holder;
    lock = await flockFile(path, 3000);
    if (!lock) throw new LabError(`could not break the lock of lab ${lab}`, { hint: `it is held by ${describeHolder(holder)}: stop that process` });
  }
  const mine: LockInfo = {
    lab, ...info, pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), holder: identityOf(process.pid), helper: identityOf(lock.pid),
  };
  try {
    writeFileSync(path, JSON.stringify(mine)); // in place (O_TRUNC): the same inode, the same lock
  } catch (err) {
    await lock.release();
    throw new LabError(`cannot write the lab lock ${path}: ${(err as Error).message}`, { hint: 'free space in the state dir, then run it again' });
  }
  const held = lock;
  let released = false;
  return {
    broke,
    async release() {
      if (released) return;
      released = true;
      // Empty before unlocking: a stale name never reads as the holder of a free lock.
      try {
        if (parseInfo(path)?.helper?.pid === held.pid) writeFileSync(path, '');
      } catch {
        // a full disk cannot truncate? (it can); either way the flock below is what counts
      }
      await held.release();
    },
  };
}

/** Kills the helper holding `path`'s flock, after checking it is ours (kernel table + identity). */
function breakLock(lab: string, path: string, holder: LockInfo): void {
  const pid = flockHolder(path);
  if (pid === undefined) {
    if (holder.host !== hostname()) throw new LabError(`the lock of lab ${lab} is held on ${holder.host} by ${describeHolder(holder)}`, { hint: `stop it on ${holder.host}` });
    return; // released meanwhile
  }
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return; // exited meanwhile
  }
  if (!cmdline.includes(`${TAG} ${path}`))
    throw new LabError(`the lock of lab ${lab} is held by pid ${pid} (${cmdline.trim()}), not by a bgp-lab lock helper`, { hint: 'stop that process' });
  if (holder.helper && holder.helper.pid === pid && liveness(holder.helper) === 'dead') return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}
