// `bgp-lab bot`: settings from the environment and .env, then the Bolt app until SIGINT/SIGTERM.
import type { GlobalOptions } from '../src/cli.js';
import { loadBotConfig, type BotConfig } from './config.js';
import { loadEnvFile } from '../lab/env-file.js';
import { describeError } from '../lab/errors.js';
import { renderErrorText } from '../src/render/text.js';

export async function startBot(global: GlobalOptions): Promise<void> {
  // The same .env reading as the CLI and REPL: its BGP_LAB_* locations reach the core via process.env.
  const env = loadEnvFile();
  let config: BotConfig;
  try {
    config = loadBotConfig(env);
  } catch (err) {
    // One line naming the variable, not a stack trace.
    process.stderr.write(`${renderErrorText(describeError(err))}\n`);
    process.exitCode = 2;
    return;
  }
  config.lab = global.lab ?? config.lab;
  config.topologyFile = global.topologyFile ?? config.topologyFile;
  Object.assign(config, { host: global.host, identity: global.identity, knownHosts: global.knownHosts, acceptNewHostKey: global.acceptNewHostKey });
  const { createBotApp } = await import('./app.js');
  const bot = createBotApp(config);
  let port: number | undefined;
  try {
    ({ port } = await bot.start());
  } catch (err) {
    process.stderr.write(`${renderErrorText(describeError(err))}\n`);
    await bot.stop().catch(() => {});
    process.exitCode = 1;
    return;
  }
  process.stderr.write(
    config.mode === 'socket'
      ? `bgp-lab bot: connected over Socket Mode, lab ${bot.session.lab}\n`
      : `bgp-lab bot: listening on http://127.0.0.1:${port}/slack/events, lab ${bot.session.lab}\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => void bot.stop().finally(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
