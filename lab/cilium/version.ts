// Cilium releases the lab models, and what each one has. One table, read by the schema (which
// fields and kinds a version accepts), the agent model (defaults), renderers and outputs.

/** The minor releases the lab models; 1.14 is the seed's. */
export const CILIUM_MINORS = ['1.14', '1.15', '1.16', '1.17', '1.18', '1.19'] as const;
export type CiliumMinor = (typeof CILIUM_MINORS)[number];

/** `1.18.3`, `v1.14.0-rc.0` → `1.18`; undefined for a release the lab does not model. */
export function ciliumMinor(version: string): CiliumMinor | undefined {
  const m = /^v?(\d+)\.(\d+)\./.exec(version);
  const minor = m ? `${Number(m[1])}.${Number(m[2])}` : '';
  return (CILIUM_MINORS as readonly string[]).includes(minor) ? (minor as CiliumMinor) : undefined;
}

export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}

/** CiliumBGPClusterConfig & co. exist (v2alpha1 in 1.16–1.17, cilium.io/v2 from 1.18). */
export const hasBgpV2Objects = (version: string) => versionAtLeast(version, 1, 16);
/** The API group version of the v2 BGP resources in this release. */
export const bgpV2ApiVersion = (version: string) => (versionAtLeast(version, 1, 18) ? 'cilium.io/v2' : 'cilium.io/v2alpha1');
/** CiliumBGPPeeringPolicy exists (deprecated in 1.18, removed in 1.19). */
export const hasPeeringPolicy = (version: string) => !versionAtLeast(version, 1, 19);
