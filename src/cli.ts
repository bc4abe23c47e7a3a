// One-shot CLI: bgp-lab [--lab NAME] [--topology FILE] [--host user@host] [--json] <command> [args]
// Global options first, then a command line in the shared grammar. --json prints only the
// result object on stdout; progress and logs go to stderr. Exit: 0 ok, 1 failure, 2 bad input.
import { userInfo } from 'node:os';
import { Session, type LabTarget, type SessionOptions } from '../commands/execute.js';
import { loadEnvFile } from '../lab/env-file.js';
import { UsageError, describeError } from '../lab/errors.js';
import { outputWidth, renderText, renderErrorText } from './render/text.js';
import { progressPrinter } from './render/progress.js';
import { runOnTerminal, terminalLent } from './terminal.js';

export interface GlobalOptions extends LabTarget {
  json: boolean;
  color?: boolean;
}

const VALUE_OPTIONS: Record<string, keyof GlobalOptions> = {
  '--lab': 'lab',
  '--topology': 'topologyFile',
  '--host': 'host',
  '--identity': 'identity',
  '--known-hosts': 'knownHosts',
};

/** Splits global options (before the command) from the command words. */
export function parseGlobal(argv: string[]): { global: GlobalOptions; rest: string[] } {
  const global: GlobalOptions = { json: false };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (flag === '--json') global.json = true;
    else if (flag === '--accept-new-host-key') global.acceptNewHostKey = true;
    else if (flag === '--no-color') global.color = false;
    else if (flag in VALUE_OPTIONS) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`, 'see `bgp-lab --help`');
      (global as unknown as Record<string, unknown>)[VALUE_OPTIONS[flag]!] = value;
    } else if (flag === '--help' || flag === '-h') {
      return { global, rest: ['help', ...argv.slice(i + 1).filter((x) => !x.startsWith('-'))] };
    } else break;
  }
  // --json is also accepted after the command, where people type it.
  const rest = argv.slice(i).filter((w) => {
    if (w === '--json') global.json = true;
    return w !== '--json';
  });
  return { global, rest };
}

export function sessionOptions(global: GlobalOptions, surface: 'cli' | 'repl'): SessionOptions {
  return {
    lab: global.lab,
    topologyFile: global.topologyFile,
    host: global.host,
    identity: global.identity,
    knownHosts: global.knownHosts,
    acceptNewHostKey: global.acceptNewHostKey,
    caller: { surface, user: terminalUser(), channel: 'terminal', level: 'admin' },
  };
}

/** Who is at the terminal: the person sudo names, else the login of our uid (never $USER: anyone sets it). */
export function terminalUser(): string {
  if (process.env.SUDO_USER) return process.env.SUDO_USER;
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

/**
 * SIGINT, SIGTERM and SIGHUP all cancel what runs: it rolls back and is audited `cancelled`
 * (a closed terminal or a `kill` must not leave a half-built lab). A second signal exits now.
 */
export function cancelOnSignals(cancel: () => void, say: (line: string) => void = (l) => process.stderr.write(l)): () => void {
  let received = 0;
  const handlers = Object.entries(SIGNALS).map(([name, no]) => {
    const h = () => {
      // The terminal is lent to an interactive program (`connect`): its Ctrl-C is its own.
      if (terminalLent()) return;
      if (++received > 1) process.exit(128 + no);
      say(`\ncancelling (${name})… (again to force)\n`);
      cancel();
    };
    process.on(name, h);
    return [name, h] as const;
  });
  return () => handlers.forEach(([name, h]) => process.off(name, h));
}

export async function main(argv: string[]): Promise<void> {
  try {
    await mainInner(argv);
  } catch (err) {
    // One line, never a stack trace.
    process.stderr.write(renderErrorText(describeError(err)) + '\n');
    process.exitCode = describeError(err).exitCode;
  }
}

async function mainInner(argv: string[]): Promise<void> {
  // `bgp-lab up | head -1` closes our stdout early: a lab half made because a write failed is
  // worse than output nobody reads, so EPIPE (and EIO) is ignored and the command finishes.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', (err: NodeJS.ErrnoException) => {
    // EIO: the terminal went away (SIGHUP follows): the rollback must still finish.
    if (err.code !== 'EPIPE' && err.code !== 'EIO') throw err;
  });
  let parsed: ReturnType<typeof parseGlobal>;
  try {
    parsed = parseGlobal(argv);
  } catch (err) {
    process.stderr.write(renderErrorText(describeError(err)) + '\n');
    process.exit(2);
  }
  const { global, rest } = parsed;
  // The bot's .env, read as the bot reads it: one state dir (lock, audit) for every surface.
  loadEnvFile();
  if (rest[0] === 'repl' || (rest.length === 0 && process.stdin.isTTY && !global.json)) {
    const { startRepl } = await import('./repl/start.js');
    return startRepl(global, rest.slice(1));
  }
  if (rest.length === 0 && !process.stdin.isTTY) {
    const { runScript } = await import('./repl/script.js');
    return runScript(global);
  }
  if (rest[0] === 'bot') {
    const { startBot } = await import('../bot/start.js');
    return startBot(global);
  }
  let session: Session;
  try {
    session = new Session(sessionOptions(global, 'cli'));
  } catch (err) {
    const e = describeError(err);
    if (global.json) process.stdout.write(JSON.stringify({ error: e }, null, 2) + '\n');
    process.stderr.write(renderErrorText(e) + '\n');
    process.exit(e.exitCode);
  }
  const stopListening = cancelOnSignals(() => session.cancelAll());
  // `watch`: each tick on stdout as it comes (not with --json: only the result goes there).
  const onTick = global.json ? undefined : (await import('./render/watch-ticks.js')).watchPrinter(process.stdout, { color: global.color ?? Boolean(process.stdout.isTTY), width: outputWidth(process.stdout) });
  // A person at a terminal: `connect` may lend it to vtysh.
  const terminal = process.stdin.isTTY && process.stdout.isTTY ? { handOver: runOnTerminal } : undefined;
  const outcome = await session.run(rest, { progress: progressPrinter(process.stderr), onTick, terminal });
  stopListening();
  await session.close().catch(() => {});
  if (outcome.auditError) process.stderr.write(`warning: ${outcome.auditError}\n`);
  if (outcome.error) {
    if (global.json) process.stdout.write(JSON.stringify({ error: outcome.error }, null, 2) + '\n');
    process.stderr.write(renderErrorText(outcome.error) + '\n');
  } else if (global.json) {
    process.stdout.write(JSON.stringify(outcome.result, null, 2) + '\n');
  } else {
    const text = renderText(outcome.command!, outcome.result, { color: global.color ?? Boolean(process.stdout.isTTY), width: outputWidth(process.stdout) });
    if (text) process.stdout.write(text + '\n');
  }
  process.exitCode = outcome.exitCode;
}
