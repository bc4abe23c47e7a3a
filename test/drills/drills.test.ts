// Every drill scenario on one real embedded lab, one after another: start it, see the symptom
// with the operator's own commands, apply the intended fix, `drill check` says fixed, `drill end`
// restores, and the lab is back to the routes and sessions it had before the drill.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session, type Outcome } from '../../commands/execute.js';
import type { DrillCheckResult, DrillEndResult, DrillListResult, DrillStartResult, DrillStatusResult, DrillScoresResult } from '../../commands/drill-results.js';
import type { CheckResult, InterfacesResult, PeersResult, RoutesResult, StatusResult } from '../../commands/results.js';
import { scenarios } from '../../lab/drills/index.js';
import { readDrill } from '../../lab/state/drill-state.js';

process.env.BGP_LAB_STATE_DIR = mkdtempSync(join(tmpdir(), 'bgp-lab-drills-'));
const LAB = `drills-${process.pid % 100000}`;
const session = new Session({ lab: LAB, caller: { surface: 'test', user: 'oncall', level: 'admin' } });
const figures: Record<string, unknown> = {};

async function run<T>(line: string): Promise<T> {
  const o: Outcome = await session.run(line);
  if (o.error) throw new Error(`${line}: ${o.error.message}`);
  return o.result as T;
}
const ok = async (line: string) => expect((await session.run(line)).ok, line).toBe(true);

/** What the operator sees as "the lab": every router's routes and every session. */
async function picture(): Promise<{ routes: Record<string, string[]>; peers: string[] }> {
  const routes: Record<string, string[]> = {};
  for (const r of ['spine0', 'spine1', 'leaf0', 'leaf1']) {
    const t = await run<RoutesResult>(`routes ${r}`);
    routes[r] = t.routes.filter((x) => x.selected).map((x) => `${x.prefix} ${x.protocol} ${x.nexthops.filter((n) => n.active).map((n) => n.ip ?? n.interface).sort().join(',')}`);
  }
  const p = await run<PeersResult>('peers');
  return { routes, peers: p.peers.map((x) => `${x.router}>${x.peer} ${x.state}`).sort() };
}

