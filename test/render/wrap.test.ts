import { describe, expect, it } from 'vitest';
import { linesToText, seg, wrapLine } from '../../src/render/lines.js';

describe('wrapLine', () => {
  it('wraps prose at spaces within the width, indenting the later lines, and loses no word', () => {
    const cause = "leaf1 had `ip route 10.98.0.0/24 blackhole` in its running config (distance 1 beats eBGP's 20): rack1 lost the pods while BGP looked healthy.";
    const text = linesToText(wrapLine([seg('cause: ', { bold: true }), seg(cause)], 60, 7), { color: false, width: 60 });
    const lines = text.split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
    for (const l of lines.slice(1)) expect(l.startsWith('       ')).toBe(true);
    expect(lines.map((l) => l.trim()).join(' ')).toBe(`cause: ${cause}`);
    expect(text).not.toContain('…');
  });
  it('leaves a short line, or an unbounded width, alone', () => {
    expect(wrapLine([seg('short')], 60)).toHaveLength(1);
    expect(wrapLine([seg('x '.repeat(100))], Infinity)).toHaveLength(1);
  });
});
