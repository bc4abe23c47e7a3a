// Hostile command words, through the real CLI (no lab needed: each is refused before one is looked
// up): an Object method as a field name, and words far longer than any name, path or value.
import { describe, expect, it } from 'vitest';
import { cli, labName } from '../helpers/lab.js';

const LAB = labName('caps');
const lab = (...args: string[]) => cli(['--lab', LAB, '--topology', 'cilium-bgp', ...args]);

describe('policy set field names', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('policy set rack0 %s 1 is a usage error naming the valid fields', async (field) => {
    const r = await lab('policy', 'set', 'rack0', field, '1');
    expect(r.stderr).not.toMatch(/Cannot read|undefined|TypeError/);
    expect(r.stderr).toMatch(new RegExp(`no field "${field}"`));
    expect(r.stderr).toMatch(/peerASN/);
    expect(r.exitCode).toBe(2);
  });
});

describe('long words', () => {
  it('a 100 000-character router name is refused in one short line, not echoed back', async () => {
    const r = await lab('routes', 'a'.repeat(100_000));
    expect(r.exitCode).toBe(2);
    expect(r.stderr.length).toBeLessThan(400);
    expect(r.stderr).toMatch(/word 2 is 100000 characters; at most 4096/);
  });
  it('a 2 000-character policy value is refused without echoing it', async () => {
    const r = await lab('policy', 'set', 'rack0', 'peerASN', '9'.repeat(2000));
    expect(r.exitCode).toBe(2);
    expect(r.stderr.length).toBeLessThan(600);
  });
  it('ordinary words still pass the cap (the refusal is about the lab, not the word)', async () => {
    const r = await lab('routes', 'leaf0');
    expect(r.stderr).not.toMatch(/characters; at most/);
    expect(r.stderr).toMatch(/not up|bgp-lab up/);
  });
});
