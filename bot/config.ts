// The bot's settings, from the environment (and a .env file beside it): validated once at
// start so a missing or malformed variable stops the bot with its name, not a Slack error later.
import { z } from 'zod';
import type { Permission } from '../commands/types.js';
import type { LabTarget } from '../commands/execute.js';
import { UsageError } from '../lab/errors.js';

const idList = (what: string, re: RegExp) =>
  z
    .string()
    .optional()
    .transform((s) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean))
    .refine((ids) => ids.every((id) => re.test(id)), { message: `expected comma-separated Slack ${what} IDs` });

const schema = z
  .object({
    SLACK_BOT_TOKEN: z.string({ error: 'is required' }).regex(/^xoxb-\S+$/, 'must be a bot token (xoxb-…)'),
    SLACK_APP_TOKEN: z.string().regex(/^xapp-\S+$/, 'must be an app-level token (xapp-…)').optional(),
    SLACK_SIGNING_SECRET: z.string().regex(/^\S{8,}$/, 'must be the app\'s signing secret').optional(),
    SLACK_MODE: z.enum(['socket', 'http']).optional(),
    BGP_LAB_BOT_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    SLACK_API_URL: z.url().optional(),
    SLACK_OPERATORS: idList('user', /^[UW][A-Z0-9]+$/),
    SLACK_ADMINS: idList('user', /^[UW][A-Z0-9]+$/),
    SLACK_ALLOWED_CHANNELS: idList('channel', /^[CGD][A-Z0-9]+$/),
    BGP_LAB_NAME: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'must be up to 31 lower-case letters, digits and dashes').optional(),
    BGP_LAB_TOPOLOGY: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    const mode = env.SLACK_MODE ?? (env.SLACK_APP_TOKEN ? 'socket' : 'http');
    if (mode === 'socket' && !env.SLACK_APP_TOKEN)
      ctx.addIssue({ code: 'custom', path: ['SLACK_APP_TOKEN'], message: 'is required for Socket Mode' });
    if (mode === 'http' && !env.SLACK_SIGNING_SECRET)
      ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)' });
  });

export interface BotConfig extends LabTarget {
  botToken: string;
  mode: 'socket' | 'http';
  appToken?: string;
  signingSecret?: string;
  /** HTTP mode: port on 127.0.0.1 (0 = any free port); put a tunnel or reverse proxy in front. */
  port: number;
  /** Web API base URL, with a trailing slash (tests point it at a local recorder). */
  apiUrl?: string;
  operators: string[];
  admins: string[];
  /** Undefined: every channel. */
  allowedChannels?: string[];
}

export function loadBotConfig(env: Record<string, string | undefined>): BotConfig {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new UsageError(`${name} ${issue.message}`, 'set it in .env (see .env.example and README "Connect to Slack")');
  }
  const e = parsed.data;
  const apiUrl = e.SLACK_API_URL ? e.SLACK_API_URL.replace(/\/?$/, '/') : undefined;
  return {
    botToken: e.SLACK_BOT_TOKEN,
    mode: e.SLACK_MODE ?? (e.SLACK_APP_TOKEN ? 'socket' : 'http'),
    appToken: e.SLACK_APP_TOKEN,
    signingSecret: e.SLACK_SIGNING_SECRET,
    port: e.BGP_LAB_BOT_PORT,
    apiUrl,
    operators: e.SLACK_OPERATORS,
    admins: e.SLACK_ADMINS,
    allowedChannels: e.SLACK_ALLOWED_CHANNELS.length ? e.SLACK_ALLOWED_CHANNELS : undefined,
    lab: e.BGP_LAB_NAME,
    topologyFile: e.BGP_LAB_TOPOLOGY,
  };
}

/** Deny by default: only listed users get more than read. */
export function levelOf(config: BotConfig, user: string): Permission {
  if (config.admins.includes(user)) return 'admin';
  if (config.operators.includes(user)) return 'operate';
  return 'read';
}

export function channelAllowed(config: BotConfig, channel: string): boolean {
  return !config.allowedChannels || config.allowedChannels.includes(channel);
}

