// `bgp-lab bot`: settings from the environment and .env, then the Bolt app until SIGINT/SIGTERM.
import type { GlobalOptions } from '../src/cli.js';
import { loadBotConfig, readEnvFile, type BotConfig } from './config.js';
import { describeError } from '../lab/errors.js';
import { renderErrorText } from '../src/render/text.js';

export async function startBot(global: GlobalOptions): Promise<void> {
  const env = { ...readEnvFile(), ...process.env };
  // The core reads its locations (state, audit, run dir…) from process.env, as for the CLI.
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('BGP_LAB_') && value && !process.env[key]) process.env[key] = value;
  }
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
