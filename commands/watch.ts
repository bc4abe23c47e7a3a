import { z } from 'zod';
import { defineCommand, PERMISSION_RANK } from './types.js';
import type { CommandSpec } from './types.js';
import { PermissionError, UsageError, describeError } from '../lab/errors.js';

export interface WatchResult {
  /** The watched command and its line as typed. */
  command: string;
  line: string;
  intervalSeconds: number;
  ticks: number;
  /** Why it stopped: --count reached, or cancelled (Ctrl-C, Esc). */
  stoppedBy: 'count' | 'cancel';
  /** The last repetition's result (or its error). */
  last?: unknown;
  lastError?: { message: string; hint?: string };
}

/**
 * Options in front of the watched words once `-n` started them (procps watch's `-n 2`, `-n2`),
 * then --interval/--count again: `watch -n 1 --count 3 peers`.
 */
function leadingOptions(words: string[]): { interval?: number; count?: number; words: string[] } {
  const out: { interval?: number; count?: number } = {};
  let i = 0;
  for (;;) {
    const w = words[i] ?? '';
    const m = /^(-n|--interval|--count)(?:=?(\d+(?:\.\d+)?))?$/.exec(w) ?? (/^-n(\d+(?:\.\d+)?)$/.test(w) ? ['', '-n', w.slice(2)] : null);
    if (!m) break;
    const value = m[2] ?? words[i + 1];
    if (value === undefined || !/^\d+(\.\d+)?$/.test(value)) throw new UsageError(`${m[1]} needs a number`, 'e.g. `watch -n 2 peers`');
    if (m[1] === '--count') out.count = Number(value);
    else out.interval = Number(value);
    i += m[2] !== undefined ? 1 : 2;
  }
  return { ...out, words: words.slice(i) };
}

export default defineCommand({
  name: 'watch',
  summary: 'Repeat a read command every few seconds (`watch -n 2 peers`) until Ctrl-C or Esc; audited once',
  examples: ['watch peers', 'watch -n 1 peers', 'watch -n 5 routes leaf0 --protocol bgp', 'watch --count 3 interfaces leaf0'],
  positionals: [{ name: 'command', complete: 'command', variadic: true, rest: true }],
  args: z.object({
    command: z.array(z.string().max(200)).min(1, 'name the command to repeat, e.g. `watch -n 2 peers`').max(32),
    interval: z.coerce.number().min(1, 'at least 1 second between runs').max(3600).default(2).describe('seconds between runs (also -n N)'),
    count: z.coerce.number().int().min(1).max(100_000).optional().describe('stop after this many runs'),
  }),
  permission: 'read',
  async handler(args, ctx): Promise<WatchResult> {
    // A message re-posted every few seconds would flood a channel, and nothing could stop it.
    if (ctx.caller.surface === 'slack')
      throw new UsageError('`watch` runs in a terminal only: in Slack it would post a new message every tick, with no Ctrl-C to stop it', 'run the command itself here, or `watch` in the CLI or REPL');
    const lead = leadingOptions(args.command);
    const interval = lead.interval ?? args.interval;
    const count = lead.count ?? args.count;
    if (interval < 1 || interval > 3600) throw new UsageError(`-n ${interval}: the interval is 1 to 3600 seconds`, 'e.g. `watch -n 2 peers`');
    if (count !== undefined && (!Number.isInteger(count) || count < 1 || count > 100_000)) throw new UsageError(`--count ${count}: a whole number from 1 to 100000`);
    if (!lead.words.length) throw new UsageError('name the command to repeat', 'e.g. `watch -n 2 peers`');
    const [{ parseWords }, { commands }, { checkSurfacePaths }] = await Promise.all([import('./grammar.js'), import('./registry.js'), import('./surface-paths.js')]);
    const call = parseWords(lead.words, commands);
    const spec = call.spec as CommandSpec;
    if (spec.name === 'watch') throw new UsageError('`watch` cannot watch itself', 'e.g. `watch -n 2 peers`');
    if (spec.mutating || spec.long)
      throw new UsageError(`\`watch\` repeats read commands only: \`${spec.name}\` ${spec.mutating ? 'changes the lab' : 'is a long-running command'}`, 'watch peers, routes, bgp, interfaces, status, …');
    const needed = spec.permissionFor?.(call.args as never) ?? spec.permission;
    if (PERMISSION_RANK[ctx.caller.level] < PERMISSION_RANK[needed]) throw new PermissionError(`\`${call.line}\` needs ${needed} permission; ${ctx.caller.user} has ${ctx.caller.level}`);
    checkSurfacePaths(spec, call.args, ctx.caller);

    // The watched handler runs in this command's context: one audit entry for the whole watch.
    let ticks = 0;
    let last: unknown;
    let lastError: WatchResult['lastError'];
    while (!ctx.signal.aborted) {
      ticks++;
      try {
        last = await spec.handler(call.args as never, ctx);
        lastError = undefined;
      } catch (err) {
        if (ctx.signal.aborted) break;
        const e = describeError(err);
        [last, lastError] = [undefined, { message: e.message, hint: e.hint }];
      }
      ctx.tick?.({ n: ticks, at: new Date().toISOString(), command: spec.name, line: call.line, intervalSeconds: interval, result: last, error: lastError });
      if (count && ticks >= count) return { command: spec.name, line: call.line, intervalSeconds: interval, ticks, stoppedBy: 'count', last, lastError };
      await sleep(interval * 1000, ctx.signal);
    }
    return { command: spec.name, line: call.line, intervalSeconds: interval, ticks, stoppedBy: 'cancel', last, lastError };
  },
});

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
