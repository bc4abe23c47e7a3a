// --random never gives the lab the drill it just had, and varies the link: the pick is
// deterministic for a seed, skips the lab's last random scenario, and the variant moves the spine.
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pickScenario, scenarios } from '../../lab/drills/index.js';
import { lastRandom, rememberRandom } from '../../lab/drills/util.js';
import { loadTopology } from '../../lab/topology/load.js';

process.env.BGP_LAB_STATE_DIR = mkdtempSync(join(tmpdir(), 'bgp-lab-random-'));

describe('random drills', () => {
  it('never repeat the last scenario, whatever the seed', () => {
    for (let seed = 0; seed < 300; seed++) {
      const first = pickScenario(seed);
      expect(pickScenario(seed)).toBe(first);
      expect(pickScenario(seed, first.id).id).not.toBe(first.id);
    }
  });

  it('remember the last one per lab in the state dir', async () => {
    expect(await lastRandom('lab-a')).toBeUndefined();
    await rememberRandom('lab-a', { id: 'mtu-mismatch', target: 'spine0 leaf0 eth1' });
    expect(await lastRandom('lab-a')).toEqual({ id: 'mtu-mismatch', target: 'spine0 leaf0 eth1' });
    expect(await lastRandom('lab-b')).toBeUndefined();
  });

  it('vary the spine with the variant', () => {
    const topo = loadTopology();
    for (const id of ['mtu-mismatch', 'spine-down', 'link-flap', 'lossy-spine-link']) {
      const s = scenarios.find((x) => x.id === id)!;
      expect(new Set([0, 1, 2, 3].map((v) => String(s.target(topo, v).spine))).size, id).toBe(2);
    }
  });
});
