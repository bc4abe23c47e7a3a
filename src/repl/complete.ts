// Tab completion from the same grammar and command specs the parser uses: command names
// (multi-word), flags, flag values, and device names from the lab's topology.
import type { z } from 'zod';
import type { CommandSpec, Completion } from '../../commands/types.js';
import { camel, enumValues, flagNames, kebab, kindOf, matchCommand } from '../../commands/grammar.js';
import type { Topology } from '../../lab/topology/schema.js';
import { nodeNames, podNames, routerNames } from '../../lab/topology/model.js';
import { SCENARIO_IDS } from '../../lab/drills/index.js';

export interface Completed {
  /** Index in the text where the word being completed starts. */
  start: number;
  /** Full replacements for text.slice(start); a trailing space means the word is finished. */
  candidates: string[];
}

/** Nodes answer to their short name too (`worker2` for `cilium-bgp-worker2`). */
export function shortNodeNames(topo: Topology): string[] {
  const prefix = `${topo.cluster.name}-`;
  return nodeNames(topo).filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length));
}

export function valuesFor(c: Completion, topo: Topology | undefined, specs: CommandSpec[], words: string[]): string[] {
  if (typeof c === 'object') return c.values;
  if (c === 'command') return [...new Set(specs.map((s) => s.name.split(' ')[0]!))];
  if (c === 'scenario') return SCENARIO_IDS;
  if (!topo) return [];
  switch (c) {
    case 'router': return routerNames(topo);
    case 'node': return [...nodeNames(topo), ...shortNodeNames(topo)];
    case 'device': return [...routerNames(topo), ...nodeNames(topo), ...shortNodeNames(topo)];
    case 'pod': return podNames(topo);
    case 'policy': return topo.cilium.bgpPeeringPolicies.map((p) => p.name);
    case 'interface': {
      // Interfaces of the router named earlier on the line (capture leaf0 eth1,eth2).
      const router = topo.routers.find((r) => words.includes(r.name));
      return [...new Set((router ? [router] : topo.routers).flatMap((r) => r.interfaces.map((i) => i.name)))];
    }
    default: return [];
  }
}

export function complete(text: string, specs: CommandSpec[], topo?: Topology): Completed {
  const start = /\S*$/.exec(text)!.index;
  const current = text.slice(start);
  const words = text.slice(0, start).trim().split(/\s+/).filter(Boolean);
  const pick = (values: string[], finish = ' ', from = start, typed = current) => ({
    start: from,
    candidates: [...new Set(values)].filter((v) => v.startsWith(typed) && v !== '').sort().map((v) => v + finish),
  });

  const match = matchCommand(words, specs);
  // Still typing the command name: offer the next word of every name that fits so far.
  const nextWords = specs
    .map((s) => s.name.split(' '))
    .filter((parts) => parts.length > words.length && words.every((w, i) => parts[i] === w))
    .map((parts) => parts[words.length]!);
  if (!match) return pick(nextWords);
  if (nextWords.length && words.length === match.used && !current.startsWith('-')) {
    // `topo ` could continue as `topo show` or be a command of its own; offer the names.
    const more = pick(nextWords);
    if (more.candidates.length) return more;
  }
  const spec = match.spec;
  const shape = spec.args.shape as Record<string, z.ZodType>;
  const flags = flagNames(spec);
  const rest = words.slice(match.used);

  // A value for the flag just before the cursor.
  const prev = rest.at(-1);
  if (prev?.startsWith('--') && !prev.includes('=')) {
    const name = camel(prev.slice(2));
    if (shape[name] && kindOf(shape[name]) !== 'boolean') {
      const hint = spec.flagCompletions?.[name];
      if (hint === 'router:interfaces') return routerInterfaces(current, start, topo);
      const values = hint ? valuesFor(hint, topo, [spec], words) : enumValues(shape[name]) ?? [];
      return pick(values);
    }
  }
  if (current.startsWith('-')) {
    const names = flags.flatMap((f) => (kindOf(shape[f]!) === 'boolean' && shape[f]!.safeParse(undefined).data === true ? [`--no-${kebab(f)}`] : [`--${kebab(f)}`]));
    return pick([...names, '--help']);
  }
  // Which positional the cursor is on: words after the command, minus flags and their values.
  let index = 0;
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    if (w.startsWith('--')) {
      const name = camel(w.slice(2).split('=')[0]!);
      if (!w.includes('=') && shape[name] && kindOf(shape[name]) !== 'boolean') i++;
    } else index++;
  }
  const pos = spec.positionals[index] ?? (spec.positionals.at(-1)?.variadic ? spec.positionals.at(-1) : undefined);
  if (!pos) return { start, candidates: [] };
  const values = pos.complete ? valuesFor(pos.complete, topo, specs, words) : enumValues(shape[pos.name]!) ?? [];
  if (pos.complete === 'interface' || kindOf(shape[pos.name]!) === 'array') {
    // Comma lists (eth1,eth2): complete the part after the last comma.
    const comma = current.lastIndexOf(',') + 1;
    return pick(values, ' ', start + comma, current.slice(comma));
  }
  return pick(values);
}

/** `leaf0:eth1,e`: routers (with their colon) first, then that router's interfaces after the colon or the last comma. */
function routerInterfaces(current: string, start: number, topo: Topology | undefined): Completed {
  const colon = current.indexOf(':');
  const finish = (values: string[], suffix: string, from: number, typed: string): Completed => ({
    start: from,
    candidates: [...new Set(values)].filter((v) => v.startsWith(typed)).sort().map((v) => v + suffix),
  });
  if (!topo) return { start, candidates: [] };
  // No space after `leaf0:`: the interfaces come next.
  if (colon < 0) return finish(routerNames(topo), ':', start, current);
  const router = topo.routers.find((r) => r.name === current.slice(0, colon));
  const at = Math.max(colon + 1, current.lastIndexOf(',') + 1);
  return finish(router ? router.interfaces.map((i) => i.name) : [], ' ', start + at, current.slice(at));
}

export function commonPrefix(values: string[]): string {
  if (!values.length) return '';
  let p = values[0]!;
  for (const v of values) while (!v.startsWith(p)) p = p.slice(0, -1);
  return p;
}
