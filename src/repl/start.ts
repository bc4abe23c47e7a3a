// `bgp-lab repl [--up]` (and bare `bgp-lab` on a terminal): one Session for the REPL's life.
import React from 'react';
import type { GlobalOptions } from '../cli.js';
import { cancelOnSignals, sessionOptions } from '../cli.js';
import { UsageError } from '../../lab/errors.js';
import type { StatusResult } from '../../commands/results.js';
import { DEFAULT_LAB, Session } from '../../commands/execute.js';

export async function startRepl(global: GlobalOptions, args: string[]): Promise<void> {
  const bad = args.find((a) => a !== '--up');
  if (bad) throw new UsageError(`\`repl\` has no option ${bad}`, 'usage: bgp-lab repl [--up]');
  if (!process.stdin.isTTY) {
    const { runScript } = await import('./script.js');
    return runScript(global);
  }
  // Ink draws only its last frame when CI is set (is-in-ci reads it once, when ink loads).
  // The REPL is on a terminal someone is watching, so it always draws live.
  const ci = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const [{ render }, { App }, { History }, { commands }] = await Promise.all([
    import('ink'),
    import('./app.js'),
    import('./history.js'),
    import('../../commands/registry.js'),
  ]);
  for (const [k, v] of Object.entries(ci)) if (v !== undefined) process.env[k] = v;
  const session = new Session(sessionOptions(global, 'repl'));
  let last: StatusResult | undefined;
  // SIGTERM/SIGHUP (terminal closed, `kill`): what runs is cancelled and rolled back, then we go.
  // Ctrl-C stays the REPL's own key (cancel the command, keep the prompt): Ink reads it as input.
  const stopSignals = cancelOnSignals(() => {
    session.cancelAll();
    void session.idle().then(() => {
      app.unmount();
      process.exit(130);
    });
  }, () => {});
  const app = render(
    React.createElement(App, { session, specs: commands, history: new History(), up: args.includes('--up'), onExit: (s: StatusResult | undefined) => (last = s) }),
    { exitOnCtrlC: false },
  );
  await app.waitUntilExit();
  stopSignals();
  await session.close().catch(() => {});
  const down = `bgp-lab${session.lab === DEFAULT_LAB ? '' : ` --lab ${session.lab}`} down`;
  process.stdout.write(
    last?.state === 'down'
      ? `bye — lab ${session.lab} is not running.\n`
      : `bye — lab ${session.lab} keeps running; \`${down}\` removes it.\n`,
  );
  // Handlers may leave timers or child watchers behind; the REPL is done.
  process.exit(0);
}
