// Local runner: execa with an argument array; output streamed line by line when asked.
import { execa } from 'execa';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunOptions, RunResult, Runner } from './types.js';
import { LabError } from '../errors.js';

/**
 * One spawn per event-loop turn. Spawning blocks Node's one thread until the child has exec'd
 * (10–30 ms each on a busy 2-core host): 40 `check`s spawning 160 fpings in one turn held the
 * loop for 4–6 s, and with it every Slack ack and every REPL keystroke. Spawns were serial
 * anyway; queued like this, the I/O waiting between them (acks) is served after each one.
 */
let spawnGate: Promise<void> = Promise.resolve();
function spawnTurn(): Promise<void> {
  const turn = spawnGate.then(() => new Promise<void>((r) => setImmediate(r)));
  spawnGate = turn;
  return turn;
}

export class LocalRunner implements Runner {
  readonly where = 'local';

  async run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
    const [file, ...args] = argv;
    if (!file) throw new Error('run: empty argv');
    await spawnTurn();
    const started = performance.now();
    const child = execa(file, args, {
      input: opts.input,
      reject: false,
      stripFinalNewline: false,
      timeout: opts.timeoutMs,
      cancelSignal: opts.signal,
      killSignal: opts.killSignal ?? 'SIGTERM',
      forceKillAfterDelay: 2000,
      env: opts.env,
      ...(opts.maxBuffer ? { maxBuffer: opts.maxBuffer } : {}),
      stdin: opts.input === undefined ? 'ignore' : 'pipe',
    });
    if (opts.onLine) {
      const onLine = opts.onLine;
      for (const [stream, name] of [[child.stdout, 'stdout'], [child.stderr, 'stderr']] as const) {
        let buf = '';
        stream?.on('data', (chunk: Buffer) => {
          buf += chunk.toString();
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            onLine(buf.slice(0, nl), name);
            buf = buf.slice(nl + 1);
          }
        });
      }
    }
    const r = await child;
    if ((r as { code?: string }).code === 'ENOENT' || /ENOENT/.test(String(r.message ?? '')) && r.exitCode === undefined) {
      throw new LabError(`${file} not found on this machine`, { hint: 'run `make setup` to install what the lab needs' });
    }
    return {
      argv,
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? ''),
      exitCode: r.exitCode ?? (r.signal ? 128 : 1),
      timedOut: Boolean(r.timedOut),
      cancelled: Boolean(r.isCanceled),
      durationMs: performance.now() - started,
    };
  }

  async writeFile(path: string, content: string, mode?: number): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content, { mode });
  }

  async readFile(path: string): Promise<string | undefined> {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async close(): Promise<void> {}
}

/**
 * Runs and throws a one-line LabError when the program fails, times out or is cancelled,
 * naming the program by its command words (`kind create cluster`), not its whole argv.
 */
export async function runOk(runner: Runner, argv: string[], opts?: RunOptions): Promise<RunResult> {
  const r = await runner.run(argv, opts);
  if (r.cancelled) throw new LabError('cancelled');
  if (r.exitCode !== 0 || r.timedOut) {
    const last = (r.stderr || r.stdout).trim().split('\n').filter(Boolean).at(-1) ?? '';
    throw new LabError(`\`${commandName(argv)}\` ${r.timedOut ? 'timed out' : `failed (exit ${r.exitCode})`}${last ? `: ${last.slice(0, 300)}` : ''}`);
  }
  return r;
}

/** `kind create cluster`, `zebra in bgplab.lab.spine0`: the words before the first flag. */
export function commandName(argv: string[]): string {
  if (argv[0] === 'ip' && argv[1] === 'netns' && argv[2] === 'exec' && argv.length > 4) return `${commandName(argv.slice(4))} in ${argv[3]}`;
  const words = argv.slice(0, 4);
  const flag = words.findIndex((w) => w.startsWith('-'));
  return (flag > 0 ? words.slice(0, flag) : words).map((w) => w.split('/').at(-1)).join(' ');
}
