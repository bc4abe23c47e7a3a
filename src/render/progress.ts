// Progress events as lines on a stream (stderr for the CLI and scripts).
import type { Progress } from '../../lab/drivers/types.js';
import { seg, wrapLine } from './lines.js';

/** On a terminal a line wider than it goes on indented under its text, not cut mid-word at column 0. */
function fitted(stream: NodeJS.WritableStream, line: string, indent: number): string {
  const width = (stream as NodeJS.WriteStream).isTTY ? (stream as NodeJS.WriteStream).columns : undefined;
  if (!width || line.length <= width) return line;
  return wrapLine([seg(line)], width, indent).map((l) => l.map((x) => x.text).join('').trimEnd()).join('\n');
}

export function progressPrinter(stream: NodeJS.WritableStream): Progress {
  return (ev) => {
    if (ev.type === 'log') stream.write(`${fitted(stream, `  ${ev.message}`, 4)}\n`);
    else if (ev.state !== 'running') {
      const mark = ev.state === 'ok' ? '✓' : ev.state === 'fail' ? '✗' : '-';
      const time = ev.elapsedMs !== undefined ? ` (${ev.elapsedMs < 1000 ? `${Math.round(ev.elapsedMs)} ms` : `${(ev.elapsedMs / 1000).toFixed(1)} s`})` : '';
      stream.write(`${fitted(stream, `${mark} ${ev.label}${time}${ev.detail ? `: ${ev.detail}` : ''}`, 2)}\n`);
    }
  };
}
