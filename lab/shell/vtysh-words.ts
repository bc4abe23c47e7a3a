// What a `vtysh <router> <command…>` call may run, decided on the parsed command the way FRR
// reads it (keywords matched by unique prefix, `do` in front ignored in config nodes), not by
// a string prefix. The text that runs is rebuilt from the checked words, so what was judged is
// exactly what vtysh gets: one line, one `-c` operand, no characters that mean anything to a
// shell, to vtysh's own line splitting (newline), its output pipes (`|`) or comments (`!`, `#`).
import { UsageError } from '../errors.js';

export interface VtyshLine {
  /** The command as vtysh will run it (`sh ip bgp` → `show ip bgp`). */
  text: string;
  /** A `show …` command: read permission is enough. */
  readOnly: boolean;
  /** Why it is not read-only, said when a read user is refused. */
  reason?: string;
}

export const VTYSH_MAX_CHARS = 512;
/** Words of FRR's commands: keywords, addresses, prefixes, names, ASNs, `*` of `clear bgp *`. */
const WORD = /^[A-Za-z0-9.:/_,*+=-]+$/;

const WHY: [RegExp, string][] = [
  [/^(con|conf|confi|config|configu|configur|configure)$/, 'it enters configuration mode'],
  [/^(cl|cle|clea|clear)$/, 'it resets sessions or counters'],
  [/^(wr|wri|writ|write|copy)$/, 'it writes the configuration'],
  [/^(star|start|start-|start-s|start-sh|start-she|start-shel|start-shell)$/, 'it starts a shell'],
  [/^(deb|debu|debug|undebug|no)$/, 'it changes what the daemons log'],
];

function refuse(message: string, hint = 'one FRR command such as `show ip bgp summary`, as its own words'): never {
  throw new UsageError(message, hint);
}

/** Checks the typed words and classifies them; throws UsageError for anything that is not one plain command. */
export function parseVtyshLine(words: string[]): VtyshLine {
  const joined = words.join(' ');
  if (joined.length > VTYSH_MAX_CHARS) refuse(`the command is ${joined.length} characters; at most ${VTYSH_MAX_CHARS}`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(joined)) refuse('one command per call: newlines and control characters are not taken (vtysh would run each line)');
  const bad = [...joined].find((c) => c !== ' ' && !WORD.test(c));
  if (bad !== undefined) {
    const what = bad === ';' ? '`;` does not separate commands here: one command per call'
      : bad === '|' ? 'output filters (`|`) are not taken'
      : bad === '!' || bad === '#' ? `\`${bad}\` starts a comment in vtysh`
      : `\`${bad}\` is not part of an FRR command`;
    refuse(what);
  }
  const tokens = joined.split(' ').filter(Boolean);
  const dash = tokens.find((t) => t.startsWith('-'));
  if (dash) refuse(`\`${dash}\`: vtysh options are not taken, only the command`);
  // `do` runs an exec command from a config node; at vtysh's own (enable) node it is ignored here
  // too, so `do show …` reads and `do configure …` configures.
  let i = 0;
  while (i < tokens.length && tokens[i]!.toLowerCase() === 'do') i++;
  const rest = tokens.slice(i);
  if (!rest.length) refuse('no command given');
  const first = rest[0]!.toLowerCase();
  // FRR matches a keyword by a unique prefix: `sh`, `sho`, `show` (a lone `s` is ambiguous).
  if (first.length >= 2 && 'show'.startsWith(first)) return { text: ['show', ...rest.slice(1)].join(' '), readOnly: true };
  const why = WHY.find(([re]) => re.test(first))?.[1] ?? 'it is not a `show` command';
  return { text: rest.join(' '), readOnly: false, reason: `\`${rest[0]}\` is not \`show\`: ${why}; read permission runs \`show …\` only` };
}
