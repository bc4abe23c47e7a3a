// Progress events as lines on a stream (stderr for the CLI and scripts).
import type { Progress } from '../../lab/drivers/types.js';

export function progressPrinter(stream: NodeJS.WritableStream): Progress {
  return (ev) => {
    if (ev.type === 'log') stream.write(`  ${ev.message}\n`);
    else if (ev.state !== 'running') {
      const mark = ev.state === 'ok' ? '✓' : ev.state === 'fail' ? '✗' : '-';
      const time = ev.elapsedMs !== undefined ? ` (${ev.elapsedMs < 1000 ? `${Math.round(ev.elapsedMs)} ms` : `${(ev.elapsedMs / 1000).toFixed(1)} s`})` : '';
      stream.write(`${mark} ${ev.label}${time}${ev.detail ? `: ${ev.detail}` : ''}\n`);
    }
  };
}
