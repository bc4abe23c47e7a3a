// The `check --from client --service X` branch of the check command: kept here so check.ts
// gains one line. Returns a CheckResult (one http result per request) with the report attached.
import type { CheckResult } from './results.js';
import type { CommandContext } from './types.js';
import { UsageError } from '../lab/errors.js';

export async function checkServiceCommand(args: { from?: string; to?: string; service?: string; requests: number }, ctx: CommandContext, started: number): Promise<CheckResult> {
  const client = ctx.topology.client?.name;
  if (!args.service) throw new UsageError(`check --from ${args.from} needs --service <name|ip>`, 'e.g. `check --from client --service web`');
  if (!client) throw new UsageError('this topology has no client', 'use a topology with `client:` (e.g. --topology cilium-bgp-lb)');
  if (args.from !== undefined && args.from !== client) throw new UsageError(`--service runs from the client (${client}), not ${args.from}`, `\`check --from ${client} --service ${args.service}\``);
  if (args.to) throw new UsageError('--to does not go with --service', `\`check --from ${client} --service ${args.service}\``);
  const driver = await ctx.driver();
  const rec = await driver.record();
  if (!rec) throw new UsageError(`lab ${ctx.lab} is not up`, 'run `bgp-lab up`');
  const { checkService } = await import('../lab/services/client-check.js');
  ctx.progress({ type: 'step', id: 'service', label: `${args.requests} HTTP requests from ${client} to ${args.service}`, state: 'running' });
  const { report, results } = await checkService(driver, ctx.topology, args.service, args.requests, rec.podsPerNode, ctx.signal);
  const passed = results.filter((r) => r.ok).length;
  ctx.progress({ type: 'step', id: 'service', label: `${passed}/${results.length} answered`, state: passed === results.length ? 'ok' : 'fail', elapsedMs: performance.now() - started });
  return { ok: passed === results.length, pods: [], results, passed, failed: results.length - passed, durationMs: performance.now() - started, sent: results.length, received: passed, service: report };
}
