// OpenSSH known_hosts for the SSH runner: plain, `[host]:port` and hashed `|1|salt|hash` entries.
// We verify ourselves (ssh2 only hands us the key) so an unknown or changed key is refused
// exactly as `ssh` would refuse it.
import { createHash, createHmac } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface KnownHostEntry {
  patterns: string[];
  keyType: string;
  key: Buffer;
  marker?: string;
}

/** How `ssh` names a host in known_hosts: bare for port 22, else `[host]:port`. */
export function hostPattern(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0]!.startsWith('@') ? fields.shift() : undefined;
    const [hosts, keyType, b64] = fields;
    if (!hosts || !keyType || !b64) continue;
    out.push({ patterns: hosts.split(','), keyType, key: Buffer.from(b64, 'base64'), marker });
  }
  return out;
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  // Wildcards as OpenSSH allows them (`*`, `?`); negations are rare enough to treat as no match.
  if (pattern.startsWith('!')) return false;
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return re.test(name);
}

/** The key algorithm named inside an SSH public key blob (its first string). */
export function keyTypeOf(blob: Buffer): string {
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

export function fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

export type HostKeyVerdict = 'known' | 'unknown' | 'changed' | 'revoked';

export function checkHostKey(entries: KnownHostEntry[], host: string, port: number, key: Buffer): HostKeyVerdict {
  const name = hostPattern(host, port);
  const mine = entries.filter((e) => e.marker !== '@cert-authority' && e.patterns.some((p) => patternMatches(p, name)));
  if (mine.some((e) => e.marker === '@revoked' && e.key.equals(key))) return 'revoked';
  if (mine.some((e) => !e.marker && e.key.equals(key))) return 'known';
  // Another key of the same algorithm on record for this host: the host key changed.
  const type = keyTypeOf(key);
  if (mine.some((e) => !e.marker && e.keyType === type)) return 'changed';
  return 'unknown';
}

export async function readKnownHosts(file: string): Promise<KnownHostEntry[]> {
  try {
    return parseKnownHosts(await readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export async function appendKnownHost(file: string, host: string, port: number, key: Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  // Never glue our line onto a last line that lacks its newline.
  const before = await readFile(file, 'utf8').catch(() => '');
  const sep = before && !before.endsWith('\n') ? '\n' : '';
  await appendFile(file, `${sep}${hostPattern(host, port)} ${keyTypeOf(key)} ${key.toString('base64')}\n`, { mode: 0o600 });
}
