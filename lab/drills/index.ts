// Every drill scenario, in the order `drill list` shows them; --random picks among these.
import type { Scenario } from './types.js';
import { UsageError, closest } from '../errors.js';
import spineDown from './spine-down.js';
import leafUplinkDown from './leaf-uplink-down.js';
import linkFlap from './link-flap.js';
import wrongPeerAsn from './wrong-peer-asn.js';
import exportPodCidrOff from './export-podcidr-off.js';
import agentCrash from './agent-crash.js';
import mtuMismatch from './mtu-mismatch.js';
import lossySpineLink from './lossy-spine-link.js';
import leafBlackhole from './leaf-blackhole.js';
import wrongNeighborAddress from './wrong-neighbor-address.js';
import ciliumUpgrade119 from './cilium-upgrade-1-19.js';
import serviceNotAdvertised from './service-not-advertised.js';
import etpLocalNoEndpoints from './etp-local-no-endpoints.js';
import lbPoolConflict from './lb-pool-conflict.js';
import type { Topology } from '../topology/schema.js';
import dualStackV6SessionDown from './dual-stack-v6-session-down.js';
import { hasIpv6 } from '../topology/model.js';
/** Dual-stack drills: offered only on a topology with IPv6 (cilium-bgp-dual). */
export const dualScenarios = [dualStackV6SessionDown] as unknown as Scenario[];

export const scenarios = [
  spineDown,
  leafUplinkDown,
  linkFlap,
  wrongPeerAsn,
  exportPodCidrOff,
  agentCrash,
  mtuMismatch,
  lossySpineLink,
  leafBlackhole,
  wrongNeighborAddress,
  ciliumUpgrade119,
] as unknown as Scenario[];

/** Drills of LoadBalancer Services: they need a topology with Services and a client (cilium-bgp-lb). */
export const serviceScenarios = [serviceNotAdvertised, etpLocalNoEndpoints, lbPoolConflict] as unknown as Scenario[];
/** What `drill list` offers for a topology: the service drills only where they can run. */
export const scenariosFor = (t: Topology): Scenario[] => [...(t.services?.length && t.client ? [...scenarios, ...serviceScenarios] : scenarios), ...(hasIpv6(t) ? dualScenarios : [])];

export const SCENARIO_IDS = [...scenarios, ...serviceScenarios, ...dualScenarios].map((s) => s.id);

export function findScenario(id: string): Scenario {
  const s = [...scenarios, ...serviceScenarios, ...dualScenarios].find((x) => x.id === id);
  if (!s) {
    const guess = closest(id, SCENARIO_IDS);
    throw new UsageError(`no drill scenario "${id}"`, `${guess ? `did you mean ${guess}? ` : ''}see \`drill list\``);
  }
  return s;
}

/** Deterministic pick for --seed (mulberry32): the same seed gives the same scenario; never `avoid` (the lab's last random drill). */
export function pickScenario(seed: number, avoid?: string): Scenario {
  let a = seed >>> 0;
  a = (a + 0x6d2b79f5) >>> 0;
  let t = Math.imul(a ^ (a >>> 15), 1 | a);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  const i = Math.floor(r * scenarios.length);
  return scenarios[scenarios[i]!.id === avoid ? (i + 1) % scenarios.length : i]!;
}
