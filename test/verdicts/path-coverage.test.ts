// check proves every ECMP path, whatever a lab's hashing: in three fresh labs (three names, so
// three sets of hash seeds), an MTU fault and then a lossy link on each spine's link toward
// leaf0 fail `check`, naming the link; restored, `check` passes. The loss is deterministic
// (nftables drops every 4th ICMP packet the spine sends to leaf0), so no result rests on luck.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { labName, ok, session } from '../helpers/lab.js';
import type { CheckResult } from '../../commands/results.js';
import type { Session } from '../../commands/execute.js';
import { nsName } from '../../lab/drivers/embedded/names.js';
import { renderText } from '../../src/render/text.js';

// Three fresh labs, and one whose name (so its seeds) made a failing request's diagnosis blame
// its innocent reply path too (no clean reply had crossed the same hops): CI, 2026-12-02.
const labs = [...['cov-a', 'cov-b', 'cov-c'].map((t) => labName(t)), 't-cov-a-lls-uy2s'];
const sessions = new Map<string, Session>(labs.map((l) => [l, session(l)]));
const text = (r: CheckResult) => renderText('check', r, { color: false, width: Infinity });
const nft = (lab: string, device: string, input?: string, ...args: string[]) =>
  execFileSync('ip', ['netns', 'exec', nsName(lab, device), 'nft', ...(input ? ['-f', '-'] : args)], { input, encoding: 'utf8' });
const seed = (lab: string, router: string) =>
  execFileSync('ip', ['netns', 'exec', nsName(lab, router), 'sysctl', '-n', 'net.ipv4.fib_multipath_hash_policy', 'net.ipv4.fib_multipath_hash_seed'], { encoding: 'utf8' }).split('\n').filter(Boolean);

beforeAll(async () => {
  for (const l of labs) await ok(sessions.get(l)!, 'up --fast-connect --pods-per-node 1');
}, 90_000);
afterAll(async () => {
  for (const l of labs) {
    await sessions.get(l)!.run('down');
    await sessions.get(l)!.close();
  }
}, 60_000);

/** Every planned member covered, and the leaves' counters agree. */
function expectCovered(c: CheckResult): void {
  expect(c.coverage, JSON.stringify(c.coverage)).toMatchObject({ verified: true });
  expect(c.coverage!.covered).toBe(c.coverage!.members);
  expect(c.coverage!.members).toBe(32); // 8 cross-rack pairs × 2 spines × 2 directions
}

describe('routers hash like the real lab', () => {
  it('on addresses (policy 0), with a seed pinned per lab and per router', () => {
    const seeds = labs.map((l) => seed(l, 'leaf0'));
    for (const [policy] of seeds) expect(policy).toBe('0');
    expect(new Set(seeds.map((s) => s[1])).size).toBe(labs.length);
    expect(seed(labs[0]!, 'leaf0')[1]).not.toBe(seed(labs[0]!, 'leaf1')[1]);
  });
});

describe.each(labs.map((l) => [l]))('lab %s', (lab) => {
  const s = () => sessions.get(lab)!;

  it.each([['spine0'], ['spine1']])('an MTU fault on %s eth1 (toward leaf0) fails check --size 1400, naming the link; restored, it passes', async (spine) => {
    await ok(s(), `link ${spine} eth1 up --mtu 1300`);
    try {
      const c = await ok<CheckResult>(s(), 'check --size 1400 --wait 0');
      expect(c.ok).toBe(false);
      expectCovered(c);
      const failed = c.results.filter((r) => !r.ok);
      expect(failed.length).toBeGreaterThan(0);
      // Every failure names the member it died on and the interface that is off.
      for (const f of failed) {
        expect(f.diagnosis).toMatch(new RegExp(`via leaf[01] eth[12] → ${spine}`));
        expect(f.diagnosis).toContain(`${spine} eth1 (toward leaf0 eth${spine === 'spine0' ? 1 : 2}) has MTU 1300 (intended 9000)`);
      }
      // Requests from rack0 that left leaf0 on that very link are named as such.
      expect(failed.some((f) => f.diagnosis!.startsWith(`via leaf0 eth${spine === 'spine0' ? 1 : 2} → ${spine}: 1400-byte DF packets dropped`))).toBe(true);
    } finally {
      await ok(s(), `link ${spine} eth1 up --mtu 9000`);
    }
    const again = await ok<CheckResult>(s(), 'check --size 1400 --wait 0');
    expect(again.ok, text(again)).toBe(true);
    expectCovered(again);
  });

  it.each([['spine0'], ['spine1']])('a lossy %s eth1 (every 4th ICMP packet to leaf0 dropped) fails check with the loss counted; removed, it passes', async (spine) => {
    const table = 'bgplab-test-loss';
    nft(lab, spine, `table ip ${table} {\n  chain out { type filter hook postrouting priority 0; policy accept; oifname "eth1" ip protocol icmp numgen inc mod 4 == 0 counter drop; }\n}\n`);
    try {
      const c = await ok<CheckResult>(s(), 'check --wait 0');
      expect(c.ok).toBe(false);
      expectCovered(c);
      expect(c.received!).toBeLessThan(c.sent!);
      expect(text(c)).toMatch(new RegExp(`\\*\\*\\* Results: [1-9]\\d?% dropped \\(${c.received}/${c.sent} received\\)`));
      const failed = c.results.filter((r) => !r.ok);
      expect(failed.length).toBeGreaterThan(0);
      for (const f of failed) expect(f.diagnosis).toContain(`${spine} eth1 drops about 25% of the packets it sends`);
      // Tolerated loss passes the pairs that lost at most that much (asked once: the same code in every lab).
      if (lab === labs[0]) expect((await ok<CheckResult>(s(), 'check --wait 0 --tolerate-loss 100')).ok).toBe(true);
    } finally {
      nft(lab, spine, undefined, 'delete', 'table', 'ip', table);
    }
    const again = await ok<CheckResult>(s(), 'check --wait 0');
    expect(again.ok, text(again)).toBe(true);
    expect(again.received).toBe(again.sent);
  });
});

describe('the seed capture picture', () => {
  it('check --capture leaf0:eth1,eth2 shows replies coming back on the other spine link', async () => {
    const c = await ok<CheckResult>(sessions.get(labs[0]!)!, 'check --capture leaf0:eth1,eth2');
    expect(c.ok).toBe(true);
    const crossed = c.capture!.conversations.filter((cv) => {
      const out = Object.keys(cv.aToB);
      const back = Object.keys(cv.bToA);
      return out.length && back.length && !back.some((i) => out.includes(i));
    });
    expect(crossed.length).toBeGreaterThanOrEqual(1);
    expect(text(c)).toMatch(/[1-9]\d* of \d+ two-way conversations came back on another link/);
  });
});
