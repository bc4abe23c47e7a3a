import { z } from 'zod';
import { defineCommand } from './types.js';
import { resolveDevice } from './names.js';
import { UsageError } from '../lab/errors.js';

export interface ConnectResult {
  router: string;
  /** vtysh's exit code (0 after Ctrl-D or `exit`). */
  exitCode: number;
  durationMs: number;
}

export default defineCommand({
  name: 'connect',
  summary: "An interactive vtysh inside a router (FRR's prompt, Tab and history; Ctrl-D comes back)",
  examples: ['connect leaf0'],
  positionals: [{ name: 'router', complete: 'router' }],
  args: z.object({ router: z.string().describe('spine0, leaf0, …') }),
  // vtysh can change the router's configuration.
  permission: 'operate',
  async handler(args, ctx): Promise<ConnectResult> {
    if (ctx.caller.surface === 'slack')
      throw new UsageError('`connect` opens an interactive shell, which needs a terminal, not a chat', 'from Slack run one command at a time, e.g. `vtysh leaf0 show ip bgp summary`');
    if (!ctx.terminal) throw new UsageError('`connect` needs an interactive terminal', 'run it in the REPL, or `bgp-lab connect leaf0` on a terminal');
    if (ctx.host) throw new UsageError('`connect` works on the lab host itself, not through --host', `ssh to the lab host and run \`bgp-lab connect ${args.router}\` there`);
    const r = resolveDevice(ctx.topology, args.router, ['router']);
    const { routerShellArgv } = await import('../lab/drivers/embedded/shell.js');
    const argv = await routerShellArgv(await ctx.driver(), r.name);
    const started = performance.now();
    const exitCode = await ctx.terminal.handOver(argv);
    return { router: r.name, exitCode, durationMs: performance.now() - started };
  },
});
