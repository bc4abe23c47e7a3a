// Non-TTY stdin (`bgp-lab < script`, pipes): each line through one Session, plain text out,
// errors on stderr, exit code of the last failing command. Blank lines and # comments skip.
import { createInterface } from 'node:readline';
import type { GlobalOptions } from '../cli.js';
import { cancelOnSignals, sessionOptions } from '../cli.js';
import { Session } from '../../commands/execute.js';
import { outputWidth, renderErrorText, renderText } from '../render/text.js';
import { progressPrinter } from '../render/progress.js';

export async function runScript(global: GlobalOptions, input: NodeJS.ReadableStream = process.stdin): Promise<void> {
  const session = new Session(sessionOptions(global, 'repl'));
  const controller = new AbortController();
  // SIGINT, SIGTERM, SIGHUP: the running line is cancelled (rolled back, audited), no more run.
  const stopSignals = cancelOnSignals(() => {
    controller.abort();
    session.cancelAll();
  });
  let exitCode = 0;
  const out = process.stdout;
  const opts = { color: global.color ?? false, width: outputWidth(out) };
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line === 'exit' || line === 'quit' || controller.signal.aborted) break;
    const o = await session.run(line, { signal: controller.signal, progress: progressPrinter(process.stderr) });
    if (global.json) out.write(`${JSON.stringify(o.error ? { line, error: o.error } : { line, result: o.result })}\n`);
    else if (o.result !== undefined) {
      const text = renderText(o.command!, o.result, opts);
      if (text) out.write(`${text}\n`);
    }
    if (o.error) process.stderr.write(`${renderErrorText(o.error)}\n`);
    if (o.auditError) process.stderr.write(`warning: ${o.auditError}\n`);
    if (o.exitCode) exitCode = o.exitCode;
  }
  stopSignals();
  await session.close().catch(() => {});
  process.exitCode = exitCode;
}
