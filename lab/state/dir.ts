// The tool's state (audit log, locks, history, drills) names who did what and, for a --random
// drill, the hidden scenario: it is the owner's alone. Directories 0700, files 0600, and a dir
// or file left wider by an older version is narrowed when we next write to it.
import { appendFileSync, chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { appendFile, chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { stateDir } from '../paths.js';

function narrow(path: string, mode: number): void {
  try {
    const st = statSync(path);
    // Never a shared directory someone pointed us at (/tmp: sticky), never another user's.
    if ((st.mode & 0o7777 & ~mode) === 0 || st.mode & 0o1000 || st.uid !== process.getuid?.()) return;
    chmodSync(path, mode);
  } catch {
    // gone meanwhile: the next write creates it with the right mode
  }
}

/** A directory of the state, created 0700 (parents too). Returns its path. */
export function privateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  narrow(dir, 0o700);
  return dir;
}

/** stateDir()/…parts, every level 0700. */
export function stateSubdir(...parts: string[]): string {
  let dir = privateDir(stateDir());
  for (const p of parts) dir = privateDir(join(dir, p));
  return dir;
}

export function appendPrivate(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  appendFileSync(file, text, { mode: 0o600 });
  narrow(file, 0o600);
}

export function writePrivate(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, text, { mode: 0o600 });
  narrow(file, 0o600);
}

async function narrowAsync(path: string, mode: number): Promise<void> {
  const st = await stat(path).catch(() => undefined);
  if (!st || (st.mode & 0o7777 & ~mode) === 0 || st.mode & 0o1000 || st.uid !== process.getuid?.()) return;
  await chmod(path, mode).catch(() => {});
}

export async function appendPrivateAsync(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await appendFile(file, text, { mode: 0o600 });
  await narrowAsync(file, 0o600);
}

export async function writePrivateAsync(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, text, { mode: 0o600 });
  await narrowAsync(file, 0o600);
}

/**
 * Takes a file for this process by renaming it aside (with two bots, exactly one rename wins;
 * the other gets ENOENT), reads it and removes it. undefined: someone else took it first.
 * A read error is thrown, after the removal.
 */
export async function takeFile(file: string, tag: string): Promise<string | undefined> {
  const claimed = join(dirname(file), `.${basename(file)}.${tag}-${process.pid}`);
  try {
    await rename(file, claimed);
  } catch {
    return undefined;
  }
  try {
    return await readFile(claimed, 'utf8');
  } finally {
    await rm(claimed, { force: true });
  }
}
