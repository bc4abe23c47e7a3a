// `vtysh` and `exec` on a real seed lab: FRR's own summary, a read user refused anything that
// is not `show` however it is spelled or smuggled (and audited as denied), `exec` for operators
// only, with its argv run as given (no shell), its exit code, and its output and time bounded.
import { labName, session, ok } from '../helpers/lab.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../commands/execute.js';
import { readAudit } from '../../lab/state/audit.js';
import type { VtyshResult } from '../../commands/vtysh.js';
import type { ExecResult } from '../../commands/exec.js';

const LAB = labName('look-shell');
const stateDir = mkdtempSync(join(tmpdir(), 'bgp-lab-look-shell-'));
process.env.BGP_LAB_STATE_DIR = stateDir;
delete process.env.BGP_LAB_AUDIT_LOG;

const admin = session(LAB);
const as = (user: string, level: 'read' | 'operate') => new Session({ lab: LAB, caller: { surface: 'slack', user, level } });
const reader = as('UREADER', 'read');
const operator = as('UOPER', 'operate');
/** An operator at the lab host's terminal: `exec` is refused from Slack. */
const terminalOperator = new Session({ lab: LAB, caller: { surface: 'cli', user: 'oper', level: 'operate' } });

beforeAll(async () => {
  await ok(admin, 'up --pods-per-node 1');
}, 120_000);

afterAll(async () => {
  try {
    const out = await admin.run('down');
    if (!out.ok) throw new Error(`down failed: ${out.error?.message}`);
  } finally {
    await Promise.all([admin.close(), reader.close(), operator.close()]);
    rmSync(stateDir, { recursive: true, force: true });
  }
});

describe('vtysh', () => {
  it("`vtysh leaf0 \"show ip bgp summary\"` shows FRR's own summary to a read user, audited", async () => {
    const o = await reader.run(['vtysh', 'leaf0', 'show ip bgp summary']);
    expect(o.error).toBeUndefined();
    const r = o.result as VtyshResult;
    expect(r.command).toBe('show ip bgp summary');
    expect(r.output).toMatch(/BGP router identifier 10\.1\.5\.1, local AS number 65005/);
    expect(r.output).toMatch(/Neighbor\s+V\s+AS/);
    expect(r.output).toContain('10.1.10.2');
    // An abbreviation reads too, and runs spelled out.
    const sh = await reader.run('vtysh spine0 sh ip route');
    expect((sh.result as VtyshResult).command).toBe('show ip route');
    expect((sh.result as VtyshResult).output).toMatch(/Codes: K - kernel route/);
    expect(readAudit().filter((e) => e.command === 'vtysh' && e.user === 'UREADER').map((e) => e.outcome)).toEqual(['ok', 'ok']);
  });

  it('refuses a read user `configure terminal` with the reason, and nothing runs', async () => {
    const o = await reader.run('vtysh leaf0 configure terminal');
    expect(o.status).toBe('denied');
    expect(o.error!.message).toContain('needs operate permission; <@UREADER> has read');
    expect(o.error!.message).toContain('`configure` is not `show`: it enters configuration mode');
    expect(readAudit().at(-1)).toMatchObject({ command: 'vtysh', user: 'UREADER', outcome: 'denied' });
  });

  it.each([
    ['conf t', 'denied'],
    ['do configure terminal', 'denied'],
    ['clear ip bgp *', 'denied'],
    ['start-shell', 'denied'],
    ['write memory', 'denied'],
    ['s', 'denied'], // ambiguous in FRR; never taken for `show`
  ])('a read user `vtysh leaf0 %s` is %s', async (cmd, status) => {
    const o = await reader.run(['vtysh', 'leaf0', ...cmd.split(' ')]);
    expect(o.status).toBe(status);
    expect(o.error!.message).toMatch(/read permission runs `show …` only/);
  });

  it.each([
    ['show ip bgp summary\nconfigure terminal', /newlines and control characters/],
    ['show ip bgp summary; configure terminal', /`;` does not separate commands/],
    ['show running-config | include password', /output filters/],
    ['show ip bgp -c configure', /vtysh options are not taken/],
    ['show version ! conf t', /starts a comment/],
    ['show $(reboot)', /is not part of an FRR command/],
  ])('smuggling `%s` is bad input for everyone, even an operator, and runs nothing', async (cmd, why) => {
    for (const s of [reader, operator]) {
      const o = await s.run(['vtysh', 'leaf0', cmd]);
      expect(o.status).toBe('bad-input');
      expect(o.error!.message).toMatch(why);
    }
  });

  it.each(['start-shell', 'start-shell bash', 'copy running-config startup-config', 'write file', 'do write memory'])('a Slack operator `vtysh leaf0 %s` is refused (host shell or files)', async (cmd) => {
    const o = await operator.run(['vtysh', 'leaf0', ...cmd.split(' ')]);
    expect(o.status).toBe('bad-input');
    expect(o.error!.message).toMatch(/not from Slack/);
  });

  it('an operator runs a non-show command (it reaches FRR)', async () => {
    const o = await operator.run('vtysh leaf0 clear ip bgp 10.1.10.2 soft');
    expect(o.error).toBeUndefined();
    expect(readAudit().at(-1)).toMatchObject({ command: 'vtysh', user: 'UOPER', outcome: 'ok', line: 'vtysh leaf0 clear ip bgp 10.1.10.2 soft' });
  });
});

