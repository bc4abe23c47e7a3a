// One text grammar for every surface: `routes leaf0 --raw`, quoted arguments,
// `--flag=value`, `--flag value`, `--no-flag`. Text is split into words here and never
// reaches a shell; the words are validated by the command's zod schema.
import { z } from 'zod';
import type { CommandSpec } from './types.js';
import { UsageError, closest } from '../lab/errors.js';

export interface ParsedCall {
  spec: CommandSpec;
  args: Record<string, unknown>;
  /** The words as typed, for audit and history. */
  line: string;
  help?: boolean;
}

/** Splits a line into words: '…' literal, "…" with \-escapes, backslash outside quotes. */
export function tokenize(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new UsageError(`unclosed ${quote} quote`, 'close the quote or escape it with \\');
  if (inWord) words.push(cur);
  return words;
}

export const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
export const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

type Kind = 'boolean' | 'number' | 'string' | 'array' | 'enum';

/** The base kind of a (possibly optional/default/coerced) zod type. */
export function kindOf(schema: z.ZodType): Kind {
  let s = schema as z.ZodType & { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } };
  for (;;) {
    const t = s.def.type;
    if (t === 'optional' || t === 'default' || t === 'nullable' || t === 'prefault' || t === 'catch')
      s = s.def.innerType as typeof s;
    else if (t === 'pipe') s = s.def.in as typeof s;
    else break;
  }
  const t = s.def.type;
  if (t === 'boolean') return 'boolean';
  if (t === 'number' || t === 'int' || t === 'bigint') return 'number';
  if (t === 'array') return 'array';
  if (t === 'enum' || t === 'literal') return 'enum';
  return 'string';
}

export function enumValues(schema: z.ZodType): string[] | undefined {
  let s = schema as z.ZodType & { def: { type: string; innerType?: z.ZodType; entries?: Record<string, string> } };
  while (s.def.innerType) s = s.def.innerType as typeof s;
  return s.def.type === 'enum' ? Object.values(s.def.entries ?? {}) : undefined;
}

export function flagNames(spec: CommandSpec): string[] {
  const positional = new Set(spec.positionals.map((p) => p.name));
  return Object.keys(spec.args.shape).filter((k) => !positional.has(k));
}

/** Longest command name matching the first words; undefined when none does. */
export function matchCommand(words: string[], specs: CommandSpec[]): { spec: CommandSpec; used: number } | undefined {
  let best: { spec: CommandSpec; used: number } | undefined;
  for (const spec of specs) {
    for (const name of [spec.name, ...(spec.aliases ?? [])]) {
      const parts = name.split(' ');
      if (parts.length <= words.length && parts.every((p, i) => words[i] === p) && (!best || parts.length > best.used))
        best = { spec, used: parts.length };
    }
  }
  return best;
}

/** The longest word a command line takes (PATH_MAX). */
export const MAX_WORD_CHARS = 4096;

