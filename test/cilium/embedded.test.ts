// The agent model drives the embedded lab: a rack0 node selected by two peering policies gets
// no policy (Cilium: "it will apply no policy at all"), so rack0's nodes do not peer and their
// pod CIDRs leave the fabric, while rack1 peers as before. Then the 1.19 upgrade drill's model
// change on the same lab: no node peers; `policy migrate --apply` brings every session back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { cli, eventually, labName, ok, session } from '../helpers/lab.js';
import { DEFAULT_TOPOLOGY_FILE } from '../../lab/paths.js';
import type { PeersResult, RoutesResult } from '../../commands/results.js';
import type { PolicyShowResult } from '../../commands/drill-results.js';

const LAB = labName('cil-model');
const dir = mkdtempSync(join(tmpdir(), 'bgp-lab-model-'));
const file = join(dir, 'conflict.yaml');
const raw = parse(readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8'));
raw.cilium.bgpPeeringPolicies.push({ ...structuredClone(raw.cilium.bgpPeeringPolicies[0]), name: 'rack0-dup' });
writeFileSync(file, stringify(raw));
const s = session(LAB, file);

const state = (p: PeersResult, router: string, peerAddress: string) => p.peers.find((x) => x.router === router && x.peerAddress === peerAddress)?.state;
const bgpPrefixes = async (router: string) => (await ok<RoutesResult>(s, `routes ${router}`)).routes.filter((r) => r.protocol === 'bgp').map((r) => r.prefix);

beforeAll(async () => {
  await ok(s, 'up --no-wait --pods-per-node 1');
}, 120_000);
afterAll(async () => {
  await cli(['--lab', LAB, 'down']);
});

describe('the agent model in the embedded lab', () => {
  it('two policies on rack0: rack0 unpeered (no agent config), rack1 peers; policy show names both', async () => {
    // rack1's sessions come up and its pod CIDRs reach leaf0 across the spines.
    await eventually(async () => {
      const p = await ok<PeersResult>(s, 'peers');
      // A node's session is shown from the node (as `cilium bgp peers` shows it).
      return state(p, 'cilium-bgp-worker2', '10.1.8.1') === 'Established' && state(p, 'cilium-bgp-worker3', '10.1.8.1') === 'Established';
    }, 60_000);
    await eventually(async () => { const have = await bgpPrefixes('leaf0'); return have.includes('10.98.2.0/24') && have.includes('10.98.3.0/24'); }, 30_000);
    // rack0's nodes run no BGP: leaf0 never hears from them, and their pod CIDRs are nowhere.
    const p = await ok<PeersResult>(s, 'peers');
    // Without node ends, the sessions are shown from leaf0, which has them configured.
    expect(state(p, 'leaf0', '10.1.5.10')).toMatch(/^(Active|Connect|Idle)/);
    expect(state(p, 'leaf0', '10.1.5.11')).toMatch(/^(Active|Connect|Idle)/);
    expect(p.peers.filter((x) => x.kind === 'node').map((x) => x.router).sort()).toEqual(['cilium-bgp-worker2', 'cilium-bgp-worker3']);
    for (const r of ['leaf0', 'leaf1', 'spine0']) {
      const have = await bgpPrefixes(r);
      expect(have.filter((x) => x === '10.98.0.0/24' || x === '10.98.1.0/24'), r).toEqual([]);
    }
    expect(await bgpPrefixes('leaf0')).toEqual(expect.arrayContaining(['10.98.2.0/24', '10.98.3.0/24']));
    const show = await ok<PolicyShowResult>(s, 'policy show');
    expect(show.nodes!.filter((n) => n.state === 'conflict').map((n) => [n.node, n.sources])).toEqual([
      ['cilium-bgp-control-plane', ['CiliumBGPPeeringPolicy rack0', 'CiliumBGPPeeringPolicy rack0-dup']],
      ['cilium-bgp-worker', ['CiliumBGPPeeringPolicy rack0', 'CiliumBGPPeeringPolicy rack0-dup']],
    ]);
    expect(show.warnings!.join('\n')).toMatch(/selected by policies rack0(-dup)? and rack0(-dup)?: Cilium applies no policy at all/);
  }, 150_000);

  it('policy set keepAliveTimeSeconds above holdTimeSeconds is applied, and the agent refuses the policy: its nodes say why, in Cilium\'s words', async () => {
    await ok(s, 'policy set rack1 holdTimeSeconds 30');
    const o = await s.run('policy set rack1 keepAliveTimeSeconds 60');
    expect(o.exitCode).toBe(0);
    const r = o.result as { unpeered: { node: string; state: string; reason: string }[] };
    expect(r.unpeered.filter((u) => u.state === 'invalid')).toEqual(['cilium-bgp-worker2', 'cilium-bgp-worker3'].map((node) => ({
      node, state: 'invalid', reason: 'invalid BGP peering policy rack1: KeepAliveTimeSeconds larger than HoldTimeSeconds for peer ASN:65008 IP:10.1.8.1/24',
    })));
    const show = await ok<PolicyShowResult>(s, 'policy show rack1');
    expect(show.nodes!.map((n) => n.state)).toEqual(['invalid', 'invalid']);
  }, 90_000);
});
