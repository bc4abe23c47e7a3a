// `up` on an 80-column terminal: a progress line wider than the terminal went on at column 0
// mid-word ("…the leaves connect) i" / "n 2.9 s"); now it goes on indented under its text.
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { progressPrinter } from '../../src/render/progress.js';

function terminal(columns: number | undefined) {
  const chunks: string[] = [];
  const stream = Object.assign(new Writable({ write(c, _e, cb) { chunks.push(String(c)); cb(); } }), { isTTY: columns !== undefined, columns });
  return { stream, text: () => chunks.join('') };
}

const label = 'Start FRR on 4 routers, GoBGP on 4 nodes (4 announce their pod CIDR), 4 pods, 4 agents configured through the GoBGP API';

describe('progress lines on a terminal', () => {
  it('fit 80 columns, wrapped at a space and indented', () => {
    const t = terminal(80);
    progressPrinter(t.stream)({ type: 'step', id: 's', label, state: 'ok', elapsedMs: 2900 });
    progressPrinter(t.stream)({ type: 'log', message: `  ${label} (fast-connect: the leaves connect)` });
    const lines = t.text().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
    expect(lines.slice(1).every((l) => l.startsWith('  '))).toBe(true);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toContain('(2.9 s)');
    expect(t.text().replace(/\s+/g, ' ')).toContain(label);
  });
  it('are left whole when not on a terminal (a log file, a pipe)', () => {
    const t = terminal(undefined);
    progressPrinter(t.stream)({ type: 'step', id: 's', label, state: 'ok', elapsedMs: 2900 });
    expect(t.text()).toBe(`✓ ${label} (2.9 s)\n`);
  });
});