export function parseWords(words: string[], specs: CommandSpec[]): ParsedCall {
  const line = words.map((w) => (/^[\w.,:/@=+-]+$/.test(w) ? w : JSON.stringify(w))).join(' ');
  if (!words.length) throw new UsageError('empty command', 'type `help` for the list of commands');
  // A word longer than any name, path or FRR line is refused before it is matched, echoed in an
  // error (a 100 KB router name came back as a 100 KB Slack message) or searched for a close name.
  const long = words.findIndex((w) => w.length > MAX_WORD_CHARS);
  if (long >= 0) throw new UsageError(`word ${long + 1} is ${words[long]!.length} characters; at most ${MAX_WORD_CHARS}`, 'names, paths and values are far shorter: check what was pasted');
  const match = matchCommand(words, specs);
  if (!match) {
    const names = specs.map((s) => s.name);
    const firstWords = [...new Set(names.map((n) => n.split(' ')[0]!))];
    const groupMatch = names.filter((n) => n.startsWith(`${words[0]} `));
    if (groupMatch.length) {
      const guess = words[1] ? closest(`${words[0]} ${words[1]}`, groupMatch) : undefined;
      throw new UsageError(
        `\`${words.slice(0, 2).join(' ')}\` is not a command`,
        guess ? `did you mean \`${guess}\`?` : `try ${groupMatch.map((n) => `\`${n}\``).join(', ')}`,
      );
    }
    const guess = closest(words[0]!, firstWords);
    throw new UsageError(`unknown command \`${words[0]}\``, guess ? `did you mean \`${guess}\`? (type \`help\` for all commands)` : 'type `help` for the list of commands');
  }
  const { spec, used } = match;
  const shape = spec.args.shape as Record<string, z.ZodType>;
  const flags = flagNames(spec);
  const raw: Record<string, unknown> = {};
  const positionals: string[] = [];
  let help = false;
  const rest = words.slice(used);
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    if (w === '--') {
      positionals.push(...rest.slice(i + 1));
      break;
    }
    if (w === '-h' || w === '--help') {
      help = true;
      continue;
    }
    if (!w.startsWith('--') || w === '--') {
      // A rest positional takes every word from its first one on, flags included, verbatim.
      if (spec.positionals.at(-1)?.rest && positionals.length >= spec.positionals.length - 1) {
        positionals.push(...rest.slice(i));
        break;
      }
      positionals.push(w);
      continue;
    }
    const eq = w.indexOf('=');
    let name = camel(w.slice(2, eq > 0 ? eq : undefined));
    let value: unknown = eq > 0 ? w.slice(eq + 1) : undefined;
    if (!(name in shape) && name.startsWith('no') && kindOf(shape[lc(name.slice(2))] ?? z.string()) === 'boolean' && value === undefined) {
      name = lc(name.slice(2));
      value = false;
    }
    const schema = shape[name];
    if (!schema || !flags.includes(name)) {
      const guess = closest(kebab(name), flags.map(kebab));
      throw new UsageError(
        `\`${spec.name}\` has no option --${kebab(name)}`,
        guess ? `did you mean --${guess}? (\`help ${spec.name}\`)` : `see \`help ${spec.name}\``,
      );
    }
    const kind = kindOf(schema);
    if (value === undefined) {
      if (kind === 'boolean') value = true;
      else if (i + 1 < rest.length) value = rest[++i];
      else throw new UsageError(`--${kebab(name)} needs a value`, `see \`help ${spec.name}\``);
    }
    if (kind === 'boolean' && typeof value === 'string') {
      if (!['true', 'false', 'yes', 'no', '1', '0'].includes(value))
        throw new UsageError(`--${kebab(name)} is a switch: give it no value (or true/false)`);
      value = ['true', 'yes', '1'].includes(value);
    }
    if (kind === 'number' && typeof value === 'string') value = value.trim() === '' ? NaN : Number(value);
    if (kind === 'array') value = [...((raw[name] as unknown[]) ?? []), ...String(value).split(',').filter(Boolean)];
    raw[name] = value;
  }
  const pos = spec.positionals;
  for (let i = 0; i < positionals.length; i++) {
    const p = pos[i] ?? (pos.at(-1)?.variadic ? pos.at(-1) : undefined);
    if (!p) {
      throw new UsageError(
        `\`${spec.name}\` takes ${pos.length ? `${pos.length} argument${pos.length > 1 ? 's' : ''} (${pos.map((x) => x.name).join(', ')})` : 'no arguments'}; got an extra "${positionals[i]}"`,
        `see \`help ${spec.name}\``,
      );
    }
    if (p.variadic) raw[p.name] = [...((raw[p.name] as string[]) ?? []), positionals[i]];
    else raw[p.name] = kindOf(shape[p.name]!) === 'number' ? Number(positionals[i]) : positionals[i];
  }
  if (help) return { spec, args: raw, line, help: true };
  const parsed = spec.args.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const isPos = pos.some((p) => p.name === key);
    const label = isPos ? `<${key}>` : `--${kebab(key)}`;
    const missing = issue.code === 'invalid_type' && raw[key] === undefined;
    throw new UsageError(
      missing ? `\`${spec.name}\` needs ${label}` : `${label}: ${issue.message}`,
      `usage: ${usage(spec)}`,
    );
  }
  return { spec, args: parsed.data as Record<string, unknown>, line };
}

const lc = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export function parseLine(line: string, specs: CommandSpec[]): ParsedCall {
  return parseWords(tokenize(line), specs);
}

/** `routes <router> [--prefix P] [--raw]`, from the schema. */
export function usage(spec: CommandSpec): string {
  const shape = spec.args.shape as Record<string, z.ZodType>;
  const parts = [spec.name];
  for (const p of spec.positionals) {
    const optional = shape[p.name]?.safeParse(undefined).success;
    const word = `<${p.name}>${p.variadic ? '…' : ''}`;
    parts.push(optional ? `[${word}]` : word);
  }
  for (const f of flagNames(spec)) {
    const kind = kindOf(shape[f]!);
    const values = enumValues(shape[f]!);
    const val = kind === 'boolean' ? '' : ` ${values ? values.join('|') : f === 'seconds' || kind === 'number' ? 'N' : f.toUpperCase()}`;
    parts.push(`[--${kebab(f)}${val}]`);
  }
  return parts.join(' ');
}
