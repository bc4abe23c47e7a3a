// What a Slack request may look like before Bolt (and our listeners) dereference it: the same
// checks for HTTP and Socket Mode. A body of `null`, a string, an event that is not an object
// or a command without a user is refused here (HTTP 400), never met by `body.event.type`.
// Only the fields something reads are checked; Slack's other fields pass through untouched.
import { z } from 'zod';

const id = z.string().regex(/^[A-Z0-9][A-Za-z0-9._-]{0,63}$/);
const text = z.string().max(40_000);

const command = z.looseObject({
  command: z.string().regex(/^\/[\w-]{1,32}$/),
  user_id: id,
  channel_id: id,
  trigger_id: z.string().min(1).max(200),
  text: text.optional(),
  response_url: z.url().optional(),
});

const appMention = z.looseObject({
  type: z.literal('app_mention'),
  channel: id,
  ts: z.string().min(1).max(40),
  text: text.optional(),
  user: id.optional(),
  thread_ts: z.string().max(40).optional(),
});

const eventCallback = z.looseObject({
  type: z.literal('event_callback'),
  event_id: z.string().min(1).max(200),
  event: z.looseObject({ type: z.string().min(1).max(100) }),
});

const block = z.looseObject({ type: z.string() });
const blockActions = z.looseObject({
  type: z.literal('block_actions'),
  trigger_id: z.string().min(1).max(200),
  user: z.looseObject({ id }),
  channel: z.looseObject({ id }).optional(),
  message: z.looseObject({ ts: z.string(), text: z.string().optional(), blocks: z.array(block).optional() }).optional(),
  actions: z.array(z.looseObject({ action_id: z.string().min(1).max(255), value: z.string().max(2000).optional() })).min(1),
});

/** Other interactive payloads (shortcuts, views): we have no listener, but they must be objects Bolt can read. */
const otherInteractive = z.looseObject({ type: z.string().min(1).max(100), user: z.looseObject({ id }).optional(), trigger_id: z.string().max(200).optional() });

export type Verdict =
  | { kind: 'run'; ids: string[] }
  /** A Slack handshake answered by the receiver itself. */
  | { kind: 'url_verification'; challenge: string }
  /** Well-formed but nothing we act on (app_rate_limited…): ack and drop. */
  | { kind: 'ignore'; why: string }
  | { kind: 'bad'; why: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Classifies a parsed request body; `ids` are what make a retry recognisable (event_id, trigger_id). */
export function classify(body: unknown): Verdict {
  if (!isRecord(body)) return { kind: 'bad', why: `body is ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}, not an object` };
  const fail = (what: string, err: z.ZodError): Verdict => {
    const issue = err.issues[0]!;
    return { kind: 'bad', why: `${what}: ${issue.path.join('.') || 'body'} ${issue.message}` };
  };
  if ('command' in body) {
    const r = command.safeParse(body);
    return r.success ? { kind: 'run', ids: [`trigger:${r.data.trigger_id}`] } : fail('slash command', r.error);
  }
  switch (body.type) {
    case 'url_verification':
      return typeof body.challenge === 'string' && body.challenge.length <= 200 ? { kind: 'url_verification', challenge: body.challenge } : { kind: 'bad', why: 'url_verification without a challenge' };
    case 'event_callback': {
      const r = eventCallback.safeParse(body);
      if (!r.success) return fail('event', r.error);
      if (r.data.event.type === 'app_mention') {
        const m = appMention.safeParse(r.data.event);
        if (!m.success) return fail('app_mention', m.error);
      }
      return { kind: 'run', ids: [`event:${r.data.event_id}`] };
    }
    case 'block_actions': {
      const r = blockActions.safeParse(body);
      return r.success ? { kind: 'run', ids: [`trigger:${r.data.trigger_id}`] } : fail('block_actions', r.error);
    }
    case 'app_rate_limited':
      return { kind: 'ignore', why: 'app_rate_limited' };
    default: {
      if (typeof body.type !== 'string') return { kind: 'bad', why: 'no command, and no type' };
      const r = otherInteractive.safeParse(body);
      if (!r.success) return fail(String(body.type).slice(0, 40), r.error);
      return { kind: 'run', ids: r.data.trigger_id ? [`trigger:${r.data.trigger_id}`] : [] };
    }
  }
}

/**
 * An application/x-www-form-urlencoded body, strictly: every name and value must decode, and
 * no name may repeat (querystring would turn it into an array that a listener's `.trim()` trips on).
 * Interactive requests carry their JSON in `payload`.
 */
export function parseFormBody(raw: string): unknown {
  const out = new Map<string, string>();
  if (!raw) throw new Error('empty form body');
  for (const pair of raw.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const [k, v] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' ')); // throws URIError on bad escapes
    const key = decode(k);
    if (out.has(key)) throw new Error(`form field ${key.slice(0, 40)} repeated`);
    out.set(key, decode(v));
  }
  const payload = out.get('payload');
  if (payload !== undefined) return JSON.parse(payload) as unknown;
  return Object.fromEntries(out); // own properties only: a field named __proto__ stays a field
}

/** zod compiles a schema on its first parse (~20 ms): pay that at start, not in the first request's ack. */
export function warmUp(): void {
  classify({ command: '/bgp-lab', user_id: 'U0', channel_id: 'C0', trigger_id: 't', text: '', response_url: 'https://hooks.slack.com/x' });
  classify({ type: 'event_callback', event_id: 'E0', event: { type: 'app_mention', channel: 'C0', ts: '0.0', text: '', user: 'U0' } });
  classify({ type: 'block_actions', trigger_id: 't', user: { id: 'U0' }, channel: { id: 'C0' }, message: { ts: '0.0', blocks: [] }, actions: [{ action_id: 'a', value: 'v' }] });
  classify({ type: 'shortcut', user: { id: 'U0' }, trigger_id: 't' });
}
