// `.env` in the working directory, read the same way by every surface (CLI, REPL, bot): the
// bot's settings come from it, and its BGP_LAB_* locations (state dir, audit log, lab name…)
// reach the core through process.env, so a CLI run beside the bot locks and audits the same
// state. Values already in the environment win. A .env others can read leaks tokens: warned.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';

export function readEnvFile(dir = process.cwd()): Record<string, string | undefined> {
  const file = join(dir, '.env');
  if (!existsSync(file)) return {};
  return parseEnv(readFileSync(file, 'utf8'));
}

const warned = new Set<string>();

/** One line, or undefined: a .env that group or others may read (it holds Slack tokens). */
export function envFileWarning(file: string): string | undefined {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    return undefined;
  }
  if (!(mode & 0o044)) return undefined;
  const who = mode & 0o004 ? 'everyone' : 'its group';
  return `warning: ${file} is readable by ${who} (mode ${mode.toString(8).padStart(4, '0')}) and may hold tokens: chmod 600 ${file}`;
}

/**
 * Reads ./.env once per process: warns (stderr, one line) when it is group/world-readable,
 * copies its BGP_LAB_* settings into process.env where unset, and returns the merged
 * environment (the file's values, overridden by the real environment).
 */
export function loadEnvFile(dir = process.cwd(), warn: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Record<string, string | undefined> {
  const file = resolve(dir, '.env');
  let fromFile: Record<string, string | undefined> = {};
  try {
    fromFile = readEnvFile(dir);
  } catch (err) {
    if (!warned.has(file)) warn(`warning: ${file} not read: ${(err as Error).message.split('\n')[0]}`);
    warned.add(file);
  }
  if (Object.keys(fromFile).length && !warned.has(file)) {
    const w = envFileWarning(file);
    if (w) warn(w);
    warned.add(file);
  }
  for (const [key, value] of Object.entries(fromFile)) {
    if (key.startsWith('BGP_LAB_') && value && !process.env[key]) process.env[key] = value;
  }
  return { ...fromFile, ...process.env };
}
