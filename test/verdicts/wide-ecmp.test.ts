// Path coverage whatever the ECMP width: with 8 spines a leaf has 8 members toward every pod CIDR,
// and `check` must find, for every pair and direction, an address pair that hashes onto each of
// them. 7 probe addresses per pod (64 address pairs) missed a member about 0.15 % of the time per
// pair and direction, so `check` failed a healthy large fabric by luck ("uncovered"). Here the
// real kernel answers (`ip route get … iif` on the leaves) for 512 cross-rack pairs under several
// hash seeds: not one member may be left uncovered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { labName, ok, session } from '../helpers/lab.js';
import { generateTopology } from '../../lab/topology/generate.js';
import { podsOf, type Pod } from '../../lab/topology/model.js';
import { CANDIDATE_PAIRS, memberLabel, planPaths } from '../../lab/inspect/paths.js';

const lab = labName('wide-ecmp');
const topo = generateTopology({ spines: 8, leaves: 2, nodesPerRack: 1 });
const dir = mkdtempSync(join(tmpdir(), 'bgp-lab-wide-'));
const file = join(dir, 'wide.yaml');
writeFileSync(file, stringify(topo));
const s = session(lab, file);
const PODS = 16;

beforeAll(async () => {
  await ok(s, `up --fast-connect --pods-per-node ${PODS} --timeout 60`);
}, 180_000);

afterAll(async () => {
  await s.run('down');
  await s.close();
}, 60_000);

describe('check covers every member of an 8-wide ECMP', () => {
  it('finds an address pair for every member, both directions, for every pair and seed', async () => {
    const pods = podsOf(topo, PODS);
    const [n0, n1] = topo.cluster.nodes.map((n) => n.name);
    const a = pods.filter((p) => p.node === n0);
    const b = pods.filter((p) => p.node === n1);
    const pairs: [Pod, Pod][] = [...a.flatMap((x) => b.map((y): [Pod, Pod] => [x, y])), ...b.flatMap((x) => a.map((y): [Pod, Pod] => [x, y]))];
    expect(pairs).toHaveLength(512);
    expect(CANDIDATE_PAIRS).toBeGreaterThan(8 * 8 * 2);
    const driver = await s.driver();
    const gaps: string[] = [];
    // The lab's own pinned seeds, then a few others on both leaves: 2,560 pair-directions of 8 members.
    for (const seed of [0, 1, 2, 3, 4]) {
      if (seed) for (const leaf of ['leaf0', 'leaf1']) execFileSync('ip', ['netns', 'exec', `bgplab.${lab}.${leaf}`, 'sysctl', '-qw', `net.ipv4.fib_multipath_hash_seed=${seed}`]);
      const plans = await planPaths(driver, topo, pairs, true);
      for (const p of plans) {
        expect(p.fwd).toHaveLength(8);
        expect(p.rev).toHaveLength(8);
        const fwd = new Set(p.flows.map((f) => f.fwd && memberLabel(f.fwd)));
        const rev = new Set(p.flows.map((f) => f.rev && memberLabel(f.rev)));
        for (const m of p.fwd) if (!fwd.has(memberLabel(m))) gaps.push(`seed ${seed} ${p.from.name} → ${p.to.name} requests via ${memberLabel(m)}`);
        for (const m of p.rev) if (!rev.has(memberLabel(m))) gaps.push(`seed ${seed} ${p.from.name} → ${p.to.name} replies via ${memberLabel(m)}`);
        gaps.push(...p.uncovered.filter((u) => u !== 'crossed').map((u) => `seed ${seed} ${p.from.name} → ${p.to.name} ${u} (uncovered)`));
      }
    }
    expect(gaps).toEqual([]);
  }, 240_000);
});
