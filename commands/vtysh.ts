import { z } from 'zod';
import { UsageError } from '../lab/errors.js';
import { defineCommand } from './types.js';
import { resolveDevice } from './names.js';
import { parseVtyshLine, type VtyshLine } from '../lab/shell/vtysh-words.js';

export interface VtyshResult {
  router: string;
  /** The command as it ran (abbreviations spelled out). */
  command: string;
  /** FRR's own text. */
  output: string;
  /** Bytes of output not shown (past OUTPUT_CAP). */
  truncatedBytes: number;
}

const OUTPUT_CAP = 256 * 1024;

const line = z.array(z.string()).min(1, 'give one FRR command, e.g. show ip bgp summary').transform((words, ctx): VtyshLine => {
  try {
    return parseVtyshLine(words);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

export default defineCommand({
  name: 'vtysh',
  summary: "One vtysh command in a router, FRR's own text (read: `show …` only; operate: any command)",
  examples: ['vtysh leaf0 show ip bgp summary', 'vtysh spine0 "sh ip route"', 'vtysh leaf0 show bgp neighbors 10.1.10.2 advertised-routes'],
  positionals: [
    { name: 'router', complete: 'router' },
    { name: 'command', variadic: true },
  ],
  args: z.object({
    router: z.string().describe('spine0, leaf0, …'),
    command: line.describe('the FRR command, as typed at the router prompt'),
  }),
  permission: 'read',
  // Decided on the parsed command: `sh ip bgp` reads, `conf t` / `do configure` / `clear` change.
  permissionFor: (a) => (a.command.readOnly ? 'read' : 'operate'),
  permissionReason: (a) => a.command.reason,
  async handler(args, ctx): Promise<VtyshResult> {
    // vtysh's own ways out to the lab host: a shell (`start-shell`), files read or written by
    // name (`copy`, `write file`). A chat names no path there and gets no shell.
    const first = args.command.text.split(' ')[0]!.toLowerCase();
    if (ctx.caller.surface === 'slack' && /^(star|start|start-[a-z]*|cop|copy|wr|wri|writ|write)$/.test(first))
      throw new UsageError(`\`${first}\` reaches the lab host's shell or files: not from Slack`, 'from Slack run show and clear commands; configuration changes through `policy set`, `link`, `netem`');
    const r = resolveDevice(ctx.topology, args.router, ['router']);
    const driver = await ctx.driver();
    const out = await driver.vtysh(r.name, args.command.text, { timeoutMs: 15_000, signal: ctx.signal });
    const bytes = Buffer.byteLength(out);
    const output = bytes > OUTPUT_CAP ? Buffer.from(out).subarray(0, OUTPUT_CAP).toString('utf8') : out;
    return { router: r.name, command: args.command.text, output, truncatedBytes: Math.max(0, bytes - OUTPUT_CAP) };
  },
});
