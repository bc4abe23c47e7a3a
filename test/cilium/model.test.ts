// The Cilium agent model per version (lab/cilium/desired.ts): what each node's agent would run,
// computed from the lab's Cilium objects with Cilium's selection, validation and defaults; and
// what `topo validate` refuses (the API server / CRD would) or warns about (Cilium accepts it).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { parseTopology, loadTopology } from '../../lab/topology/load.js';
import { desiredAgents, type AgentIntent, type DesiredAgent } from '../../lab/cilium/desired.js';
import { policyForNode, sessions } from '../../lab/topology/model.js';
import { DEFAULT_TOPOLOGY_FILE } from '../../lab/paths.js';
import { TopologySchema } from '../../lab/topology/schema.js';

const seedRaw = () => parse(readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8'));
/** The seed with an edit, through the same loader `topo validate` uses. */
function seedWith(edit: (t: any) => void) {
  const raw = seedRaw();
  edit(raw);
  return parseTopology(stringify(raw));
}
const errors = (r: ReturnType<typeof parseTopology>) => r.issues.filter((i) => i.severity !== 'warning');
const warnings = (r: ReturnType<typeof parseTopology>) => r.issues.filter((i) => i.severity === 'warning');
const byNode = (intents: AgentIntent[]) => Object.fromEntries(intents.map((i) => [i.node, i]));
const agent = (i: AgentIntent | undefined): DesiredAgent => {
  if (i?.state !== 'configured') throw new Error(`not configured: ${JSON.stringify(i)}`);
  return i.agent;
};
const RACK0 = ['cilium-bgp-control-plane', 'cilium-bgp-worker'];
const RACK1 = ['cilium-bgp-worker2', 'cilium-bgp-worker3'];

describe('selection as the agent does it', () => {
  it('a node selected by two policies gets none (conflict, both named); the other rack is unaffected', () => {
    const r = seedWith((t) => {
      const dup = structuredClone(t.cilium.bgpPeeringPolicies[0]);
      dup.name = 'rack0-dup';
      t.cilium.bgpPeeringPolicies.push(dup);
    });
    expect(errors(r)).toEqual([]);
    const intents = byNode(desiredAgents(r.topology!));
    for (const n of RACK0) {
      expect(intents[n]!.state).toBe('conflict');
      expect(intents[n]).toMatchObject({ sources: ['CiliumBGPPeeringPolicy rack0', 'CiliumBGPPeeringPolicy rack0-dup'] });
      expect(policyForNode(r.topology!, r.topology!.cluster.nodes.find((x) => x.name === n)!)).toBeUndefined();
    }
    for (const n of RACK1) expect(agent(intents[n]).instances[0]!.neighbors.map((x) => x.peerAddress)).toEqual(['10.1.8.1']);
    // No session of rack0's nodes is expected; rack1's are.
    const nodeSessions = sessions(r.topology!).filter((s) => s.deviceKind === 'node').map((s) => s.device);
    expect(nodeSessions.sort()).toEqual(RACK1);
    // The warning names both policies and the consequence; no "selects no node" for the duplicate.
    const w = warnings(r).map((i) => i.message).join('\n');
    expect(w).toMatch(/cilium-bgp-control-plane and cilium-bgp-worker are selected by policies rack0-dup and rack0: Cilium applies no policy at all/);
    expect(w).not.toMatch(/selects no node/);
  });

  it('matchExpressions are ANDed with matchLabels (In, NotIn, Exists, DoesNotExist); a nil nodeSelector selects every node', () => {
    const r = seedWith((t) => {
      t.cluster.nodes[1].labels.maint = 'yes';
      t.cilium.bgpPeeringPolicies[0].nodeSelector = { matchLabels: { rack: 'rack0' }, matchExpressions: [{ key: 'maint', operator: 'DoesNotExist' }, { key: 'rack', operator: 'In', values: ['rack0', 'rackX'] }] };
      t.cilium.bgpPeeringPolicies[1].nodeSelector = { matchExpressions: [{ key: 'rack', operator: 'NotIn', values: ['rack0'] }] };
    });
    expect(errors(r)).toEqual([]);
    const intents = byNode(desiredAgents(r.topology!));
    expect(agent(intents['cilium-bgp-control-plane']).sources).toEqual(['CiliumBGPPeeringPolicy rack0']);
    expect(intents['cilium-bgp-worker']!.state).toBe('unselected');
    for (const n of RACK1) expect(agent(intents[n]).sources).toEqual(['CiliumBGPPeeringPolicy rack1']);

    // A nil nodeSelector: every node (the model; `topo validate` then says leaf0's nodes run AS 65008, not 65005).
    const raw = seedRaw();
    raw.cilium.bgpPeeringPolicies = [{ ...raw.cilium.bgpPeeringPolicies[1], nodeSelector: undefined }];
    const all = TopologySchema.parse(raw);
    expect(desiredAgents(all).map((i) => i.state === 'configured' && i.agent.sources[0])).toEqual(Array(4).fill('CiliumBGPPeeringPolicy rack1'));
    expect(seedWith((t) => (t.cilium.bgpPeeringPolicies = [{ ...t.cilium.bgpPeeringPolicies[1], nodeSelector: undefined }])).issues.map((i) => i.message)).toContain('node cilium-bgp-control-plane runs AS 65008 (CiliumBGPPeeringPolicy rack1), not 65005');
  });

  it('an In expression without values is refused (the selector cannot be built), naming the field', () => {
    const r = seedWith((t) => (t.cilium.bgpPeeringPolicies[0].nodeSelector = { matchExpressions: [{ key: 'rack', operator: 'In' }] }));
    expect(r.topology).toBeUndefined();
    expect(r.issues[0]!.path).toBe('cilium.bgpPeeringPolicies[0].nodeSelector.matchExpressions[0].values');
  });
});

describe("every 1.14 field, and the versions' fields", () => {
  it('two virtual routers give two BGP instances, each with its ASN, neighbors and paths; 1.14 fields reach the neighbor', () => {
    const r = seedWith((t) => {
      const vr = t.cilium.bgpPeeringPolicies[1].virtualRouters;
      vr[0].neighbors[0] = { peerAddress: '10.1.8.1/24', peerASN: 65008, peerPort: 1790, eBGPMultihopTTL: 4, connectRetryTimeSeconds: 5, holdTimeSeconds: 30, keepAliveTimeSeconds: 10, gracefulRestart: { enabled: true, restartTimeSeconds: 60 } };
      vr.push({ localASN: 65100, exportPodCIDR: false, serviceSelector: { matchLabels: { app: 'web' } }, neighbors: [{ peerAddress: '10.1.34.2/32', peerASN: 500 }] });
    });
    // 10.1.34.2 is spine0 (AS 500): a valid neighbor address of the fabric.
    expect(errors(r)).toEqual([]);
    const a = agent(byNode(desiredAgents(r.topology!))['cilium-bgp-worker2']);
    expect(a.instances.map((i) => [i.name, i.localASN, i.listenPort])).toEqual([['as65008', 65008, -1], ['as65100', 65100, -1]]);
    const [n0] = a.instances[0]!.neighbors;
    expect(n0).toMatchObject({ peerAddress: '10.1.8.1', peerPort: 1790, ebgpMultihopTTL: 4, timers: { connectRetry: 5, holdTime: 30, keepalive: 10 }, explicitTimers: { connectRetry: true, holdTime: true, keepalive: true }, gracefulRestart: { enabled: true, restartTimeSeconds: 60 } });
    expect(a.instances[0]!.paths.map((p) => [p.prefix, p.origin])).toEqual([['10.98.2.0/24', 'igp']]);
    expect(a.instances[1]!.neighbors.map((n) => [n.peerAddress, n.peerASN, n.timers.holdTime])).toEqual([['10.1.34.2', 500, 90]]);
    expect(a.instances[1]!.paths).toEqual([]); // no PodCIDR export; no Service in the lab matches
  });

  it('keepAliveTimeSeconds > holdTimeSeconds: accepted (the CRD has no rule) but the agent refuses the policy: its nodes are invalid, in Cilium\'s words', () => {
    const r = seedWith((t) => Object.assign(t.cilium.bgpPeeringPolicies[0].virtualRouters[0].neighbors[0], { holdTimeSeconds: 30, keepAliveTimeSeconds: 60 }));
    expect(errors(r)).toEqual([]);
    const intents = byNode(desiredAgents(r.topology!));
    for (const n of RACK0) {
      expect(intents[n]!.state).toBe('invalid');
      expect((intents[n] as { reason: string }).reason).toBe('invalid BGP peering policy rack0: KeepAliveTimeSeconds larger than HoldTimeSeconds for peer ASN:65005 IP:10.1.5.1/24');
    }
    for (const n of RACK1) expect(intents[n]!.state).toBe('configured');
    expect(warnings(r).map((w) => w.message).join('\n')).toMatch(/KeepAliveTimeSeconds larger than HoldTimeSeconds.*cilium-bgp-control-plane and cilium-bgp-worker apply nothing from it/);
  });

  it('a 1.15 field is refused for 1.14, naming 1.15; accepted for 1.16', () => {
    for (const [field, value] of [['families', [{ afi: 'ipv4', safi: 'unicast' }]], ['authSecretRef', 'bgp-auth'], ['advertisedPathAttributes', [{ selectorType: 'PodCIDR', communities: { standard: ['65000:100'] } }]]] as const) {
      const r = seedWith((t) => (t.cilium.bgpPeeringPolicies[0].virtualRouters[0].neighbors[0][field] = value));
      expect(r.topology, field).toBeUndefined();
      expect(r.issues[0]!.path).toBe(`cilium.bgpPeeringPolicies[0].virtualRouters[0].neighbors[0].${field}`);
      expect(r.issues[0]!.message).toMatch(/arrived in Cilium 1\.15; this topology is Cilium 1\.14\.0-rc\.0/);
    }
    const podPool = seedWith((t) => (t.cilium.bgpPeeringPolicies[0].virtualRouters[0].podIPPoolSelector = { matchLabels: { pool: 'a' } }));
    expect(podPool.issues[0]!.message).toMatch(/podIPPoolSelector arrived in Cilium 1\.15/);
    const v2on114 = seedWith((t) => (t.cilium.bgpPeerConfigs = [{ name: 'x' }]));
    expect(v2on114.issues[0]).toMatchObject({ path: 'cilium.bgpPeerConfigs', message: expect.stringMatching(/arrived in Cilium 1\.16/) });
    const ok = seedWith((t) => {
      t.cilium.version = '1.16.8';
      t.cilium.bgpPeeringPolicies[0].virtualRouters[0].neighbors[0].advertisedPathAttributes = [{ selectorType: 'PodCIDR', communities: { standard: ['65000:100'] }, localPreference: 200 }];
    });
    expect(errors(ok)).toEqual([]);
    const p = agent(byNode(desiredAgents(ok.topology!))['cilium-bgp-worker']).instances[0]!.paths[0]!;
    expect(p).toMatchObject({ communities: ['65000:100'], localPreference: 200, toNeighbors: ['10.1.5.1'] });
    // An unknown field is refused, not dropped.
    const typo = seedWith((t) => (t.cilium.bgpPeeringPolicies[0].virtualRouters[0].neighbors[0].holdTime = 30));
    expect(typo.topology).toBeUndefined();
    // Only modelled releases.
    expect(seedWith((t) => (t.cilium.version = '1.13.4')).issues[0]!.message).toMatch(/models Cilium 1\.14–1\.19/);
  });

  it('1.19 with only peering policies: valid with a warning naming the consequence; every node unsupported, no node session', () => {
    const r = seedWith((t) => (t.cilium.version = '1.19.0'));
    expect(errors(r)).toEqual([]);
    expect(r.topology).toBeDefined();
    expect(warnings(r).map((w) => w.message).join('\n')).toMatch(/Cilium 1\.19\.0 has no CiliumBGPPeeringPolicy \(removed in 1\.19\): policy rack0 is ignored, and cilium-bgp-control-plane and cilium-bgp-worker do not peer/);
    expect(desiredAgents(r.topology!).map((i) => i.state)).toEqual(Array(4).fill('unsupported'));
    expect(sessions(r.topology!).filter((s) => s.deviceKind === 'node')).toEqual([]);
  });
});

describe('the v2 resources', () => {
  it('cilium-bgp-v2 (1.18, cilium.io/v2) gives the same desired neighbors and paths as the seed\'s 1.14 policies', () => {
    const seed = loadTopology('cilium-bgp');
    const v2 = loadTopology('cilium-bgp-v2');
    expect(v2.cilium.version).toMatch(/^1\.18\./);
    expect(v2.cilium.bgpPeeringPolicies).toEqual([]);
    const view = (t: typeof seed) =>
      desiredAgents(t).map((i) => {
        const a = agent(i);
        return {
          node: a.node, routerId: a.instances.map((x) => x.routerId), asn: a.instances.map((x) => x.localASN),
          neighbors: a.instances.flatMap((x) => x.neighbors.map((n) => [n.peerAddress, n.peerASN, n.peerPort, n.localAddress, n.timers, n.explicitTimers, n.ebgpMultihopTTL, n.gracefulRestart])),
          paths: a.instances.flatMap((x) => x.paths.map((p) => [p.prefix, p.nexthop, p.origin, p.toNeighbors ?? 'all'])),
        };
      });
    expect(view(v2)).toEqual(view(seed));
    expect(sessions(v2)).toEqual(sessions(seed));
  });

  it('v2: advertisements by the peer config families\' label selector, attributes, node override, two cluster configs on one node', () => {
    const r = seedWith((t) => {
      t.cilium.version = '1.18.0';
      const v2 = parse(readFileSync(new URL('../../lab/topologies/cilium-bgp-v2.yaml', import.meta.url), 'utf8')).cilium;
      Object.assign(t.cilium, { bgpPeeringPolicies: [], bgpClusterConfigs: v2.bgpClusterConfigs, bgpPeerConfigs: v2.bgpPeerConfigs, bgpAdvertisements: v2.bgpAdvertisements });
      t.cilium.bgpAdvertisements[0].advertisements[0].attributes = { communities: { standard: ['65005:1'], wellKnown: ['no-export'] }, localPreference: 150 };
      t.cilium.bgpPeerConfigs[1].families[0].advertisements = { matchLabels: { advertise: 'nothing' } };
      t.cilium.bgpPeerConfigs[0].timers = { holdTimeSeconds: 30, keepAliveTimeSeconds: 10 };
      t.cilium.bgpNodeConfigOverrides = [{ name: 'cilium-bgp-worker', bgpInstances: [{ name: 'rack0-65005', routerID: '10.255.0.11' }] }];
      t.cilium.bgpClusterConfigs.push({ name: 'everyone', bgpInstances: [{ name: 'x', localASN: 65005, peers: [] }] });
    });
    expect(errors(r)).toEqual([]);
    const w = warnings(r).map((i) => i.message).join('\n');
    expect(w).toMatch(/selects no CiliumBGPAdvertisement: nothing is advertised in ipv4\/unicast to peers using rack1-peer/);
    expect(w).toMatch(/cilium-bgp-control-plane is already selected by CiliumBGPClusterConfig rack0: the operator keeps that one there/);
    const intents = byNode(desiredAgents(r.topology!));
    const w0 = agent(intents['cilium-bgp-worker']).instances[0]!;
    expect(w0.routerId).toBe('10.255.0.11');
    expect(w0.neighbors[0]).toMatchObject({ name: 'leaf0', timers: { holdTime: 30, keepalive: 10, connectRetry: 120 }, explicitTimers: { holdTime: true, keepalive: true } });
    expect(w0.paths).toEqual([{ prefix: '10.98.1.0/24', family: 'ipv4-unicast', nexthop: '10.1.5.11', origin: 'igp', reason: 'PodCIDR', source: 'CiliumBGPAdvertisement pod-cidr', communities: ['65005:1', 'no-export'], localPreference: 150 }]);
    expect(agent(intents['cilium-bgp-worker2']).instances[0]!.paths).toEqual([]);
  });

  it('v2 timers: keepalive > hold is refused by the 1.18 CRD rule, and refused by the agent (invalid) on 1.16', () => {
    const edit = (version: string) =>
      seedWith((t) => {
        t.cilium.version = version;
        const v2 = parse(readFileSync(new URL('../../lab/topologies/cilium-bgp-v2.yaml', import.meta.url), 'utf8')).cilium;
        Object.assign(t.cilium, { bgpPeeringPolicies: [], bgpClusterConfigs: v2.bgpClusterConfigs, bgpPeerConfigs: v2.bgpPeerConfigs, bgpAdvertisements: v2.bgpAdvertisements });
        t.cilium.bgpPeerConfigs[0].timers = { keepAliveTimeSeconds: 100 };
      });
    const v118 = edit('1.18.0');
    expect(v118.topology).toBeUndefined();
    expect(v118.issues[0]).toMatchObject({ path: 'cilium.bgpPeerConfigs[0].timers', message: expect.stringMatching(/keepAliveTimeSeconds can not be larger than holdTimeSeconds \(100 > 90\); the API server refuses it/) });
    const v116 = edit('1.16.8');
    expect(errors(v116)).toEqual([]);
    expect(desiredAgents(v116.topology!).map((i) => i.state)).toEqual(['invalid', 'invalid', 'configured', 'configured']);
  });
});
