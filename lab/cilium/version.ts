// Cilium releases the lab models, and what each one has. One table, read by the schema (which
// fields and kinds a version accepts), the agent model (defaults), renderers and outputs.
// Sources: the CRDs in ../shared/oracles/cilium/{v1.14,v1.16.8,v1.18.0-pre.3,v1.19.0-pre.4,main}
// (a field in the 1.16.8 CRD and not in the 1.14 one arrived in 1.15: upstream CHANGELOG and
// the v1.15 docs "BGP Control Plane" page agree) and pkg/k8s/apis/cilium.io/v2alpha1/bgpp_types.go.

/** The minor releases the lab models; 1.14 is the seed's. */
export const CILIUM_MINORS = ['1.14', '1.15', '1.16', '1.17', '1.18', '1.19'] as const;
export type CiliumMinor = (typeof CILIUM_MINORS)[number];

/** `1.18.3`, `v1.14.0-rc.0` → `1.18`; undefined for a release the lab does not model. */
export function ciliumMinor(version: string): CiliumMinor | undefined {
  const m = /^v?(\d+)\.(\d+)(\.|$)/.exec(version);
  const minor = m ? `${Number(m[1])}.${Number(m[2])}` : '';
  return (CILIUM_MINORS as readonly string[]).includes(minor) ? (minor as CiliumMinor) : undefined;
}

export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}

/** `1.15` → [1, 15]. */
const parts = (minor: string) => minor.split('.').map(Number) as [number, number];
export const atLeast = (version: string, minor: string) => versionAtLeast(version, ...parts(minor));

/** CiliumBGPClusterConfig & co. exist (v2alpha1 in 1.16–1.17, cilium.io/v2 from 1.18). */
export const hasBgpV2Objects = (version: string) => versionAtLeast(version, 1, 16);
/** The API group version of the v2 BGP resources in this release. */
export const bgpV2ApiVersion = (version: string) => (versionAtLeast(version, 1, 18) ? 'cilium.io/v2' : 'cilium.io/v2alpha1');
/** CiliumBGPPeeringPolicy exists (deprecated in 1.18, removed in 1.19: no CRD in v1.19.0-pre.4). */
export const hasPeeringPolicy = (version: string) => !versionAtLeast(version, 1, 19);
/**
 * A node two peering policies select, at run time: 1.14–1.15 withdraw everything
 * (pkg/bgpv1/agent/controller.go `Reconcile`: selection error → `FullWithdrawal`, v1.14.0-rc.0,
 * v1.15.0-rc.1); 1.16–1.18 return the error before anything is applied or cleaned up (the
 * BGPv1/v2 mode table of `Reconcile`, from commit aab2b649 in v1.16.0-pre.3; still so in v1.16.8,
 * v1.17.6, v1.18.0-pre.3), so an agent already running keeps what it last applied. 1.19 has no
 * peering policy (pkg/bgp/agent/controller.go reads only the CiliumBGPNodeConfig).
 */
export const keepsStateOnPolicyConflict = (version: string) => versionAtLeast(version, 1, 16) && hasPeeringPolicy(version);
/** CiliumBGPNodeConfigOverride is in the lab's model from 1.16 (v2alpha1), v2 from 1.18. */
export const hasNodeConfigOverride = hasBgpV2Objects;

/**
 * The release that brought a field or value, by its path in the topology (`*` for list items).
 * A topology for an older release that uses it is refused, naming this release.
 */
export const FIELD_SINCE: Record<string, CiliumMinor> = {
  // CiliumBGPPeeringPolicy (v2alpha1): the 1.16.8 CRD has these, the 1.14 one not.
  'bgpPeeringPolicies[*].virtualRouters[*].podIPPoolSelector': '1.15',
  'bgpPeeringPolicies[*].virtualRouters[*].serviceAdvertisements': '1.15',
  'bgpPeeringPolicies[*].virtualRouters[*].neighbors[*].families': '1.15',
  'bgpPeeringPolicies[*].virtualRouters[*].neighbors[*].advertisedPathAttributes': '1.15',
  'bgpPeeringPolicies[*].virtualRouters[*].neighbors[*].authSecretRef': '1.15',
  // The v2 resources (1.16); the fields the 1.18 CRDs added to them.
  bgpClusterConfigs: '1.16',
  bgpPeerConfigs: '1.16',
  bgpAdvertisements: '1.16',
  bgpNodeConfigOverrides: '1.16',
  'bgpClusterConfigs[*].bgpInstances[*].localPort': '1.18',
};

/** Values of an enum that arrived later: `path=value`. */
export const VALUE_SINCE: Record<string, CiliumMinor> = {
  'bgpAdvertisements[*].advertisements[*].advertisementType=Interface': '1.19',
};

/** The Helm chart the real lab installs for a release (a published chart version; see ../shared/oracles). */
export const CHART_VERSION: Record<CiliumMinor, string> = {
  '1.14': '1.14.0-rc.0',
  '1.15': '1.15.16',
  '1.16': '1.16.8',
  '1.17': '1.17.6',
  '1.18': '1.18.0',
  '1.19': '1.19.0-pre.4',
};

/** The oracle directory whose CRDs describe a release (1.15 and 1.17: the next one that has them). */
export const ORACLE_DIR: Record<CiliumMinor, string> = {
  '1.14': 'v1.14',
  '1.15': 'v1.16.8',
  '1.16': 'v1.16.8',
  '1.17': 'v1.18.0-pre.3',
  '1.18': 'v1.18.0-pre.3',
  '1.19': 'v1.19.0-pre.4',
};
