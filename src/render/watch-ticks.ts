// `watch`: each repetition as procps `watch` shows it: a header line with the interval, the
// command and the time, then the command's own output.
import type { WatchTick } from '../../commands/types.js';
import { renderErrorText, renderText, type TextOptions } from './text.js';

export function watchTickText(t: WatchTick, opts: TextOptions): string {
  const head = `Every ${t.intervalSeconds}s: ${t.line}`;
  const time = `#${t.n}  ${t.at.slice(11, 19)} UTC`;
  const pad = Math.max(2, Math.min(opts.width, 120) - head.length - time.length);
  const body = t.error ? renderErrorText({ exitCode: 1, ...t.error }) : renderText(t.command, t.result, opts);
  return `${head}${' '.repeat(pad)}${time}\n\n${body}`;
}

/** The CLI's tick printer: the screen is cleared between ticks on a terminal, appended otherwise. */
export function watchPrinter(out: NodeJS.WriteStream, opts: TextOptions): (t: WatchTick) => void {
  return (t) => {
    const text = watchTickText(t, opts);
    out.write(out.isTTY ? `\x1b[H\x1b[2J${text}\n` : `${t.n > 1 ? '\n' : ''}${text}\n`);
  };
}
