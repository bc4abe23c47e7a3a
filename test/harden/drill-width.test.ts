// A new user's `drill start` on an 80-column terminal: the line saying what to do next
// ("`drill check` when you think it is fixed") was cut to "`drill check` w…"; now it wraps.
import { describe, expect, it } from 'vitest';
import { drillStartText } from '../../src/render/drill.js';
import type { DrillStartResult } from '../../commands/drill-results.js';

const r: DrillStartResult = {
  lab: 'walk',
  id: 'spine-down',
  page: '[WARNING] leaf0: BGP neighbor spine0 went down; monitoring shows fewer paths between racks.',
  startedAt: '2026-12-02T06:59:53.913Z',
  startedBy: 'root',
  hintsAvailable: 3,
  settled: true,
};

describe('drill start on an 80-column terminal', () => {
  it('says the next step whole, within 80 columns', () => {
    const text = drillStartText(r, { color: false, width: 80 });
    for (const l of text.split('\n')) expect(l.length, l).toBeLessThanOrEqual(80);
    expect(text).not.toContain('…');
    expect(text.replace(/\s+/g, ' ')).toContain('`drill check` when you think it is fixed');
  });
});