// The whole table, then the prefix: `routes X --prefix P` is an error when P has no route at all.
const width = async (router: string, prefix: string) => (await run<RoutesResult>(`routes ${router}`)).routes.find((r) => r.selected && r.prefix === prefix)?.nexthops.filter((n) => n.active).length ?? 0;
/** A node has one session: found by the node alone (a wrong peerAddress renames its peer). */
const session_ = async (a: string, b: string) => {
  const peers = (await run<PeersResult>('peers')).peers;
  const node = [a, b].find((x) => peers.some((p) => p.kind === 'node' && p.router === x));
  return (node ? peers.find((p) => p.kind === 'node' && p.router === node) : peers.find((p) => p.router === a && p.peer === b))!.state;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let baseline: Awaited<ReturnType<typeof picture>>;

beforeAll(async () => {
  await ok('up --fast-connect');
  baseline = await picture();
}, 180_000);

afterAll(async () => {
  await session.run('down');
  await session.close();
  writeFileSync(join(tmpdir(), `bgp-lab-drill-figures-${LAB}.json`), JSON.stringify(figures, null, 2));
  console.log(JSON.stringify(figures, null, 2));
}, 120_000);

/** The symptom each scenario must really show, seen with the operator's commands. */
const symptoms: Record<string, (fault: Record<string, string | number>) => Promise<void>> = {
  'spine-down': async () => {
    expect(await width('leaf0', '10.98.2.0/24')).toBe(1);
    expect(await session_('leaf0', 'spine0')).not.toBe('Established');
    expect((await run<CheckResult>('check')).ok).toBe(true); // traffic survives on the other spine
  },
  'leaf-uplink-down': async (fault) => {
    // The uplink the prober's flows leave on (whichever spine this lab's hashing sends them to).
    expect(await width('leaf0', '10.98.2.0/24')).toBe(1);
    expect(await session_('leaf0', String(fault.spine))).not.toBe('Established');
  },
  'link-flap': async () => {
    const widths = new Set<number>();
    for (let i = 0; i < 40 && widths.size < 2; i++) {
      widths.add(await width('leaf0', '10.98.2.0/24'));
      await sleep(200);
    }
    expect([...widths].sort()).toEqual([1, 2]); // ECMP width comes and goes
  },
  'wrong-peer-asn': async () => {
    expect(await session_('leaf1', 'cilium-bgp-worker2')).not.toBe('Established');
    expect((await run<CheckResult>('check --from app-control-plane --to app-worker2 --wait 1')).ok).toBe(false);
  },
  'export-podcidr-off': async () => {
    expect(await session_('cilium-bgp-worker', 'leaf0')).toBe('Established');
    expect(await width('leaf1', '10.98.1.0/24')).toBe(0);
    expect((await run<CheckResult>('check --from app-worker2 --to app-worker --wait 1')).ok).toBe(false);
  },
  'agent-crash': async () => {
    const st = await run<StatusResult>('status');
    expect(st.devices.find((d) => d.name === 'cilium-bgp-worker3')!.daemons[0]!.alive).toBe(false);
    expect(await width('leaf0', '10.98.3.0/24')).toBe(0);
  },
  'mtu-mismatch': async () => {
    expect((await run<CheckResult>('check')).ok).toBe(true);
    expect((await run<CheckResult>('check --size 1400 --wait 1')).ok).toBe(false);
    // The operator can see it: one interface's MTU is off its intended value.
    const itf = await run<InterfacesResult>('interfaces spine0');
    expect(itf.interfaces.filter((i) => i.intendedMtu !== undefined && i.mtu !== i.intendedMtu).map((i) => [i.name, i.mtu, i.intendedMtu])).toEqual([['eth1', 1300, 9000]]);
  },
  'lossy-spine-link': async () => {
    // Pings alone can miss the link: ICMP flows hash onto spines by address only, so in some
    // labs few of them cross it. HTTP connections hash by port too and spread over both spines.
    let slowOrLost = false;
    for (let i = 0; i < 4 && !slowOrLost; i++) {
      const c = await run<CheckResult>('check --http --wait 0');
      slowOrLost = c.results.some((r) => !r.ok || (r.rttMs ?? 0) >= 80);
    }
    expect(slowOrLost).toBe(true);
    expect(await session_('leaf1', 'spine1')).toBe('Established');
  },
  'leaf-blackhole': async () => {
    expect((await run<RoutesResult>('routes leaf1 --prefix 10.98.0.0/24')).routes.find((r) => r.selected && r.prefix === '10.98.0.0/24')!.protocol).toBe('static');
    expect((await run<CheckResult>('check --from app-worker2 --to app-control-plane --wait 1')).ok).toBe(false);
    expect((await run<PeersResult>('peers')).ok).toBe(true);
  },
  'wrong-neighbor-address': async () => {
    expect(await session_('cilium-bgp-control-plane', 'leaf0')).not.toBe('Established');
    expect((await run<CheckResult>('check --from app-worker2 --to app-control-plane --wait 1')).ok).toBe(false);
  },
  'cilium-upgrade-1-19': async () => {
    expect(await session_('leaf1', 'cilium-bgp-worker2')).not.toBe('Established');
    expect((await run<CheckResult>('check --from app-control-plane --to app-worker2 --wait 1')).ok).toBe(false);
  },
};

describe('drill commands', () => {
  it('lists every scenario as {"scenarios": [{id, title}]}', async () => {
    const l = await run<DrillListResult>('drill list');
    expect(Object.keys(l)).toEqual(['scenarios']);
    expect(l.scenarios.map((s) => s.id)).toEqual(Object.keys(symptoms));
    for (const s of l.scenarios) expect(Object.keys(s)).toEqual(['id', 'title']);
  });

  it('refuses bad names with a hint', async () => {
    const o = await session.run('drill start spine-dwn');
    expect(o.exitCode).toBe(2);
    expect(o.error!.hint).toContain('spine-down');
    expect((await session.run('link leaf0 eth9 down')).exitCode).toBe(2);
    expect((await session.run('policy set rack1 peerASN banana')).exitCode).toBe(2);
    expect((await session.run('drill hint')).exitCode).toBe(2);
  });
});

describe.each(scenarios.map((s) => [s.id, s] as const))('drill %s', (id, scenario) => {
  it('injects, shows the symptom, is fixed by the intended commands, and restores the baseline', async () => {
    try {
      await drillRound(id, scenario);
    } finally {
      // A failed round must not leave its fault for the next one.
      if ((await run<DrillStatusResult>('drill status')).running) await session.run('drill end');
    }
  }, 240_000);
});

async function drillRound(id: string, scenario: (typeof scenarios)[number]): Promise<void> {
    const start = await run<DrillStartResult>(`drill start ${id}`);
    // The fault as the drill recorded it: chosen from the model before it was edited, and what
    // the injection settled on (lossy-spine-link picks the spine the probes cross).
    const fault = (await readDrill(LAB))!.fault as Parameters<typeof scenario.fix>[0];
    expect(start.id).toBe(id);
    expect(start.page.length).toBeGreaterThan(20);
    expect((await session.run(`drill start ${id}`)).error?.message).toContain('already running');
    await symptoms[id]!(fault);
    const hint = await run<{ number: number; hint: string }>('drill hint');
    expect(hint.number).toBe(1);
    for (const line of scenario.fix(fault)) await ok(line);
    if (id === 'mtu-mismatch') expect((await run<CheckResult>('check --size 1400 --wait 3')).ok).toBe(true); // no stale path MTU
    const check = await run<DrillCheckResult>('drill check --wait 20');
    expect(check.detail).not.toContain('not yet');
    expect(check.fixed).toBe(true);
    expect(check.check.ok).toBe(true);
    expect(check.ok).toBe(true);
    const end = await run<DrillEndResult>('drill end');
    expect(end.diff).toEqual([]);
    expect(end.ok).toBe(true);
    expect(end.outcome).toBe('resolved');
    expect(end.hintsUsed).toBe(1);
    expect(end.actions.map((a) => a.line)).toEqual(scenario.fix(fault));
    expect(end.prober.flows.length).toBe(4);
    expect(end.prober.flows.every((f) => f.sent > 10)).toBe(true);
    expect(await picture()).toEqual(baseline);
    // The report's timeline: in time order, the fault first, then the fix commands, the passing
    // check and the restore; every loss window of the prober is inside one of its outages.
    // (Other commands, notes and BGP events are on the timeline too: test/gameday checks them.)
    const kinds = end.timeline.map((e) => e.kind).filter((k) => ['injected', 'action', 'resolved', 'restore'].includes(k));
    expect(end.timeline.some((e) => e.kind === 'command')).toBe(true);
    expect(kinds).toEqual(['injected', ...scenario.fix(fault).map(() => 'action'), 'resolved', 'restore']);
    expect(end.timeline.map((e) => e.at)).toEqual(end.timeline.map((e) => e.at).sort());
    const outages = end.timeline.filter((e) => e.kind === 'outage');
    for (const w of end.prober.windows) expect(outages.some((o) => o.at <= w.brokeAt && (!o.backAt || !w.backAt || w.backAt <= o.backAt))).toBe(true);
    figures[id] = {
      injectConvergenceMs: start.injectConvergenceMs, settled: start.settled, fixConvergenceMs: end.convergence.fixMs, trafficBackMs: end.convergence.trafficBackMs, timeToResolveMs: end.timeToResolveMs,
      outages: outages.map((o) => ({ phase: o.phase, durationMs: o.durationMs, flows: `${o.flows}/${o.totalFlows}`, lost: o.lost })),
      lossWindows: end.prober.windows, sent: end.prober.flows,
    };
    if (id === 'spine-down') {
      // The loss window the prober measured is part of the report, with both ends.
      for (const w of end.prober.windows) expect(Date.parse(w.backAt!)).toBeGreaterThanOrEqual(Date.parse(w.brokeAt));
    }
}

describe('drill lifecycle', () => {
  it('a fix nobody checked is still resolved at drill end; --abort scores aborted', async () => {
    await run<DrillStartResult>('drill start agent-crash');
    await ok('agent restart cilium-bgp-worker3');
    const end = await run<DrillEndResult>('drill end');
    expect(end.outcome).toBe('resolved');
    expect(end.timeline.find((e) => e.kind === 'resolved')).toMatchObject({ by: 'end' });
    await run<DrillStartResult>('drill start spine-down');
    const aborted = await run<DrillEndResult>('drill end --abort');
    expect(aborted.outcome).toBe('aborted');
    expect(aborted.ok).toBe(true);
    const scores = (await run<DrillScoresResult>('drill scores')).scores.slice(-2).map((s) => [s.id, s.outcome]);
    expect(scores).toEqual([['agent-crash', 'resolved'], ['spine-down', 'aborted']]);
  }, 120_000);

  it('--random hides the scenario; scores record it; down during a drill ends it cleanly', async () => {
    const start = await run<DrillStartResult>('drill start --random --seed 3');
    expect(start.id).toBeUndefined();
    expect(start.title).toBeUndefined();
    const st = await run<DrillStatusResult>('drill status');
    expect(st.running).toBe(true);
    expect(st.id).toBeUndefined();
    await ok('down');
    expect((await run<DrillStatusResult>('drill status')).running).toBe(false);
    const scores = await run<DrillScoresResult>('drill scores');
    expect(scores.scores.filter((s) => s.outcome === 'resolved').length).toBe(scenarios.length + 1);
    expect(scores.scores.at(-1)!.outcome).toBe('aborted');
  }, 120_000);
});
