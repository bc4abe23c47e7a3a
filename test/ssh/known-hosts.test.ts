// known_hosts reading against files written by the real OpenSSH tools (ssh-keygen -H hashes them).
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkHostKey, fingerprint, parseKnownHosts } from '../../lab/runners/known-hosts.js';
import { keygen } from './sshd-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'bgp-lab-kh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pub(name: string): { type: string; blob: Buffer; line: string } {
  keygen(join(dir, name));
  const line = readFileSync(join(dir, `${name}.pub`), 'utf8').trim();
  const [type, b64] = line.split(/\s+/);
  return { type: type!, blob: Buffer.from(b64!, 'base64'), line };
}

describe('known_hosts', () => {
  const a = pub('a');
  const b = pub('b');

  it('matches plain, [host]:port and hashed entries; tells unknown from changed', () => {
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `lab1,lab1.example ${a.type} ${a.blob.toString('base64')}\n[127.0.0.1]:2222 ${a.type} ${a.blob.toString('base64')}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^\|1\|/);
    expect(text).not.toContain('lab1');
    const entries = parseKnownHosts(text);
    expect(checkHostKey(entries, 'lab1', 22, a.blob)).toBe('known');
    expect(checkHostKey(entries, '127.0.0.1', 2222, a.blob)).toBe('known');
    expect(checkHostKey(entries, '127.0.0.1', 22, a.blob)).toBe('unknown');
    expect(checkHostKey(entries, 'lab2', 22, a.blob)).toBe('unknown');
    expect(checkHostKey(entries, 'lab1.example', 22, b.blob)).toBe('changed');
  });

  it('computes the fingerprint ssh-keygen shows', () => {
    const shown = execFileSync('ssh-keygen', ['-lf', join(dir, 'a.pub')]).toString().split(' ')[1];
    expect(fingerprint(a.blob)).toBe(shown);
  });
});