describe('exec', () => {
  it('is refused from Slack even for an operator (a namespace shares the host\'s files), and nothing runs', async () => {
    const o = await operator.run(['exec', 'worker2', '--', 'touch', '/tmp/look-slack-exec']);
    expect(o.status).toBe('bad-input');
    expect(o.error!.message).toMatch(/not from Slack/);
    expect(existsSync('/tmp/look-slack-exec')).toBe(false);
  });

  it('is refused for a read user, audited as denied', async () => {
    const o = await reader.run('exec worker2 -- ip -br addr');
    expect(o.status).toBe('denied');
    expect(o.error!.message).toBe('`exec worker2 -- ip -br addr` needs operate permission; <@UREADER> has read');
  });

  it("runs the argv in the node's namespace for an operator: output and exit code", async () => {
    const o = await terminalOperator.run('exec worker2 -- ip -br addr');
    const r = o.result as ExecResult;
    expect(r).toMatchObject({ device: 'cilium-bgp-worker2', kind: 'node', exitCode: 0, ok: true });
    expect(r.stdout).toContain('10.1.8.10/24');
    const fail = await terminalOperator.run('exec worker2 -- ip route get 192.0.2.1 from 203.0.113.9 iif nope');
    expect(fail.exitCode).toBe(1);
    expect((fail.result as ExecResult).exitCode).not.toBe(0);
  });

  it('passes words as arguments, never through a shell', async () => {
    const r = (await terminalOperator.run(['exec', 'worker2', '--', 'echo', '$(id)', ';', 'touch', '/tmp/look-pwned'])).result as ExecResult;
    expect(r.stdout).toBe('$(id) ; touch /tmp/look-pwned\n');
    const bad = await terminalOperator.run(['exec', 'worker2', '--', '-x']);
    expect(bad.status).toBe('bad-input');
  });

  it('bounds time and output', async () => {
    const slow = (await terminalOperator.run('exec worker2 --timeout 1 -- sleep 30')).result as ExecResult;
    expect(slow.timedOut).toBe(true);
    expect(slow.durationMs).toBeLessThan(5000);
    const flood = (await terminalOperator.run('exec worker2 --timeout 20 -- busybox yes')).result as ExecResult;
    expect(flood.truncated).toBe(true);
    expect(flood.ok).toBe(false);
    expect(flood.stdout.length).toBeLessThanOrEqual(64 * 1024);
    expect(flood.durationMs).toBeLessThan(10_000);
  });
});
