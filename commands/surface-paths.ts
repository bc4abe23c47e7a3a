// Which surface may name a path of the lab host. From Slack nothing does: results that are
// files come back as uploads, topologies are chosen by built-in name. The rule reads the
// command's declared `hostPaths`, so a new command with a path argument is covered by saying so.
import type { Caller, CommandSpec } from './types.js';
import { UsageError } from '../lab/errors.js';
import { builtinTopologies, isTopologyName } from '../lab/topology/load.js';

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function checkSurfacePaths(spec: CommandSpec, args: Record<string, unknown>, caller: Caller): void {
  if (caller.surface !== 'slack') return;
  for (const [key, kind] of Object.entries(spec.hostPaths ?? {})) {
    const value = args[key];
    if (value === undefined) continue;
    const label = spec.positionals.some((p) => p.name === key) ? `<${key}>` : `--${kebab(key)}`;
    if (kind === 'out')
      throw new UsageError(`\`${spec.name}\` from Slack takes no ${label}: nothing is written on the lab host; the result comes back here as a file`, `run \`${spec.name}\` without ${label}`);
    if (typeof value !== 'string' || !isTopologyName(value))
      throw new UsageError(`\`${spec.name}\` from Slack takes a built-in topology name, not a path of the lab host`, `built-in: ${builtinTopologies().join(', ')}`);
  }
}
