// People by name: a Slack user ID becomes the display name users.info gives (cached, so a
// busy channel costs one call per person per hour). Names are what people read; the ID stays
// in the caller (and the audit log). Slack unreachable or slow: the ID, never a stalled command.
import type { webApi } from '@slack/bolt';

const TTL_MS = 60 * 60_000;
const MISS_TTL_MS = 5 * 60_000;
const WAIT_MS = 2000;
const MAX_ENTRIES = 5000;

export class DisplayNames {
  private cache = new Map<string, { name: string; at: number }>();
  private pending = new Map<string, Promise<string | undefined>>();
  /** Users Slack had no name for (unknown, no users:read scope): not asked again for a while. */
  private misses = new Map<string, number>();

  constructor(private client: webApi.WebClient, private log: (m: string) => void = () => {}) {}

  /** The cached name, if any (no call). */
  known(user: string): string | undefined {
    return this.cache.get(user)?.name;
  }

  /** The display name of a user ID; undefined when Slack does not say (unknown user, no scope, timeout). */
  async of(user: string): Promise<string | undefined> {
    if (!/^[UW][A-Z0-9]{1,20}$/.test(user)) return undefined;
    const hit = this.cache.get(user);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.name;
    if (!hit && Date.now() - (this.misses.get(user) ?? -Infinity) < MISS_TTL_MS) return undefined;
    let p = this.pending.get(user);
    if (!p) {
      p = this.ask(user).finally(() => this.pending.delete(user));
      this.pending.set(user, p);
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), WAIT_MS)));
    try {
      return (await Promise.race([p, late])) ?? hit?.name;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Names of several users: ID → name (unknown ones left out). */
  async many(users: string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    await Promise.all(users.map(async (u) => {
      const n = await this.of(u);
      if (n) out[u] = n;
    }));
    return out;
  }

  private async ask(user: string): Promise<string | undefined> {
    try {
      const r = (await this.client.users.info({ user })) as { user?: { name?: string; real_name?: string; profile?: { display_name?: string; real_name?: string } } };
      const raw = r.user?.profile?.display_name || r.user?.profile?.real_name || r.user?.real_name || r.user?.name;
      const name = clean(raw);
      if (!name) return this.miss(user);
      if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(user, { name, at: Date.now() });
      return name;
    } catch (err) {
      this.log(`slack: users.info ${user}: ${(err as Error).message}`);
      return this.miss(user);
    }
  }

  private miss(user: string): undefined {
    if (this.misses.size >= MAX_ENTRIES) this.misses.clear();
    this.misses.set(user, Date.now());
    return undefined;
  }
}

/** A display name is user-chosen text: no control characters, no mention syntax, capped. */
export function clean(name: string | undefined): string | undefined {
  // eslint-disable-next-line no-control-regex
  const t = (name ?? '').replace(/[\u0000-\u001f\u007f<>]+/g, '').replace(/\s+/g, ' ').trim().slice(0, 60);
  return t || undefined;
}
