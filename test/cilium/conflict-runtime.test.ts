// A second CiliumBGPPeeringPolicy comes to select nodes that already peer (`policy set maint
// nodeSelector rack=rack0`), then stops again. What the agent does depends on the release
// (pkg/bgpv1/agent/controller.go Reconcile; lab/cilium/SOURCES.md):
// - 1.14/1.15: the selection error → FullWithdrawal: the nodes' sessions go down, and come back
//   once one policy selects them again.
// - 1.16–1.18: the selection error is returned before anything is applied or cleaned up: a
//   running agent keeps what it applied (sessions never drop, FRR counts no drop), an agent
//   restarted during the conflict applies nothing; with the conflict gone both run policy rack0.
// Sessions are read at both ends: the node's own gobgpd and leaf0's FRR (its drop counter).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { eventually, labName, ok, session } from '../helpers/lab.js';
import { DEFAULT_TOPOLOGY_FILE } from '../../lab/paths.js';
import { EmbeddedDriver } from '../../lab/drivers/embedded/index.js';
import { LocalRunner } from '../../lab/runners/local.js';
import type { PeersResult } from '../../commands/results.js';
import type { PolicySetResult, PolicyShowResult } from '../../commands/drill-results.js';

const CP = 'cilium-bgp-control-plane';
const WORKER = 'cilium-bgp-worker';
const NODE_IP: Record<string, string> = { [CP]: '10.1.5.10', [WORKER]: '10.1.5.11' };
const LEAF0 = '10.1.5.1';

