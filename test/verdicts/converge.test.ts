// up's convergence proof is cheap (one pod per rack to every pod CIDR over every ECMP member,
// not all pairs) but still a proof: a fabric whose BGP has settled while a rack's pod CIDRs are
// unreachable is refused and rolled back, naming the flows that got no answer.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labName, session } from '../helpers/lab.js';
import { PROJECT_ROOT } from '../../lab/paths.js';

const lab = labName('converge');
const dir = mkdtempSync(join(tmpdir(), 'bgp-lab-converge-'));
const file = join(dir, 'no-export.yaml');
// The seed, with rack1's policy no longer exporting its pod CIDRs: sessions come up, routes to
// rack1's pods never exist, so nothing reaches them.
const seed = readFileSync(join(PROJECT_ROOT, 'lab/topologies/cilium-bgp.yaml'), 'utf8');
const at = seed.lastIndexOf('exportPodCIDR: true');
writeFileSync(file, `${seed.slice(0, at)}exportPodCIDR: false${seed.slice(at + 'exportPodCIDR: true'.length)}`);
const s = session(lab, file);

afterAll(async () => {
  await s.run('down');
  await s.close();
}, 60_000);

describe('up judges convergence', () => {
  it('refuses a fabric whose pod CIDRs are not all reachable, and rolls it back', async () => {
    const o = await s.run('up --fast-connect --pods-per-node 1 --timeout 4');
    expect(o.exitCode).toBe(1);
    expect(o.error!.message).toMatch(/not converged after 4 s: .*cannot ping app-worker[23]? \(10\.98\.[23]\.\d+\)/);
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(`bgplab.${lab}.`);
  }, 60_000);
});
