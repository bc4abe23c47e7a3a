// Verdicts that say what is true: no empty pass (zero probes is bad input), status exits 0 only
// when the lab is up and names each drift with its fix, and check blames the pod's own MTU or
// an admin-down interface when that is the cause, before anything else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labName, ok, session } from '../helpers/lab.js';
import type { CheckResult, StatusResult } from '../../commands/results.js';

const lab = labName('verdict');
const s = session(lab);

beforeAll(async () => {
  await ok(s, 'up --fast-connect --pods-per-node 1');
}, 60_000);
afterAll(async () => {
  await s.run('down');
  await s.close();
}, 60_000);

describe('no empty verdicts', () => {
  it('check with zero probes is bad input (exit 2), saying why', async () => {
    const o = await s.run('check --from app-worker --to app-worker');
    expect(o.exitCode).toBe(2);
    expect(o.error!.message).toContain('app-worker is both source and destination');
  });

  it("a payload larger than the pod's own MTU is the pod's refusal, not loss on the path", async () => {
    const c = await ok<CheckResult>(s, 'check --from app-worker --to app-worker2 --size 8000 --wait 0');
    expect(c.ok).toBe(false);
    expect(c.results[0]!.diagnosis).toContain('local error: message too long, mtu=1500');
    expect(c.results[0]!.diagnosis).toContain("the pod's own eth0 MTU (1500)");
  });
});

describe('status exit codes and drift', () => {
  it('up: exit 0', async () => {
    const o = await s.run('status');
    expect(o.exitCode).toBe(0);
    expect((o.result as StatusResult).state).toBe('up');
  });

  it('degraded: exit 1, each drift named with the command that fixes it; check names the admin-down interface first', async () => {
    await ok(s, 'link leaf1 eth3 down');
    await ok(s, 'link spine0 eth2 up --mtu 1400');
    try {
      const o = await s.run('status');
      expect(o.exitCode).toBe(1);
      const st = o.result as StatusResult;
      expect(st.state).toBe('degraded');
      const fixOf = (line: string) => st.fixes?.[st.drift.findIndex((d) => d.includes(line))];
      expect(fixOf('leaf1 eth3 (toward rack1 LAN) is admin down')).toBe('link leaf1 eth3 up');
      expect(fixOf('spine0 eth2 (toward leaf1 eth1) has MTU 1400 (intended 9000)')).toBe('link spine0 eth2 up --mtu 9000');
      expect(st.hint).not.toContain('--replace');
      const c = await ok<CheckResult>(s, 'check --from app-control-plane --to app-worker2 --wait 0');
      expect(c.ok).toBe(false);
      expect(c.results[0]!.diagnosis).toMatch(/^leaf1 eth3 \(toward rack1 LAN\) is admin down: `link leaf1 eth3 up`/);
    } finally {
      await ok(s, 'link leaf1 eth3 up');
      await ok(s, 'link spine0 eth2 up --mtu 9000');
    }
  });

  it('down: exit 1', async () => {
    await ok(s, 'down');
    const o = await s.run('status');
    expect(o.exitCode).toBe(1);
    expect((o.result as StatusResult).state).toBe('down');
  });
});
