// quoteArgv is the one place an argv becomes a remote command string: every hostile word
// must reach the program as exactly one literal argument through a real POSIX shell.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { quoteArgv, parseHostSpec } from '../../lab/runners/ssh.js';

const hostile = [
  '; rm -rf /',
  '$(touch /tmp/bgp-lab-quote-x)',
  '`touch /tmp/bgp-lab-quote-y`',
  "it's",
  "''",
  '"double" \\ back',
  'line1\nline2',
  '',
  '$HOME ${PATH} * ? [a] ~ & | > < ! #',
  "'; echo pwned; '",
];

function throughShell(shell: string, argv: string[]): string[] {
  const out = execFileSync(shell, ['-c', `printf '%s\\0' ${quoteArgv(argv)}`]).toString();
  return out.split('\0').slice(0, -1);
}

describe('quoteArgv', () => {
  it('quotes every word in single quotes', () => {
    expect(quoteArgv(['echo', 'a b'])).toBe(`'echo' 'a b'`);
    expect(quoteArgv(['x', "it's"])).toBe(`'x' 'it'\\''s'`);
    expect(quoteArgv(['x', ''])).toBe(`'x' ''`);
  });

  for (const shell of ['/bin/sh', '/bin/bash']) {
    it(`hands hostile words to ${shell} as single literal arguments`, () => {
      expect(throughShell(shell, hostile)).toEqual(hostile);
      expect(existsSync('/tmp/bgp-lab-quote-x')).toBe(false);
      expect(existsSync('/tmp/bgp-lab-quote-y')).toBe(false);
    });
  }

  it('refuses an empty argv and NUL bytes', () => {
    expect(() => quoteArgv([])).toThrow(/empty/);
    expect(() => quoteArgv(['a\0b'])).toThrow(/NUL/);
  });
});

describe('parseHostSpec', () => {
  it('reads user, host and port', () => {
    expect(parseHostSpec('root@127.0.0.1:2222')).toEqual({ user: 'root', host: '127.0.0.1', port: 2222 });
    expect(parseHostSpec('admin@lab1')).toEqual({ user: 'admin', host: 'lab1', port: 22 });
    expect(parseHostSpec('root@[::1]:2200')).toEqual({ user: 'root', host: '::1', port: 2200 });
    expect(() => parseHostSpec('root@host:port:x')).toThrow(/user@host/);
  });
});
