// One look at the running drill, as the bot takes every 2 s: BGP sessions of the leaves that
// went down or came up, routes the leaves withdrew or got back (and ECMP paths lost or regained)
// since the last look, written into the drill's timeline; and whether an abort rule is passed.
import type { Driver } from '../drivers/types.js';
import type { DrillEvent, DrillState } from '../state/drill-state.js';
import { readDrill, updateDrill } from '../state/drill-state.js';
import { leaves, routeLines } from '../drills/baseline.js';
import { collectPeerRows } from '../inspect/peers.js';
import { readProber } from '../drills/prober.js';
import { outages } from '../drills/timeline.js';
import { embeddedOnly } from '../drivers/embedded/ops.js';

export interface WatchLook {
  running: boolean;
  /** Events seen in this look (also appended to the drill's timeline). */
  events: DrillEvent[];
  /** A limit was passed: why (the drill's guard ends it, scored aborted). */
  abort?: string;
}

const human = (ms: number) => (ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`);

/** `prefix protocol nh,nh` → prefix → next hops. */
const byPrefix = (lines: string[]) => new Map(lines.map((l) => [l.split(' ')[0]!, (l.split(' ')[2] ?? '').split(',').filter(Boolean)]));

export function diffLooks(before: NonNullable<DrillState['watch']>, now: NonNullable<DrillState['watch']>, at: string): DrillEvent[] {
  const events: DrillEvent[] = [];
  const key = (s: string) => s.slice(0, s.lastIndexOf(' '));
  const state = (s: string) => s.slice(s.lastIndexOf(' ') + 1);
  const was = new Map(before.sessions.map((s) => [key(s), state(s)]));
  for (const s of now.sessions) {
    const prev = was.get(key(s));
    if (prev === undefined || prev === state(s)) continue;
    const up = state(s) === 'Established';
    if (up || prev === 'Established') events.push({ at, kind: 'bgp', text: `BGP session ${key(s)} ${up ? 'up (Established)' : `down (${state(s)})`}` });
  }
  for (const [leaf, lines] of Object.entries(now.routes)) {
    const old = byPrefix(before.routes[leaf] ?? []);
    const cur = byPrefix(lines);
    for (const [prefix, hops] of old) {
      const next = cur.get(prefix);
      if (!next) events.push({ at, kind: 'bgp', text: `${leaf}: route ${prefix} withdrawn` });
      else if (next.length < hops.length) events.push({ at, kind: 'bgp', text: `${leaf}: ${prefix} down to ${next.length} path${next.length === 1 ? '' : 's'} (was ${hops.length})` });
      else if (next.length > hops.length) events.push({ at, kind: 'bgp', text: `${leaf}: ${prefix} back to ${next.length} paths` });
    }
    for (const prefix of cur.keys()) if (!old.has(prefix)) events.push({ at, kind: 'bgp', text: `${leaf}: route ${prefix} restored` });
  }
  return events.slice(0, 40);
}

export async function watchDrill(driver: Driver, lab: string, now = Date.now()): Promise<WatchLook> {
  const s = await readDrill(lab);
  if (!s || (s.phase && s.phase !== 'running')) return { running: false, events: [] };
  const d = embeddedOnly(driver);
  // The abort rules are said (the drill's guard enforces them), and the look goes on: the
  // timeline keeps its BGP events while a passed rule waits for the lab lock or its thread.
  const abort = await limitPassed(d, s, now);
  const topo = s.baselineTopology ?? (await d.record())?.topology;
  if (!topo) return { running: true, events: [], abort };
  const leafSet = new Set(leaves(topo));
  const [tables, peers] = await Promise.all([Promise.all([...leafSet].map(async (r) => [r, await routeLines(d, r)] as const)), collectPeerRows(d, topo)]);
  const at = new Date(now).toISOString();
  const look = { sessions: peers.filter((p) => p.expected && leafSet.has(p.router)).map((p) => `${p.router} → ${p.peer} ${p.state}`).sort(), routes: Object.fromEntries(tables), at };
  // The first look compares with the pre-drill baseline: what the fault did is seen too.
  // Compared under the drill's lock with the last look anyone wrote: two bots watching never
  // record the same change twice.
  let events: DrillEvent[] = [];
  await updateDrill(lab, (x) => {
    const before = x.watch ?? (x.baseline ? { sessions: x.baseline.sessions.filter((l) => leafSet.has(l.split(' ')[0]!)).map((l) => l.replace(/ \([^)]*\)/, '')), routes: Object.fromEntries([...leafSet].map((l) => [l, x.baseline!.routes[l] ?? []])), at: x.startedAt } : undefined);
    if (before && before.at > at) return; // a newer look was written meanwhile
    events = before ? diffLooks(before, look, at) : [];
    x.watch = look;
    if (events.length) x.events = [...(x.events ?? []), ...events].slice(-400);
  });
  return { running: true, events, abort };
}

/** The abort rules: the drill ran too long, or one outage (prober) lasted longer than allowed. */
export async function limitPassed(d: ReturnType<typeof embeddedOnly>, s: DrillState, now = Date.now()): Promise<string | undefined> {
  const injected = Date.parse(s.injectedAt ?? s.startedAt);
  const after = s.limits?.abortAfterMs;
  if (after && now - injected > after) return `the drill ran longer than ${human(after)} (--abort-after)`;
  const outage = s.limits?.abortIfOutageMs;
  if (!outage) return undefined;
  const report = await readProber(d, s.prober).catch(() => undefined);
  if (!report) return undefined;
  for (const o of outages(report.windows)) {
    const lasted = (o.backAt ?? now) - o.brokeAt;
    if (lasted > outage) return `an outage on ${o.flows.size}/${report.flows.length} probed flows lasted ${human(lasted)}${o.backAt ? '' : ' and goes on'}, over the ${human(outage)} allowed (--abort-if-outage)`;
  }
  return undefined;
}
