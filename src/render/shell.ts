// `vtysh` and `exec`: the program's own text as it wrote it, with a one-line note when it
// failed, was cut or was killed.
import type { VtyshResult } from '../../commands/vtysh.js';
import type { ExecResult } from '../../commands/exec.js';
import type { TextOptions } from './text.js';

export const vtyshText = (r: VtyshResult, _o?: TextOptions) =>
  `${r.output.trimEnd()}${r.truncatedBytes ? `\n… ${r.truncatedBytes} more bytes not shown` : ''}`;

export function execNote(r: ExecResult): string {
  const why = r.timedOut ? 'killed after its --timeout' : r.truncated ? 'killed: it wrote more than 64 KiB' : '';
  return `${r.device}: \`${r.argv.join(' ')}\` exited ${r.exitCode} in ${r.durationMs} ms${why ? ` (${why})` : ''}`;
}

export function execText(r: ExecResult, _o?: TextOptions): string {
  const parts = [r.stdout.trimEnd(), r.stderr.trimEnd() ? `stderr:\n${r.stderr.trimEnd()}` : ''].filter(Boolean);
  return [...parts, `${r.ok ? '✓' : '✗'} ${execNote(r)}`].join('\n');
}
