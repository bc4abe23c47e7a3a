import type { HelpResult } from '../../commands/help.js';
import type { TextOptions } from './text.js';
import { seg, wrapLine } from './lines.js';

/** A line wider than the terminal goes on under its description column, not cut or soft-wrapped to column 0. */
const wrap = (line: string, width: number, indent: number): string[] =>
  wrapLine([seg(line)], width, indent).map((l) => l.map((s) => s.text).join('').trimEnd());

export function helpText(r: HelpResult, opts: TextOptions): string {
  const width = opts.width ?? Infinity;
  if (r.commands) {
    const w = Math.max(...r.commands.map((c) => c.name.length));
    return [
      ...wrap('usage: bgp-lab [--lab NAME] [--topology FILE] [--host user@host[:port]] [--json] <command> [args]', width, 15),
      '',
      'commands:',
      ...r.commands.flatMap((c) => wrap(`  ${c.name.padEnd(w)}  ${c.summary}${c.permission === 'read' ? '' : ` (${c.permission})`}`, width, w + 4)),
      '',
      ...wrap('`help <command>` shows its arguments and options. With no command on a terminal, bgp-lab opens the REPL.', width, 0),
    ].join('\n');
  }
  const c = r.command!;
  const lines = [...wrap(`${c.name} — ${c.summary}`, width, 2), '', ...wrap(`usage: ${c.usage}`, width, 7), `permission: ${c.permission}`];
  if (c.arguments.length) {
    lines.push('', 'arguments:');
    const w = Math.max(...c.arguments.map((a) => a.name.length + 2));
    for (const a of c.arguments) lines.push(...wrap(`  ${`<${a.name}>`.padEnd(w)}${a.description ? `  ${a.description}` : ''}${a.values ? ` (${a.values.join('|')})` : ''}`, width, w + 4));
  }
  if (c.options.length) {
    lines.push('', 'options:');
    const w = Math.max(...c.options.map((o) => o.flag.length));
    for (const o of c.options)
      lines.push(...wrap(`  ${o.flag.padEnd(w)}  ${o.description ?? ''}${o.values ? ` (${o.values.join('|')})` : ''}${o.default !== undefined ? ` [default: ${o.default}]` : ''}`, width, w + 4 < width - 30 ? w + 4 : 6));
  }
  if (c.examples.length) lines.push('', 'examples:', ...c.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}
