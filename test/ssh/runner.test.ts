// SshRunner against a real sshd on 127.0.0.1: host keys, literal arguments, cancel, SFTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SshRunner } from '../../lab/runners/ssh.js';
import { LabError } from '../../lab/errors.js';
import { keygen, knownHostsLine, startSshd, type Sshd } from './sshd-fixture.js';

let sshd: Sshd;
let runner: SshRunner | undefined;
let knownHosts: string;

beforeAll(async () => {
  sshd = await startSshd();
  knownHosts = join(sshd.dir, 'known_hosts');
  writeFileSync(knownHosts, knownHostsLine(sshd));
  runner = await SshRunner.connect(sshd.host, { identity: sshd.identity, knownHosts });
});

/** Our remote sleeps (unique durations) that a failed test may leave: ended by pid. */
function killOurSleeps(): void {
  for (const d of ['314.159', '327.18', '33.3']) {
    for (const pid of pgrep(`^sleep ${d}$`).split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {}
    }
  }
}

afterAll(async () => {
  killOurSleeps();
  await runner?.close();
  await sshd?.stop();
  rmSync('/tmp/bgp-lab-ssh-x', { force: true });
});

function pgrep(pattern: string): string {
  try {
    return execFileSync('pgrep', ['-f', pattern]).toString().trim();
  } catch {
    return '';
  }
}

