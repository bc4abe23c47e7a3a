// Writing rendered files on the CLI's host without following anything planted: every
// directory we create or enter and every file we write is opened with O_NOFOLLOW, relative to
// its parent's open descriptor (/proc/self/fd/N/name: openat semantics), so a symlink swapped
// in at any level is refused, not followed. A target that is not empty and was not made by us
// (no marker file) is refused unless `force`.
import { closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';

/** In a directory `render` made: re-rendering into it needs no --force. */
export const RENDER_MARKER = '.bgp-lab-render';

const { O_RDONLY, O_WRONLY, O_CREAT, O_TRUNC, O_NOFOLLOW, O_DIRECTORY, O_EXCL } = constants;
const at = (dirFd: number, name: string) => `/proc/self/fd/${dirFd}/${name}`;

function refuse(path: string, why: string, hint = 'choose another path'): never {
  throw new UsageError(`refusing to write ${path}: ${why}`, hint);
}

function openDirNoFollow(path: string, shown: string): number {
  try {
    return openSync(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'ENOTDIR') refuse(shown, code === 'ELOOP' ? 'it is a symlink' : 'it is not a directory');
    throw new UsageError(`cannot open ${shown}: ${code ?? (err as Error).message}`, 'pass a writable directory with --out DIR');
  }
}

/** A child directory of dirFd, created when missing; never a symlink. */
function subdir(dirFd: number, name: string, shown: string): number {
  try {
    mkdirSync(at(dirFd, name), 0o755);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`cannot create ${shown}: ${(err as NodeJS.ErrnoException).code}`);
  }
  return openDirNoFollow(at(dirFd, name), shown);
}

function writeAt(dirFd: number, name: string, content: string | Uint8Array, mode: number, shown: string, exclusive = false): void {
  let fd: number;
  try {
    fd = openSync(at(dirFd, name), O_WRONLY | O_CREAT | O_NOFOLLOW | (exclusive ? O_EXCL : O_TRUNC), mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') refuse(shown, 'it is a symlink');
    throw new UsageError(`cannot write ${shown}: ${code ?? (err as Error).message}`, 'pass a writable path with --out');
  }
  try {
    if (!fstatSync(fd).isFile()) refuse(shown, 'it is not a regular file');
    fchmodSync(fd, mode); // the open mode only applies to new files
    const buf = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off);
  } finally {
    closeSync(fd);
  }
}

/** Opens (creating it, and its missing parents, when absent) the target directory. */
function targetDir(outDir: string, force: boolean): number {
  let exists = true;
  try {
    const st = lstatSync(outDir);
    if (st.isSymbolicLink()) refuse(outDir, 'it is a symlink');
    if (!st.isDirectory()) refuse(outDir, 'it is not a directory');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    exists = false;
  }
  if (!exists) {
    mkdirSync(dirname(outDir), { recursive: true });
    mkdirSync(outDir, 0o755);
  }
  const fd = openDirNoFollow(outDir, outDir);
  const entries = readdirSync(at(fd, '.'));
  if (!exists || entries.length === 0) writeAt(fd, RENDER_MARKER, 'made by `bgp-lab render`; re-rendering here needs no --force\n', 0o644, `${outDir}/${RENDER_MARKER}`);
  else if (!entries.includes(RENDER_MARKER) && !force) {
    closeSync(fd);
    refuse(outDir, `it is not empty and bgp-lab did not make it (${entries.length} entries)`, 'choose an empty or new directory, or add --force to write into it');
  }
  return fd;
}

/** Writes files (paths relative, `/`-separated, no `..`) under outDir. */
export function writeFilesNoFollow(outDir: string, files: { path: string; content: string; mode?: number }[], opts: { force?: boolean } = {}): string {
  const root = resolve(outDir);
  const rootFd = targetDir(root, opts.force ?? false);
  const dirs = new Map<string, number>([['', rootFd]]);
  try {
    for (const f of files) {
      const parts = f.path.split('/');
      if (parts.some((p) => !p || p === '.' || p === '..')) throw new Error(`render: bad relative path ${f.path}`);
      let rel = '';
      let fd = rootFd;
      for (const part of parts.slice(0, -1)) {
        const next = rel ? `${rel}/${part}` : part;
        fd = dirs.get(next) ?? subdir(fd, part, `${root}/${next}`);
        dirs.set(next, fd);
        rel = next;
      }
      writeAt(fd, parts.at(-1)!, f.content, f.mode ?? 0o644, `${root}/${f.path}`);
    }
  } finally {
    for (const fd of dirs.values()) closeSync(fd);
  }
  return root;
}

/**
 * One file, never through a symlink; an existing non-empty file only with `force`.
 */
export function writeFileNoFollow(file: string, content: string | Uint8Array, opts: { force?: boolean } = {}): string {
  const path = resolve(file);
  try {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) refuse(path, 'it is a symlink');
    if (!st.isFile()) refuse(path, 'it is not a regular file');
    if (st.size > 0 && !opts.force) refuse(path, 'it exists and is not empty', 'choose a new file, or add --force to overwrite it');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const dirFd = openSync(dirname(path), O_RDONLY | O_DIRECTORY);
  try {
    writeAt(dirFd, path.slice(dirname(path).length + 1), content, 0o644, path);
  } finally {
    closeSync(dirFd);
  }
  return path;
}
