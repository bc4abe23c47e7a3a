import { z } from 'zod';
import { defineCommand } from './types.js';
import { resolveDevice } from './names.js';
import { LabError, UsageError } from '../lab/errors.js';

export interface ExecResult {
  device: string;
  kind: 'router' | 'node' | 'pod';
  argv: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Killed: past --timeout, or past OUTPUT_CAP bytes of output. */
  timedOut: boolean;
  truncated: boolean;
  durationMs: number;
  /** exit code 0: `ok: false` makes the CLI exit 1. */
  ok: boolean;
}

/** Output kept per call; the program is killed once it wrote more. */
export const EXEC_OUTPUT_CAP = 64 * 1024;

// A program name (no options in its place) and arguments without NUL; sizes capped.
const argv = z
  .array(z.string().max(1024, 'an argument of at most 1024 characters').regex(/^[^\u0000]*$/, 'no NUL characters'))
  .min(1, 'give the program and its arguments: exec worker2 -- ip -br addr')
  .max(64, 'at most 64 arguments')
  .refine((a) => /^[A-Za-z0-9_][A-Za-z0-9_.+/-]*$/.test(a[0]!), 'the first word is the program to run (a name or path, not an option)');

export default defineCommand({
  name: 'exec',
  summary: "Run one program (an argument list, never a shell line) in a node's, pod's or router's namespace; output and exit code, bounded",
  examples: ['exec worker2 -- ip -br addr', 'exec netshoot-worker -- ip route', 'exec leaf0 -- ip -s link show eth1'],
  positionals: [
    { name: 'device', complete: 'device' },
    { name: 'argv', variadic: true },
  ],
  args: z.object({
    device: z.string().describe('node (worker2), pod or router'),
    argv: argv.describe('the program and its arguments; put them after `--` when they have options'),
    timeout: z.coerce.number().int().min(1).max(60).default(10).describe('kill it after this many seconds'),
  }),
  permission: 'operate',
  async handler(args, ctx): Promise<ExecResult> {
    // A lab namespace shares the host's files: a program run in it as root reads and writes
    // anything on the lab host. From a chat nothing may name a path there.
    if (ctx.caller.surface === 'slack')
      throw new UsageError('`exec` runs a program as root on the lab host (namespaces share its files): not from Slack', 'from Slack use the read commands (`interfaces`, `routes`, `vtysh ROUTER show …`); run `exec` in the REPL or the CLI on the lab host');
    const driver = await ctx.driver();
    const podsPerNode = (await driver.record())?.podsPerNode;
    const dev = resolveDevice(ctx.topology, args.device, ['node', 'pod', 'router'], podsPerNode);
    // Past the cap the program is stopped: a `yes` or a flood ping cannot fill memory.
    const stop = new AbortController();
    let bytes = 0;
    const onLine = (l: string) => {
      bytes += Buffer.byteLength(l) + 1;
      if (bytes > EXEC_OUTPUT_CAP) stop.abort();
    };
    const r = await driver.exec(dev.name, args.argv, {
      timeoutMs: args.timeout * 1000,
      signal: AbortSignal.any([ctx.signal, stop.signal]),
      killSignal: 'SIGKILL',
      onLine,
      maxBuffer: EXEC_OUTPUT_CAP + 1,
    });
    if (ctx.signal.aborted) throw new LabError('cancelled');
    const cap = (s: string) => (Buffer.byteLength(s) > EXEC_OUTPUT_CAP ? Buffer.from(s).subarray(0, EXEC_OUTPUT_CAP).toString('utf8') : s);
    const truncated = stop.signal.aborted || Buffer.byteLength(r.stdout) > EXEC_OUTPUT_CAP || Buffer.byteLength(r.stderr) > EXEC_OUTPUT_CAP || (r.exitCode !== 0 && /maxBuffer/i.test(r.stderr));
    return {
      device: dev.name, kind: dev.kind, argv: args.argv, exitCode: r.exitCode,
      stdout: cap(r.stdout), stderr: cap(r.stderr),
      timedOut: r.timedOut, truncated, durationMs: Math.round(r.durationMs),
      ok: r.exitCode === 0 && !r.timedOut && !truncated,
    };
  },
});