describe('host keys', () => {
  it('refuses an unknown host key without --accept-new-host-key', async () => {
    const file = join(sshd.dir, 'kh-empty');
    const err = await SshRunner.connect(sshd.host, { identity: sshd.identity, knownHosts: file }).catch((e) => e);
    expect(err).toBeInstanceOf(LabError);
    expect(err.message).toContain('unknown');
    expect(err.message).toContain(sshd.hostFingerprint);
    expect(err.hint).toContain('--accept-new-host-key');
    expect(existsSync(file)).toBe(false);
  });

  it('accepts and records a new host key with acceptNewHostKey, then knows it', async () => {
    const file = join(sshd.dir, 'kh-new');
    const r1 = await SshRunner.connect(sshd.host, { identity: sshd.identity, knownHosts: file, acceptNewHostKey: true });
    await r1.close();
    expect(readFileSync(file, 'utf8')).toBe(knownHostsLine(sshd));
    const r2 = await SshRunner.connect(sshd.host, { identity: sshd.identity, knownHosts: file });
    expect((await r2.run(['true'])).exitCode).toBe(0);
    await r2.close();
  });

  it('refuses a changed host key, even with acceptNewHostKey, showing the new fingerprint', async () => {
    keygen(join(sshd.dir, 'other'));
    const [type, b64] = readFileSync(join(sshd.dir, 'other.pub'), 'utf8').split(/\s+/);
    const file = join(sshd.dir, 'kh-changed');
    writeFileSync(file, `[127.0.0.1]:${sshd.port} ${type} ${b64}\n`);
    const err = await SshRunner.connect(sshd.host, { identity: sshd.identity, knownHosts: file, acceptNewHostKey: true }).catch((e) => e);
    expect(err).toBeInstanceOf(LabError);
    expect(err.message).toMatch(/CHANGED/);
    expect(err.message).toContain(sshd.hostFingerprint);
    expect(err.message).not.toContain('\n');
    expect(err.hint).toContain('ssh-keygen -R');
  });

  it('logs in with the SSH agent when no --identity is given', async () => {
    const sock = join(sshd.dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    const saved = process.env.SSH_AUTH_SOCK;
    try {
      for (let i = 0; i < 50 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
      execFileSync('ssh-add', ['-q', sshd.identity], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      process.env.SSH_AUTH_SOCK = sock;
      const r = await SshRunner.connect(sshd.host, { knownHosts });
      expect((await r.run(['echo', 'via agent'])).stdout).toBe('via agent\n');
      await r.close();
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
      agent.kill();
    }
  });

  it('fails authentication with a key the server does not know, as one clear line', async () => {
    keygen(join(sshd.dir, 'stranger'));
    const err = await SshRunner.connect(sshd.host, { identity: join(sshd.dir, 'stranger'), knownHosts }).catch((e) => e);
    expect(err).toBeInstanceOf(LabError);
    expect(err.message).toMatch(/authentication failed/);
  });
});

describe('run', () => {
  it('hands hostile arguments over as single literal arguments', async () => {
    const words = ['; rm -rf /', '$(touch /tmp/bgp-lab-ssh-x)', '`touch /tmp/bgp-lab-ssh-x`', "it's \"q\"", 'a\nb', ''];
    const r = await runner!.run(['printf', '%s\\n', ...words]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(words.map((w) => w + '\n').join(''));
    expect(existsSync('/tmp/bgp-lab-ssh-x')).toBe(false);
  });

  it('reports exit codes, stderr, stdin input and streamed lines', async () => {
    const lines: string[] = [];
    const r = await runner!.run(['sh', '-c', 'cat; echo err >&2; exit 3'], {
      input: 'one\ntwo\n',
      onLine: (l, s) => lines.push(`${s}:${l}`),
    });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe('one\ntwo\n');
    expect(r.stderr).toBe('err\n');
    expect(lines).toEqual(expect.arrayContaining(['stdout:one', 'stdout:two', 'stderr:err']));
  });

  it('passes env and says a missing program is not found', async () => {
    expect((await runner!.run(['printenv', 'BGP_X'], { env: { BGP_X: 'a b;c' } })).stdout).toBe('a b;c\n');
    await expect(runner!.run(['no-such-program-bgp'])).rejects.toThrow(/no-such-program-bgp not found/);
  });

  it('cancel kills the remote process', async () => {
    const ac = new AbortController();
    // Long sleeps, so "killed" can never be mistaken for "finished" on a host busy enough to
    // take many seconds per remote exec.
    const p = runner!.run(['sleep', '314.159'], { signal: ac.signal });
    for (let i = 0; i < 600 && !pgrep('sleep 314.159'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(pgrep('sleep 314.159')).not.toBe('');
    const t0 = Date.now();
    ac.abort();
    const r = await p;
    expect(r.cancelled).toBe(true);
    expect(Date.now() - t0).toBeLessThan(120_000); // far below the 314 s sleep
    expect(pgrep('sleep 314.159')).toBe('');
  }, 300_000);

  it('timeoutMs kills the remote process and says timedOut', async () => {
    const r = await runner!.run(['sleep', '327.18'], { timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.durationMs, JSON.stringify(r)).toBeLessThan(120_000); // far below the 327 s sleep
    expect(pgrep('sleep 327.18')).toBe('');
  }, 300_000);

  it('runs many commands at once on one connection', async () => {
    const rs = await Promise.all(Array.from({ length: 25 }, (_, i) => runner!.run(['echo', String(i)])));
    expect(rs.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
  }, 300_000);
});

describe('files over SFTP', () => {
  it('writes (creating parent dirs) and reads; a missing file is undefined', async () => {
    const path = join(sshd.dir, 'deep/er/file.txt');
    await runner!.writeFile(path, 'hello\n', 0o640);
    expect(readFileSync(path, 'utf8')).toBe('hello\n');
    expect(await runner!.readFile(path)).toBe('hello\n');
    expect(execFileSync('stat', ['-c', '%a', path]).toString().trim()).toBe('640');
    expect(await runner!.readFile(join(sshd.dir, 'nope'))).toBeUndefined();
  });
});

describe('a dropped connection', () => {
  it('fails the running command and later ones with a clear LabError, not a hang', async () => {
    const r = await SshRunner.connect(sshd.host, { identity: sshd.identity, knownHosts });
    const p = r.run(['sleep', '33.3']);
    await new Promise((res) => setTimeout(res, 300));
    // Kill only the per-connection sshd processes of our listener.
    execFileSync('pkill', ['-KILL', '-P', String(sshd.proc.pid)]);
    await expect(p).rejects.toThrow(/connection to .* lost/);
    await expect(r.run(['true'])).rejects.toThrow(/lost/);
    await r.close();
    killOurSleeps(); // its session died with the connection; the sleep itself did not
    // Re-open the shared runner (its connection was one of those killed).
    await runner!.close();
    runner = await SshRunner.connect(sshd.host, { identity: sshd.identity, knownHosts });
    expect((await runner.run(['true'])).exitCode).toBe(0);
  });
});
