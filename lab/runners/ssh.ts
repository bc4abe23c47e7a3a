// Remote runner over ssh2: one connection per command, argv quoted by quoteArgv (the only
// place an argv becomes a string), files over SFTP. Host keys are checked against known_hosts.
// ssh2 is CommonJS: Node's ESM loader only offers its default export.
import ssh2 from 'ssh2';
import type { Client as SshClient, ClientChannel, ConnectConfig, SFTPWrapper } from 'ssh2';
import { constants, homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createServer, type AddressInfo, type Server } from 'node:net';
import type { RunOptions, RunResult, Runner } from './types.js';
import { LabError, UsageError } from '../errors.js';
import { appendKnownHost, checkHostKey, fingerprint, hostPattern, readKnownHosts } from './known-hosts.js';
import { authConfig, connectError } from './ssh-auth.js';

const { Client } = ssh2;

export interface SshOptions {
  identity?: string;
  knownHosts?: string;
  acceptNewHostKey?: boolean;
}

/**
 * POSIX single-quote quoting, the one audited argv → remote command string function.
 * Inside '…' nothing is special except the quote itself, written as '\'' (close, escaped
 * quote, reopen). Every word is quoted, so `;`, `$(…)`, backticks and newlines stay literal.
 */
export function quoteArgv(argv: string[]): string {
  if (argv.length === 0) throw new Error('quoteArgv: empty argv');
  return argv
    .map((word) => {
      if (word.includes('\0')) throw new UsageError('an argument contains a NUL byte', 'remove it');
      return `'${word.replace(/'/g, `'\\''`)}'`;
    })
    .join(' ');
}

/** `user@host[:port]`, `[v6]:port` allowed; user defaults to the local user. */
export function parseHostSpec(spec: string): { user: string; host: string; port: number } {
  const m = /^(?:([^@\s]+)@)?(\[[^\]]+\]|[^:@\s]+)(?::(\d{1,5}))?$/.exec(spec);
  if (!m) throw new UsageError(`--host ${spec} is not user@host[:port]`, 'e.g. --host root@lab1:22');
  return {
    user: m[1] ?? process.env.USER ?? 'root',
    host: m[2]!.replace(/^\[|\]$/g, ''),
    port: m[3] ? Number(m[3]) : 22,
  };
}

// sshd allows 10 sessions per connection (MaxSessions); keep one free for SFTP.
const MAX_CHANNELS = 8;
const KILL_GRACE_MS = 2000;
// First stderr line of every remote command: the pid to kill on cancel (never shown).
const PID_MARK = 'bgp-lab-pid:';

export class SshRunner implements Runner {
  private dead?: LabError;
  private sftpPromise?: Promise<SFTPWrapper>;
  private active = 0;
  private waiting: (() => void)[] = [];
  private inflight = new Set<(err: LabError) => void>();
  private forwards: Server[] = [];

  private constructor(private readonly client: SshClient, readonly where: string) {
    const lost = (why: string) => {
      if (this.dead) return;
      this.dead = new LabError(`SSH connection to ${where} lost${why ? `: ${why}` : ''}`, {
        hint: 'check the lab host is reachable, then run the command again',
      });
      for (const fail of this.inflight) fail(this.dead);
    };
    client.on('error', (err) => lost(err.message));
    client.on('close', () => lost(''));
  }

  static async connect(spec: string, opts: SshOptions = {}): Promise<SshRunner> {
    const { user, host, port } = parseHostSpec(spec);
    const where = `${user}@${host}:${port}`;
    const knownHostsFile = opts.knownHosts ?? join(homedir(), '.ssh/known_hosts');
    const known = await readKnownHosts(knownHostsFile);
    const auth = await authConfig(opts.identity);
    let refusal: LabError | undefined;
    let recording: Promise<void> | undefined;

    const client = new Client();
    const config: ConnectConfig = {
      host,
      port,
      username: user,
      ...auth,
      readyTimeout: 15_000,
      keepaliveInterval: 5_000,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        const verdict = checkHostKey(known, host, port, key);
        if (verdict === 'known') return true;
        const fp = fingerprint(key);
        if (verdict === 'unknown' && opts.acceptNewHostKey) {
          recording = appendKnownHost(knownHostsFile, host, port, key);
          return true;
        }
        refusal =
          verdict === 'unknown'
            ? new LabError(`host key of ${hostPattern(host, port)} is unknown (${fp})`, {
                hint: `verify it, then add --accept-new-host-key (records it in ${knownHostsFile})`,
              })
            : new LabError(`host key of ${hostPattern(host, port)} CHANGED, now ${fp}; refusing to connect`, {
                hint: `if the host was reinstalled, remove its line with \`ssh-keygen -R '${hostPattern(host, port)}' -f ${knownHostsFile}\``,
              });
        return false;
      },
    };
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', (err: Error & { level?: string; code?: string }) =>
        reject(refusal ?? connectError(err, where, opts.identity)),
      );
      client.connect(config);
    });
    await recording;
    return new SshRunner(client, where);
  }

  async run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
    const [file] = argv;
    if (!file) throw new Error('run: empty argv');
    // `env` reads a word starting with `-` as its option: names are checked, values are after `=`.
    const envWords = Object.entries(opts.env ?? {}).map(([k, v]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`run: bad environment variable name ${JSON.stringify(k)}`);
      return `${k}=${v}`;
    });
    // sshd makes the session shell a process-group leader (setsid); it says its pid, then
    // `exec` turns it into the program, so `kill -- -PID` reaches the program and its children.
    // (Needs a POSIX login shell on the lab host: bash, dash, zsh, ash.)
    const command = `echo ${PID_MARK}$$ >&2; exec ` + quoteArgv(envWords.length ? ['env', ...envWords, ...argv] : argv);
    await this.slot();
    try {
      const r = await this.execRetrying(argv, command, opts);
      if (r.exitCode === 127 && /exec: .*not found|No such file or directory/.test(r.stderr) && !r.cancelled && !r.timedOut) {
        throw new LabError(`${file} not found on ${this.where}`, { hint: 'install it on the lab host (`make setup` there)' });
      }
      return r;
    } finally {
      this.release();
    }
  }

  /**
   * sshd frees a session slot only after the channel's close exchange, so right after many short
   * programs it may refuse a new channel although ours are under MaxSessions. Nothing ran then:
   * trying again is safe.
   */
  private async execRetrying(argv: string[], command: string, opts: RunOptions): Promise<RunResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.exec(argv, command, opts);
      } catch (err) {
        if (attempt >= 8 || this.dead || opts.signal?.aborted || !/Channel open failure/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
      }
    }
  }

  /**
   * Kills a remote process group over its own channel. sshd refuses RFC 4254 signal requests
   * for root sessions (no privilege separation), and closing a pty-less channel kills nothing.
   */
  private async killRemote(pid: number, sig: string): Promise<void> {
    const cmd = quoteArgv(['kill', '-s', sig.replace(/^SIG/, ''), '--', `-${pid}`]);
    // A busy sshd may refuse a channel for a moment; the kill must still get through.
    for (let attempt = 0; attempt < 5 && !this.dead; attempt++) {
      const ran = await new Promise<boolean>((resolve) =>
        this.client.exec(cmd, (err, ch) => {
          if (err) return resolve(false);
          ch.stderr.resume();
          ch.on('close', () => resolve(true));
          ch.resume().end();
        }),
      );
      if (ran) return;
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
  }

  private exec(argv: string[], command: string, opts: RunOptions): Promise<RunResult> {
    if (this.dead) return Promise.reject(this.dead);
    const started = performance.now();
    return new Promise<RunResult>((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      let head = ''; // stderr until the pid line is seen
      let pid: number | undefined;
      let stopping = false;
      let exitCode: number | undefined;
      let timedOut = false;
      let cancelled = false;
      let channel: ClientChannel | undefined;
      let timer: NodeJS.Timeout | undefined;
      const fail = (err: LabError) => finish(err);
      let closed = false;
      const closedWithin = (ms: number) =>
        new Promise<boolean>((resolve) => {
          const t0 = Date.now();
          const tick = () => (closed ? resolve(true) : Date.now() - t0 >= ms ? resolve(false) : setTimeout(tick, 50));
          tick();
        });
      // The signal, then SIGKILL, each only after its kill command has run (a remote exec can
      // take seconds on a busy host); the result waits for that, never for the program itself.
      const kill = async () => {
        // Never after close: the pid may belong to someone else by then.
        if (pid === undefined || pid < 0 || !channel || closed) return; // killed as soon as the pid arrives
        const [ch, target] = [channel, pid];
        await this.killRemote(target, opts.killSignal ?? 'SIGTERM');
        if (await closedWithin(KILL_GRACE_MS)) return;
        await this.killRemote(target, 'SIGKILL');
        if (await closedWithin(KILL_GRACE_MS)) return;
        ch.close();
        finish();
      };
      const stop = () => {
        if (stopping) return;
        stopping = true;
        void kill();
      };
      const onAbort = () => {
        cancelled = true;
        stop();
      };
      let settled = false;
      const finish = (err?: LabError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        this.inflight.delete(fail);
        if (err) return reject(err);
        resolve({ argv, stdout, stderr: head + stderr, exitCode: exitCode ?? 255, timedOut, cancelled, durationMs: performance.now() - started });
      };
      this.inflight.add(fail);
      this.client.exec(command, (err, ch) => {
        if (err) return finish(new LabError(`ssh ${this.where}: cannot start ${argv[0]}: ${err.message}`));
        channel = ch;
        const lines = lineSplitter(opts.onLine);
        ch.on('data', (d: Buffer) => {
          stdout += d.toString();
          lines.push(d, 'stdout');
        });
        ch.stderr.on('data', (d: Buffer) => {
          if (pid === undefined) {
            head += d.toString();
            // A login script may print before our line; keep its text, drop only ours.
            const m = new RegExp(`${PID_MARK}(\\d+)\\n`).exec(head);
            if (!m && head.length < 65536) return;
            pid = m ? Number(m[1]) : -1;
            const rest = m ? head.slice(0, m.index) + head.slice(m.index + m[0].length) : head;
            head = '';
            if (stopping) void kill();
            if (!rest) return;
            d = Buffer.from(rest);
          }
          stderr += d.toString();
          lines.push(d, 'stderr');
        });
        ch.on('exit', (code: number | null, signal?: string) => {
          // ssh2 names the signal with or without the SIG prefix; report it like a shell (128 + n).
          const name = `SIG${(signal ?? '').replace(/^SIG/, '')}` as keyof typeof constants.signals;
          exitCode = code ?? 128 + (constants.signals[name] ?? 0);
        });
        ch.on('close', () => {
          closed = true;
          lines.flush();
          finish();
        });
        if (opts.input !== undefined) ch.end(opts.input);
        else ch.end();
        if (opts.timeoutMs) {
          timer = setTimeout(() => {
            timedOut = true;
            stop();
          }, opts.timeoutMs);
        }
        if (opts.signal?.aborted) onAbort();
        else opts.signal?.addEventListener('abort', onAbort, { once: true });
      });
    });
  }

  async writeFile(path: string, content: string, mode?: number): Promise<void> {
    const sftp = await this.sftp();
    await this.mkdirp(sftp, dirname(path));
    await new Promise<void>((resolve, reject) =>
      sftp.writeFile(path, content, mode === undefined ? {} : { mode }, (err) =>
        err ? reject(new LabError(`cannot write ${path} on ${this.where}: ${err.message}`)) : resolve(),
      ),
    );
    // The open mode only applies to new files; make an existing file match too.
    if (mode !== undefined) await new Promise<void>((resolve) => sftp.chmod(path, mode, () => resolve()));
  }

  /** mkdir -p over SFTP: a round trip per missing level, no remote process (an exec costs ~1 s on a busy host). */
  private async mkdirp(sftp: SFTPWrapper, dir: string): Promise<void> {
    // No cache: `up --replace` removes and rewrites dirs within one connection.
    if (dir === '/' || dir === '.') return;
    const isDir = await new Promise<boolean>((resolve) => sftp.stat(dir, (err, st) => resolve(!err && st.isDirectory())));
    if (!isDir) {
      await this.mkdirp(sftp, dirname(dir));
      await new Promise<void>((resolve, reject) =>
        sftp.mkdir(dir, (err) => {
          if (!err) return resolve();
          // Made meanwhile by a parallel write: fine if it is a directory now.
          sftp.stat(dir, (e2, st) => (!e2 && st.isDirectory() ? resolve() : reject(new LabError(`cannot create ${dir} on ${this.where}: ${err.message}`))));
        }),
      );
    }
  }

  async readFile(path: string): Promise<string | undefined> {
    const sftp = await this.sftp();
    return new Promise((resolve, reject) =>
      sftp.readFile(path, 'utf8', (err: (Error & { code?: number }) | undefined, data: string | Buffer) => {
        if (!err) return resolve(String(data));
        if (err.code === 2) return resolve(undefined); // SSH_FX_NO_SUCH_FILE
        reject(new LabError(`cannot read ${path} on ${this.where}: ${err.message}`));
      }),
    );
  }

  /**
   * A local 127.0.0.1 port that reaches remoteHost:remotePort as seen from the lab host
   * (the kind API server listens on the lab host's loopback).
   */
  async forwardLocal(remoteHost: string, remotePort: number): Promise<number> {
    if (this.dead) throw this.dead;
    const server = createServer((sock) => {
      this.client.forwardOut('127.0.0.1', 0, remoteHost, remotePort, (err, stream) => {
        if (err) return sock.destroy();
        sock.pipe(stream).pipe(sock);
        sock.on('error', () => stream.close());
        stream.on('error', () => sock.destroy());
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.forwards.push(server);
    return (server.address() as AddressInfo).port;
  }

  private unixForwards = new Map<string, string>();

  /**
   * A local unix socket that reaches a unix socket on the lab host (a node agent's GoBGP API),
   * one SSH channel per connection; one per remote path, for the life of the connection.
   */
  async forwardLocalUnix(remotePath: string): Promise<string> {
    if (this.dead) throw this.dead;
    const known = this.unixForwards.get(remotePath);
    if (known) return known;
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const local = join(mkdtempSync(join(tmpdir(), 'bgp-lab-fwd-')), 'api.sock');
    const server = createServer((sock) => {
      this.client.openssh_forwardOutStreamLocal(remotePath, (err, stream) => {
        if (err) return sock.destroy();
        sock.pipe(stream).pipe(sock);
        sock.on('error', () => stream.close());
        stream.on('error', () => sock.destroy());
      });
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(local, resolve));
    this.forwards.push(server);
    this.unixForwards.set(remotePath, local);
    return local;
  }

  async close(): Promise<void> {
    const { rmSync } = await import('node:fs');
    for (const local of this.unixForwards.values()) rmSync(dirname(local), { recursive: true, force: true });
    this.unixForwards.clear();
    for (const f of this.forwards.splice(0)) f.close();
    if (this.dead) return;
    this.dead = new LabError(`SSH connection to ${this.where} is closed`);
    await new Promise<void>((resolve) => {
      this.client.once('close', () => resolve());
      this.client.end();
      setTimeout(resolve, 2000).unref();
    });
  }

  private sftp(): Promise<SFTPWrapper> {
    if (this.dead) return Promise.reject(this.dead);
    this.sftpPromise ??= new Promise((resolve, reject) =>
      this.client.sftp((err, sftp) => (err ? reject(new LabError(`SFTP to ${this.where} failed: ${err.message}`, { hint: 'enable the sftp subsystem in sshd_config' })) : resolve(sftp))),
    );
    return this.sftpPromise;
  }

  private async slot(): Promise<void> {
    if (this.active < MAX_CHANNELS) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

function lineSplitter(onLine?: RunOptions['onLine']) {
  const buf = { stdout: '', stderr: '' };
  return {
    push(chunk: Buffer, stream: 'stdout' | 'stderr') {
      if (!onLine) return;
      buf[stream] += chunk.toString();
      let nl: number;
      while ((nl = buf[stream].indexOf('\n')) >= 0) {
        onLine(buf[stream].slice(0, nl), stream);
        buf[stream] = buf[stream].slice(nl + 1);
      }
    },
    flush() {
      if (!onLine) return;
      for (const s of ['stdout', 'stderr'] as const) if (buf[s]) onLine(buf[s], s);
    },
  };
}
