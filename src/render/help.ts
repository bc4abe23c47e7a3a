import type { HelpResult } from '../../commands/help.js';
import type { TextOptions } from './text.js';

export function helpText(r: HelpResult, _opts: TextOptions): string {
  if (r.commands) {
    const w = Math.max(...r.commands.map((c) => c.name.length));
    return [
      'usage: bgp-lab [--lab NAME] [--topology FILE] [--host user@host[:port]] [--json] <command> [args]',
      '',
      'commands:',
      ...r.commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}${c.permission === 'read' ? '' : ` (${c.permission})`}`),
      '',
      '`help <command>` shows its arguments and options. With no command on a terminal, bgp-lab opens the REPL.',
    ].join('\n');
  }
  const c = r.command!;
  const lines = [`${c.name} — ${c.summary}`, '', `usage: ${c.usage}`, `permission: ${c.permission}`];
  if (c.arguments.length) {
    lines.push('', 'arguments:');
    const w = Math.max(...c.arguments.map((a) => a.name.length + 2));
    for (const a of c.arguments) lines.push(`  ${`<${a.name}>`.padEnd(w)}${a.description ? `  ${a.description}` : ''}${a.values ? ` (${a.values.join('|')})` : ''}`);
  }
  if (c.options.length) {
    lines.push('', 'options:');
    const w = Math.max(...c.options.map((o) => o.flag.length));
    for (const o of c.options)
      lines.push(`  ${o.flag.padEnd(w)}  ${o.description ?? ''}${o.values ? ` (${o.values.join('|')})` : ''}${o.default !== undefined ? ` [default: ${o.default}]` : ''}`);
  }
  if (c.examples.length) lines.push('', 'examples:', ...c.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}
