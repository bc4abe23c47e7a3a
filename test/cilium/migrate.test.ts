// `policy migrate` and the cilium-upgrade-1-19 drill's model: the v2 objects written from the
// peering policies give every node the same desired agent; the upgrade leaves no node peering
// and the migration fixes it (the drill's verdict on the model).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { loadTopology, parseTopology } from '../../lab/topology/load.js';
import { desiredAgents } from '../../lab/cilium/desired.js';
import { migratedTopology, migratePolicies } from '../../lab/cilium/objects.js';
import { modelFixed, upgradedTopology, UPGRADED_VERSION } from '../../lab/drills/cilium-upgrade-1-19.js';
import { findScenario } from '../../lab/drills/index.js';
import { DEFAULT_TOPOLOGY_FILE } from '../../lab/paths.js';
import { cli } from '../helpers/lab.js';

const agents = (t: ReturnType<typeof loadTopology>) =>
  desiredAgents(t).map((i) => (i.state === 'configured' ? i.agent.instances.map((x) => ({ asn: x.localASN, neighbors: x.neighbors.map((n) => [n.peerAddress, n.peerASN, n.peerPort, n.timers, n.explicitTimers, n.ebgpMultihopTTL, n.gracefulRestart]), paths: x.paths.map((p) => [p.prefix, p.nexthop, p.toNeighbors ?? 'all']) })) : i.state));

describe('policy migrate', () => {
  it('the seed migrates to exactly cilium-bgp-v2\'s objects', () => {
    const v2 = loadTopology('cilium-bgp-v2').cilium;
    expect(migratePolicies(loadTopology())).toEqual({ bgpClusterConfigs: v2.bgpClusterConfigs, bgpPeerConfigs: v2.bgpPeerConfigs, bgpAdvertisements: v2.bgpAdvertisements });
  });

  it('every 1.14 field survives: timers, port, multihop, graceful restart, two virtual routers, a service selector', () => {
    const raw = parse(readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8'));
    const vr = raw.cilium.bgpPeeringPolicies[1].virtualRouters;
    vr[0].neighbors[0] = { ...vr[0].neighbors[0], peerPort: 1790, eBGPMultihopTTL: 3, holdTimeSeconds: 30, keepAliveTimeSeconds: 10, gracefulRestart: { enabled: true, restartTimeSeconds: 60 } };
    vr.push({ localASN: 65100, serviceSelector: { matchLabels: { app: 'web' } }, neighbors: [{ peerAddress: '10.1.34.2/32', peerASN: 500 }] });
    raw.cilium.version = '1.18.0';
    const t = parseTopology(stringify(raw)).topology!;
    const m = migratedTopology(t);
    // The migrated model is one the 1.18 API server accepts, with the same desired agents.
    const back = parseTopology(stringify(m));
    expect(back.issues.filter((i) => i.severity !== 'warning')).toEqual([]);
    expect(m.cilium.bgpPeeringPolicies).toEqual([]);
    expect(agents(back.topology!)).toEqual(agents(t));
    expect(m.cilium.bgpPeerConfigs.map((p) => p.name)).toEqual(['rack0-peer', 'rack1-peer', 'rack1-peer-2']);
  });

  it('the CLI prints the YAML for 1.18 on a 1.14 lab, saying so', async () => {
    const r = await cli(['--topology', 'cilium-bgp', '--json', 'policy', 'migrate']);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.objects.map((o: { kind: string }) => o.kind)).toEqual(['CiliumBGPClusterConfig', 'CiliumBGPClusterConfig', 'CiliumBGPPeerConfig', 'CiliumBGPPeerConfig', 'CiliumBGPAdvertisement']);
    expect(out.note).toMatch(/has no v2 BGP resources \(they arrived in 1\.16\)/);
    expect(out.yaml).toContain('apiVersion: cilium.io/v2\nkind: CiliumBGPClusterConfig');
  });
});

describe('policy set on the v2 objects', () => {
  it('peer config timers, advertisement attributes and cluster config fields; what the 1.18 API server refuses is exit 2', async () => {
    const { editPolicy } = await import('../../lab/drills/policy.js');
    const t = loadTopology('cilium-bgp-v2');
    const hold = editPolicy(t, 'rack0-peer', 'holdTimeSeconds', '30');
    expect(hold.from).toBeUndefined();
    const i = desiredAgents(hold.topology)[0]!;
    expect(i.state === 'configured' && i.agent.instances[0]!.neighbors[0]!.timers).toEqual({ connectRetry: 120, holdTime: 30, keepalive: 30 });
    const lp = editPolicy(t, 'pod-cidr', 'communities', '65005:1,65005:2');
    const j = desiredAgents(lp.topology)[3]!;
    expect(j.state === 'configured' && j.agent.instances[0]!.paths[0]!.communities).toEqual(['65005:1', '65005:2']);
    expect(editPolicy(t, 'rack1', 'peerASN', '65009').topology.cilium.bgpClusterConfigs[1]!.bgpInstances[0]!.peers[0]!.peerASN).toBe(65009);
    const r = await cli(['--topology', 'cilium-bgp-v2', 'policy', 'set', 'rack0-peer', 'keepAliveTimeSeconds', '100']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/keepAliveTimeSeconds can not be larger than holdTimeSeconds \(100 > 90\); the API server refuses it/);
  });
});

describe('drill cilium-upgrade-1-19 (its model change and verdict)', () => {
  it('upgrading leaves every node unsupported; the migration configures each as before', () => {
    const seed = loadTopology();
    const up = upgradedTopology(seed);
    expect(up.cilium.version).toBe(UPGRADED_VERSION);
    expect(desiredAgents(up).map((i) => i.state)).toEqual(Array(4).fill('unsupported'));
    expect(modelFixed(up)).toEqual({ ok: false, unpeered: seed.cluster.nodes.map((n) => n.name) });
    const fixed = migratedTopology(up);
    expect(modelFixed(fixed)).toEqual({ ok: true, unpeered: [] });
    expect(agents(fixed)).toEqual(agents(seed));
    const s = findScenario('cilium-upgrade-1-19');
    const f = s.target(seed);
    expect(s.fix(f)).toEqual(['policy migrate --apply']);
    expect(s.hints(f)[2]).toContain('policy migrate --apply');
  });
});
