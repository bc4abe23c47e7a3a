import { z } from 'zod';
import { defineCommand, type CommandSpec } from './types.js';
import { enumValues, flagNames, kebab, kindOf, usage } from './grammar.js';
import { UsageError, closest } from '../lab/errors.js';

export interface HelpResult {
  commands?: { name: string; summary: string; usage: string; permission: string }[];
  command?: {
    name: string;
    summary: string;
    usage: string;
    permission: string;
    arguments: { name: string; description?: string; values?: string[] }[];
    options: { flag: string; description?: string; values?: string[]; default?: unknown }[];
    examples: string[];
  };
}

/** Lazily bound to the registry to avoid an import cycle. */
let registry: () => CommandSpec[] = () => [];
export function bindHelpRegistry(get: () => CommandSpec[]): void {
  registry = get;
}

export default defineCommand({
  name: 'help',
  summary: 'List commands, or show one command with its arguments and options',
  examples: ['help', 'help routes', 'help drill start'],
  positionals: [{ name: 'command', complete: 'command', variadic: true }],
  args: z.object({ command: z.array(z.string()).optional().describe('a command name, e.g. routes') }),
  permission: 'read',
  offline: true,
  async handler(args): Promise<HelpResult> {
    const all = registry();
    const want = (args.command ?? []).join(' ');
    if (!want) {
      return { commands: all.map((c) => ({ name: c.name, summary: c.summary, usage: usage(c), permission: c.permission })) };
    }
    const spec = all.find((c) => c.name === want) ?? all.find((c) => c.name.split(' ')[0] === want);
    if (!spec) {
      const guess = closest(want, all.map((c) => c.name));
      throw new UsageError(`no command \`${want}\``, guess ? `did you mean \`help ${guess}\`?` : 'type `help` for the list');
    }
    const shape = spec.args.shape as Record<string, z.ZodType>;
    return {
      command: {
        name: spec.name,
        summary: spec.summary,
        usage: usage(spec),
        permission: spec.permission,
        arguments: spec.positionals.map((p) => ({ name: p.name, description: shape[p.name]?.description, values: enumValues(shape[p.name]!) })),
        options: flagNames(spec).map((f) => {
          const d = shape[f]!.safeParse(undefined);
          return {
            flag: `--${kebab(f)}${kindOf(shape[f]!) === 'boolean' ? '' : ` ${f.toUpperCase()}`}`,
            description: shape[f]!.description,
            values: enumValues(shape[f]!),
            default: d.success && d.data !== undefined && d.data !== false ? d.data : undefined,
          };
        }),
        examples: spec.examples ?? [],
      },
    };
  },
});
