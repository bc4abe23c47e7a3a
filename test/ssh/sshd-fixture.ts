// A throwaway sshd on 127.0.0.1 for tests: own host key, own user key, own config, free port.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Sshd {
  dir: string;
  port: number;
  host: string;
  identity: string;
  hostKeyPub: string;
  /** `ssh-keygen -lf` fingerprint of the host key (SHA256:…). */
  hostFingerprint: string;
  proc: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export function keygen(file: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bgp-lab-test', '-f', file]);
}

async function waitListening(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on ${port}`);
}

export async function startSshd(): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), 'bgp-lab-sshd-'));
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'user_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')));
  const port = await freePort();
  const cfg = join(dir, 'sshd_config');
  writeFileSync(
    cfg,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PermitRootLogin prohibit-password',
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'MaxSessions 10',
      'Subsystem sftp internal-sftp',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  mkdirSync('/run/sshd', { recursive: true });
  const proc = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  await waitListening(port, 10_000);
  const hostFingerprint = execFileSync('ssh-keygen', ['-lf', join(dir, 'host_key.pub')]).toString().split(' ')[1]!;
  return {
    dir,
    port,
    host: `root@127.0.0.1:${port}`,
    identity: join(dir, 'user_key'),
    hostKeyPub: readFileSync(join(dir, 'host_key.pub'), 'utf8'),
    hostFingerprint,
    proc,
    log: () => log,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        // Our listener and the per-connection sshd processes it forked.
        try {
          execFileSync('pkill', ['-TERM', '-P', String(proc.pid)]);
        } catch {}
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A known_hosts line for this server, as `ssh` would record it. */
export function knownHostsLine(sshd: Sshd): string {
  const [type, b64] = sshd.hostKeyPub.trim().split(/\s+/);
  return `[127.0.0.1]:${sshd.port} ${type} ${b64}\n`;
}
