// Test helpers: a Session on a lab of the test's own, and the CLI as a child process.
import { execa } from 'execa';
import { join } from 'node:path';
import { Session, type Outcome } from '../../commands/execute.js';
import { PROJECT_ROOT } from '../../lab/paths.js';

export const BIN = join(PROJECT_ROOT, 'bin/bgp-lab');

/** This suite run's token (set by the global setup), so a teardown knows its own labs. */
export const RUN_TOKEN = process.env.BGP_LAB_TEST_RUN ?? process.pid.toString(36);

/** A unique lab name per test file and suite run: `t-<tag>-<pid>-<run>`; parallel labs never collide. */
export function labName(tag: string): string {
  return `t-${tag.slice(0, 12)}-${process.pid.toString(36)}-${RUN_TOKEN}`;
}

export function session(lab: string, topologyFile?: string): Session {
  return new Session({ lab, topologyFile, caller: { surface: 'test', user: 'vitest', level: 'admin' } });
}

/** Runs a line and fails the test with the error when the command errored. */
export async function ok<T>(s: Session, line: string): Promise<T> {
  const o = await s.run(line);
  if (o.error) throw new Error(`${line}: ${o.error.message}${o.error.hint ? ` — ${o.error.hint}` : ''}`);
  return o.result as T;
}

export function run(s: Session, line: string): Promise<Outcome> {
  return s.run(line);
}

export function cli(args: string[], opts: { timeout?: number } = {}) {
  return execa(BIN, args, { reject: false, timeout: opts.timeout ?? 120_000, env: { NO_COLOR: '1' } });
}

/** Polls `fn` until it returns a truthy value or the deadline passes (fabrics converge, not jump). */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 15_000, stepMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
