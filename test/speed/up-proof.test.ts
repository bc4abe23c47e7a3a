// `up` got faster by doing its steps side by side; its verdict must not have got weaker. On a
// 4×8×4 fabric (big enough for the cheap proof: one pod per rack to every pod CIDR over every
// ECMP member), a spine that drops the pings forwarded from one leaf — BGP sessions and FIBs
// all healthy, one path broken — is refused by the convergence proof, rolled back, nothing left.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labName, session } from '../helpers/lab.js';
import type { ProgressEvent } from '../../lab/drivers/types.js';

const lab = labName('speedproof');
const dir = mkdtempSync(join(tmpdir(), 'bgp-lab-speed-'));
const file = join(dir, 'fabric.yaml');
const s = session(lab, file);

afterAll(async () => {
  await s.run('down');
  await s.close();
}, 120_000);

describe('up on 4×8×4 still proves convergence', () => {
  it('refuses a fabric with one broken path (spine0 drops what leaf0 sends it), rolls back, leaves nothing', async () => {
    const gen = await session('speedgen').run(['topo', 'generate', '--spines', '4', '--leaves', '8', '--nodes-per-rack', '4', '--out', file]);
    expect(gen.error).toBeUndefined();
    const events: ProgressEvent[] = [];
    let injected = false;
    const o = await s.run('up --fast-connect --pods-per-node 1 --timeout 10', {
      progress: (e) => {
        events.push(e);
        // The fault lands before the proof's first look: the daemons are up, nothing probed yet.
        if (e.type === 'step' && e.id === 'converge' && e.state === 'running' && !injected) {
          injected = true;
          // spine0's eth1 faces leaf0: pings from rack0 that hash onto spine0 die there; TCP 179 passes.
          execFileSync('ip', ['netns', 'exec', `bgplab.${lab}.spine0`, 'nft', '-f', '-'], {
            input: 'table ip speedfault {\n  chain drops {\n    type filter hook forward priority 0; policy accept;\n    iifname "eth1" icmp type echo-request drop\n  }\n}\n',
          });
        }
      },
    });
    expect(injected).toBe(true);
    expect(o.exitCode).toBe(1);
    // Sessions and routes converged: what refused it is the probe sweep, naming flows from rack0.
    expect(o.error!.message).toMatch(/not converged after 10 s: .*cannot ping/);
    const steps = events.filter((e): e is Extract<ProgressEvent, { type: 'step' }> => e.type === 'step');
    const order = steps.filter((e) => e.state !== 'running').map((e) => `${e.id} ${e.state}`);
    expect(order).toEqual(expect.arrayContaining(['wiring ok', 'daemons ok', 'converge fail']));
    expect(order.indexOf('daemons ok')).toBeLessThan(order.indexOf('converge fail'));
    expect(events.some((e) => e.type === 'log' && /probe sweep: \d+ flows failed/.test(e.message))).toBe(true);
    // Rolled back: no namespace, no daemon of this lab.
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(`bgplab.${lab}.`);
    expect(execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' })).not.toContain(`/${lab}/`);
  }, 240_000);
});
