// The Kubernetes objects of the lab's Cilium model: what `render` writes and the kind driver
// applies, from the same topology lists the agent model (desired.ts) reads. Field names are the
// CRDs' (../shared/oracles/cilium/*); only fields the model sets are written.
import type { BgpAdvertisement, BgpClusterConfig, BgpNodeConfigOverride, BgpPeerConfig, PeeringPolicy, Topology } from '../topology/schema.js';
import { addressOf } from '../topology/ip.js';
import { ownerOfAddress } from '../topology/model.js';
import { bgpV2ApiVersion, hasBgpV2Objects, hasPeeringPolicy } from './version.js';

type Obj = Record<string, unknown>;

/** A copy without undefined fields (YAML and the CRD validation see only what is set). */
function clean<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

const spec = <T extends { name: string }>(o: T) => {
  const { name: _name, ...rest } = o;
  return clean(rest);
};

export function peeringPolicyObject(p: PeeringPolicy): Obj {
  return { apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumBGPPeeringPolicy', metadata: { name: p.name }, spec: spec(p) };
}

export function clusterConfigObject(c: BgpClusterConfig, version: string): Obj {
  return { apiVersion: bgpV2ApiVersion(version), kind: 'CiliumBGPClusterConfig', metadata: { name: c.name }, spec: spec(c) };
}
export function peerConfigObject(c: BgpPeerConfig, version: string): Obj {
  return { apiVersion: bgpV2ApiVersion(version), kind: 'CiliumBGPPeerConfig', metadata: { name: c.name }, spec: spec(c) };
}
export function advertisementObject(a: BgpAdvertisement, version: string): Obj {
  const { labels, ...rest } = spec(a);
  return { apiVersion: bgpV2ApiVersion(version), kind: 'CiliumBGPAdvertisement', metadata: { name: a.name, ...(Object.keys(labels).length ? { labels } : {}) }, spec: rest };
}
export function nodeConfigOverrideObject(o: BgpNodeConfigOverride, version: string): Obj {
  return { apiVersion: bgpV2ApiVersion(version), kind: 'CiliumBGPNodeConfigOverride', metadata: { name: o.name }, spec: spec(o) };
}

/** The model's objects the version has (a 1.19 model's peering policies have no CRD to go to). */
export function modelObjects(topo: Topology, version = topo.cilium.version): Obj[] {
  const c = topo.cilium;
  return [
    ...(hasPeeringPolicy(version) ? c.bgpPeeringPolicies.map(peeringPolicyObject) : []),
    ...(hasBgpV2Objects(version)
      ? [
          ...c.bgpClusterConfigs.map((x) => clusterConfigObject(x, version)),
          ...c.bgpPeerConfigs.map((x) => peerConfigObject(x, version)),
          ...c.bgpAdvertisements.map((x) => advertisementObject(x, version)),
          ...c.bgpNodeConfigOverrides.map((x) => nodeConfigOverrideObject(x, version)),
        ]
      : []),
  ];
}

export interface MigratedObjects {
  bgpClusterConfigs: BgpClusterConfig[];
  bgpPeerConfigs: BgpPeerConfig[];
  bgpAdvertisements: BgpAdvertisement[];
}

/**
 * The v2 resources equivalent to the peering policies, as the upstream migration guide maps
 * them (Documentation/network/bgp-control-plane/bgp-control-plane-v2.rst, "Migrating from
 * CiliumBGPPeeringPolicy"): a policy → a CiliumBGPClusterConfig with its nodeSelector, one
 * bgpInstance per virtual router; each neighbor → a peer with a CiliumBGPPeerConfig carrying its
 * timers, port, multihop and graceful restart; exportPodCIDR → a PodCIDR CiliumBGPAdvertisement,
 * serviceSelector → a Service one, selected by the peer config's families. Peers are named after
 * the device that owns the address.
 */
export function migratePolicies(topo: Topology): MigratedObjects {
  const out: MigratedObjects = { bgpClusterConfigs: [], bgpPeerConfigs: [], bgpAdvertisements: [] };
  const peerConfigs = new Map<string, BgpPeerConfig>();
  const adverts = new Map<string, BgpAdvertisement>();
  for (const p of topo.cilium.bgpPeeringPolicies) {
    const instances: BgpClusterConfig['bgpInstances'] = p.virtualRouters.map((vr, v) => {
      // One advertisement label per distinct set of things to advertise.
      const kinds = [vr.exportPodCIDR ? 'pod-cidr' : '', vr.serviceSelector ? `${p.name}-services${v ? `-${v}` : ''}` : ''].filter(Boolean);
      if (vr.exportPodCIDR && !adverts.has('pod-cidr'))
        adverts.set('pod-cidr', { name: 'pod-cidr', labels: { advertise: 'pod-cidr' }, advertisements: [{ advertisementType: 'PodCIDR' }] });
      if (vr.serviceSelector) {
        const name = kinds.at(-1)!;
        adverts.set(name, {
          name,
          labels: { advertise: name },
          advertisements: [{ advertisementType: 'Service', selector: clean(vr.serviceSelector), service: { addresses: [...(vr.serviceAdvertisements?.length ? vr.serviceAdvertisements : ['LoadBalancerIP' as const])] } }],
        });
      }
      // The peer config's families select them by the `advertise` label.
      const selector = kinds.length === 1 ? { matchLabels: { advertise: kinds[0]! } } : kinds.length ? { matchExpressions: [{ key: 'advertise', operator: 'In' as const, values: kinds }] } : undefined;
      return {
        name: `${p.name}-${vr.localASN}`.slice(0, 63).replace(/-+$/, ''),
        localASN: vr.localASN,
        peers: vr.neighbors.map((n) => {
          const pcSpec: Omit<BgpPeerConfig, 'name'> = clean({
            timers:
              n.connectRetryTimeSeconds ?? n.holdTimeSeconds ?? n.keepAliveTimeSeconds
                ? { connectRetryTimeSeconds: n.connectRetryTimeSeconds, holdTimeSeconds: n.holdTimeSeconds, keepAliveTimeSeconds: n.keepAliveTimeSeconds }
                : undefined,
            transport: n.peerPort !== undefined ? { peerPort: n.peerPort } : undefined,
            ebgpMultihop: n.eBGPMultihopTTL,
            gracefulRestart: n.gracefulRestart,
            authSecretRef: n.authSecretRef,
            families: (n.families?.length ? n.families : [{ afi: 'ipv4' as const, safi: 'unicast' as const }]).map((f) => ({ afi: f.afi, safi: f.safi, advertisements: selector })),
          });
          // Neighbors of a policy with the same settings share one peer config.
          const key = JSON.stringify([p.name, pcSpec]);
          let pc = peerConfigs.get(key);
          if (!pc) {
            const n = [...peerConfigs.keys()].filter((k) => JSON.parse(k)[0] === p.name).length;
            pc = { name: `${p.name}-peer${n ? `-${n + 1}` : ''}`, ...pcSpec };
            peerConfigs.set(key, pc);
          }
          const ip = addressOf(n.peerAddress);
          return { name: ownerOfAddress(topo, ip)?.name ?? `peer-${ip.replace(/\./g, '-')}`, peerAddress: ip, peerASN: n.peerASN, peerConfigRef: { name: pc.name } };
        }),
      };
    });
    out.bgpClusterConfigs.push(clean({ name: p.name, nodeSelector: p.nodeSelector, bgpInstances: instances }));
  }
  out.bgpPeerConfigs = [...peerConfigs.values()];
  out.bgpAdvertisements = [...adverts.values()];
  return out;
}

/** The topology with its peering policies replaced by the equivalent v2 resources (for `version`). */
export function migratedTopology(topo: Topology, version = topo.cilium.version): Topology {
  const t = structuredClone(topo);
  const m = migratePolicies(topo);
  t.cilium.version = version;
  t.cilium.bgpPeeringPolicies = [];
  t.cilium.bgpClusterConfigs = [...t.cilium.bgpClusterConfigs, ...m.bgpClusterConfigs];
  t.cilium.bgpPeerConfigs = [...t.cilium.bgpPeerConfigs, ...m.bgpPeerConfigs];
  t.cilium.bgpAdvertisements = [...t.cilium.bgpAdvertisements, ...m.bgpAdvertisements];
  return t;
}
