import { describe, expect, it } from 'vitest';
import { buildTimeline, outages, trafficBackAfterFix } from '../../lab/drills/timeline.js';
import type { DrillState } from '../../lab/state/drill-state.js';

const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 6, 0, s)).toISOString();

describe('drill timeline', () => {
  it('merges overlapping loss windows of different flows into one outage', () => {
    const o = outages([
      { flow: 'a → c', brokeAt: at(10), backAt: at(14), lost: 40 },
      { flow: 'b → c', brokeAt: at(11), backAt: at(15), lost: 40 },
      { flow: 'a → c', brokeAt: at(30), backAt: at(31), lost: 10 },
    ]);
    expect(o.map((x) => [x.flows.size, x.lost, (x.backAt! - x.brokeAt) / 1000])).toEqual([[2, 80, 5], [1, 10, 1]]);
  });

  it('tags each outage with the phase it began in: incident, after the last command, restore', () => {
    const state = { injectedAt: at(5), actions: [{ at: at(20), user: 'alice', line: 'router restart leaf1' }], resolvedAt: at(27) } as DrillState;
    const prober = {
      flows: [{ flow: 'a → c', sent: 400, answered: 300 }, { flow: 'b → c', sent: 400, answered: 300 }],
      windows: [
        { flow: 'a → c', brokeAt: at(6), backAt: at(21), lost: 150 },
        { flow: 'a → c', brokeAt: at(22), backAt: at(26), lost: 40 },
        { flow: 'b → c', brokeAt: at(41), backAt: at(43), lost: 20 },
      ],
    };
    const t = buildTimeline(state, prober, Date.parse(at(40)));
    expect(t.map((e) => (e.kind === 'outage' ? `${e.kind}:${e.phase}:${e.flows}/${e.totalFlows}` : e.kind))).toEqual([
      'injected', 'outage:incident:1/2', 'action', 'outage:after-fix:1/2', 'resolved', 'restore', 'outage:restore:1/2',
    ]);
  });

  it('folds a lossy link\'s many short outages into one intermittent-loss entry', () => {
    const ms = (t: number) => new Date(Date.UTC(2026, 11, 1, 6, 0, 0, t)).toISOString();
    const windows = [0, 300, 700, 1200, 5000].map((t, i) => ({ flow: i % 2 ? 'a → c' : 'b → c', brokeAt: ms(t), backAt: ms(t + 100), lost: 1 }));
    const t = buildTimeline({ injectedAt: ms(0), actions: [] } as unknown as DrillState, { flows: [], windows }, Date.parse(ms(9000)));
    const o = t.filter((e) => e.kind === 'outage');
    expect(o.map((e) => (e.kind === 'outage' ? [e.bursts, e.flows, e.lost] : []))).toEqual([[4, 2, 4], [1, 1, 1]]);
  });

  it('measures traffic back after the last command from the outages still open when it ran', () => {
    const state = { injectedAt: at(5), actions: [{ at: at(20), user: 'alice', line: 'policy set rack1 peerASN 65008' }] } as DrillState;
    const windows = [{ flow: 'a → c', brokeAt: at(6), backAt: at(31), lost: 250 }, { flow: 'b → c', brokeAt: at(6), backAt: at(32), lost: 260 }];
    expect(trafficBackAfterFix(buildTimeline(state, { flows: [], windows }, Date.parse(at(40))))).toBe(12_000);
    expect(trafficBackAfterFix(buildTimeline(state, { flows: [], windows: [] }, Date.parse(at(40))))).toBeUndefined();
  });

  it('counts an outage the fix itself caused: traffic is back when the last one ends', () => {
    const state = { injectedAt: at(5), actions: [{ at: at(20), user: 'alice', line: 'router restart leaf1' }] } as DrillState;
    const windows = [{ flow: 'a → c', brokeAt: at(6), backAt: at(20), lost: 140 }, { flow: 'a → c', brokeAt: at(22), backAt: at(27), lost: 50 }];
    expect(trafficBackAfterFix(buildTimeline(state, { flows: [], windows }, Date.parse(at(40))))).toBe(7_000);
  });
});