/** The default topology at `version` with a third policy, maint (rack0's copy), selecting no node yet. */
function topologyFile(version: string): string {
  const raw = parse(readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8'));
  raw.cilium.version = version;
  raw.cilium.bgpPeeringPolicies.push({ ...structuredClone(raw.cilium.bgpPeeringPolicies[0]), name: 'maint', nodeSelector: { matchLabels: { rack: 'maint' } } });
  const file = join(mkdtempSync(join(tmpdir(), 'bgp-lab-cfl-')), `conflict-${version}.yaml`);
  writeFileSync(file, stringify(raw));
  return file;
}

interface FrrNeighbor { bgpState: string; connectionsDropped?: number }
const leafSide = async (d: EmbeddedDriver, node: string): Promise<FrrNeighbor> =>
  (JSON.parse(await d.vtysh('leaf0', `show bgp neighbors ${NODE_IP[node]} json`)) as Record<string, FrrNeighbor>)[NODE_IP[node]!]!;
/** The node's session to leaf0 as its own gobgpd reports it; undefined when no gobgpd answers. */
const nodeSide = async (d: EmbeddedDriver, node: string): Promise<string | undefined> => {
  const out = await d.gobgp(node, ['-j', 'neighbor', LEAF0]).catch(() => undefined);
  if (!out) return undefined;
  const n = JSON.parse(out) as { state?: { session_state?: number | string } };
  return String(n.state?.session_state);
};
const ESTABLISHED = ['6', 'ESTABLISHED', 'established'];
const rack0Up = (p: PeersResult) => [CP, WORKER].every((n) => p.peers.some((x) => x.router === n && x.peerAddress === LEAF0 && x.state === 'Established'));
const leafRoutes = async (s: ReturnType<typeof session>) => (await ok<{ routes: { prefix: string; protocol: string }[] }>(s, 'routes leaf1')).routes.filter((r) => r.protocol === 'bgp').map((r) => r.prefix);

/** A lab of that Cilium version, up with rack0's two nodes peering; leaf0's drop count of each kept. */
function rack0Lab(tag: string, version: string) {
  const LAB = labName(tag);
  const s = session(LAB, topologyFile(version));
  const d = new EmbeddedDriver(LAB, new LocalRunner());
  const dropped: Record<string, number> = {};
  beforeAll(async () => {
    await ok(s, 'up --fast-connect --pods-per-node 1');
    await eventually(async () => rack0Up(await ok<PeersResult>(s, 'peers')), 60_000);
    for (const n of [CP, WORKER]) dropped[n] = (await leafSide(d, n)).connectionsDropped ?? 0;
  }, 150_000);
  afterAll(async () => {
    d.agents.close();
    await s.run('down');
    await s.close();
  }, 60_000);
  return { s, d, dropped };
}

describe('Cilium 1.16: a node peering under one policy when a second one comes to select it', () => {
  const { s, d, dropped } = rack0Lab('cfl-keep16', '1.16.8');

  it('keeps its sessions and its pod CIDR: the agent stops at the selection error and withdraws nothing', async () => {
    const r = await ok<PolicySetResult>(s, 'policy set maint nodeSelector rack=rack0');
    expect(r.nodes.filter((n) => n.kept).map((n) => [n.node, n.running, n.announced.includes(n.node === CP ? '10.98.0.0/24' : '10.98.1.0/24')]).sort()).toEqual([[CP, true, true], [WORKER, true, true]]);
    expect(r.unpeered!.map((u) => [u.node, u.state])).toEqual([[CP, 'conflict'], [WORKER, 'conflict']]);
    expect(r.warnings!.join('\n')).toMatch(/selected by policies (rack0|maint) and (rack0|maint): Cilium 1\.16's agent keeps what it last applied there/);
    for (const n of [CP, WORKER]) {
      expect(ESTABLISHED, n).toContain(await nodeSide(d, n));
      const leaf = await leafSide(d, n);
      expect([n, leaf.bgpState, leaf.connectionsDropped ?? 0]).toEqual([n, 'Established', dropped[n]]);
    }
    expect(await leafRoutes(s)).toEqual(expect.arrayContaining(['10.98.0.0/24', '10.98.1.0/24']));
    const show = await ok<PolicyShowResult>(s, 'policy show');
    const conflict = show.nodes!.filter((n) => n.state === 'conflict');
    expect(conflict.map((n) => n.node)).toEqual([CP, WORKER]);
    for (const n of conflict) expect(n.reason).toMatch(/a running agent keeps what it last applied .* a restarted agent peers with nothing/);
  }, 90_000);

  it('an agent restarted during the conflict peers with nothing; once the conflict is gone it peers again and the kept one never dropped', async () => {
    await ok(s, `agent restart ${WORKER}`);
    expect(await nodeSide(d, WORKER)).toBeUndefined();
    await eventually(async () => (await leafSide(d, WORKER)).bgpState !== 'Established', 30_000);
    // The conflict ends: maint selects nothing again; rack0 alone selects the rack.
    await ok(s, 'policy set maint nodeSelector rack=maint');
    await eventually(async () => rack0Up(await ok<PeersResult>(s, 'peers')), 60_000);
    const cp = await leafSide(d, CP);
    expect([cp.bgpState, cp.connectionsDropped ?? 0]).toEqual(['Established', dropped[CP]]);
    expect((await leafSide(d, WORKER)).connectionsDropped).toBeGreaterThan(dropped[WORKER]!);
    const show = await ok<PolicyShowResult>(s, 'policy show');
    expect(show.nodes!.filter((n) => n.state === 'conflict')).toEqual([]);
  }, 150_000);
});

describe('Cilium 1.14: a node peering under one policy when a second one comes to select it', () => {
  const { s, d, dropped } = rack0Lab('cfl-drop14', '1.14.0-rc.0');

  it('loses every session (FullWithdrawal) and peers again once one policy selects it', async () => {
    const r = await ok<PolicySetResult>(s, 'policy set maint nodeSelector rack=rack0');
    expect(r.nodes.filter((n) => n.node === CP || n.node === WORKER).map((n) => [n.node, n.running, n.kept ?? false]).sort()).toEqual([[CP, false, false], [WORKER, false, false]]);
    expect(r.warnings!.join('\n')).toMatch(/Cilium applies no policy at all there and withdraws all their sessions/);
    for (const n of [CP, WORKER]) expect(await nodeSide(d, n), n).toBeUndefined();
    await eventually(async () => {
      const x = await Promise.all([CP, WORKER].map((n) => leafSide(d, n)));
      return x.every((l, i) => l.bgpState !== 'Established' && (l.connectionsDropped ?? 0) > dropped[[CP, WORKER][i]!]!);
    }, 30_000);
    await eventually(async () => { const have = await leafRoutes(s); return !have.includes('10.98.0.0/24') && !have.includes('10.98.1.0/24'); }, 30_000);
    await ok(s, 'policy set maint nodeSelector rack=maint');
    await eventually(async () => rack0Up(await ok<PeersResult>(s, 'peers')), 60_000);
    await eventually(async () => { const have = await leafRoutes(s); return have.includes('10.98.0.0/24') && have.includes('10.98.1.0/24'); }, 30_000);
  }, 180_000);
});
