// What the drill would cost in the real lab: the lab runs fast timers (hold 9 s, keepalive 3 s,
// connectRetry 1 s on the nodes and the routers) and, with --fast-connect, lets the leaves open
// the node sessions. Each report says which mode and timers the lab ran, and for a fault whose
// recovery is bound to a timer, what the same drill would cost with Cilium's defaults (and FRR's
// on the routers), computed from the scenario's mechanism and the measured figures. Computed
// figures are marked as such: nothing here is measured except what the prober and the clock saw.
import type { Topology } from '../topology/schema.js';
import { CILIUM_DEFAULT_TIMERS, LAB_FAST_TIMERS, configuredAgents, effectiveTimers, type BgpTimers } from '../cilium/desired.js';

export type ConnectMode = 'cilium' | 'fast-connect';

/** The lab's routers: `frr defaults datacenter` (keepalive 3, hold 9) and `timers connect 1` (lab/render/frr.ts). */
export const LAB_ROUTER_TIMERS: BgpTimers = { connectRetry: 1, holdTime: 9, keepalive: 3 };
/** A real VyOS/FRR router: FRR's traditional defaults (keepalive 60, hold 180, connect-retry 120). */
export const FRR_DEFAULT_TIMERS: BgpTimers = { connectRetry: 120, holdTime: 180, keepalive: 60 };
/** GoBGP's first connect of a new neighbor (minConnectRetryInterval 5 s + jitter, pkg/server/fsm.go). */
export const GOBGP_FIRST_CONNECT_S = { min: 5, max: 10 };

export interface RealCost {
  connectMode: ConnectMode;
  /** One line: who opens the node sessions, and when. */
  connectModeText: string;
  /** One line: the timers here against Cilium's and FRR's defaults. */
  timersText: string;
  timers: {
    /** The nodes' (Cilium's GoBGP) timers in force here, Cilium's defaults, and which the objects set. */
    node: { lab: BgpTimers; cilium: BgpTimers; explicit: string[] };
    /** The routers (FRR): here, and FRR's defaults on a real router. */
    router: { lab: BgpTimers; real: BgpTimers };
  };
  /** A node session's negotiated hold (the smaller of both ends): here, and with the defaults. */
  nodeHold: { lab: number; real: number };
  /** The scenario's recovery waits on a BGP timer or connect delay. */
  timerBound: boolean;
  /** What detects the fault and what brings it back, here and with the defaults (computed lines say so). */
  lines: string[];
  /** The outage with the defaults, computed (not measured) from the time of the fix. */
  computed?: { outageMs: { min: number; max: number }; formula: string };
}

type Mechanism = {
  /** How the fabric notices: the TCP session closes (a killed daemon, a NOTIFICATION, a link down), or nothing BGP sees. */
  detect: 'closed' | 'link' | 'none';
  /** What brings it back after the fix: a node (re)connects, a new neighbor's first connect, routers reconnect, a restarted router connects at once. */
  recover: 'node-connect' | 'new-neighbor' | 'router-connect' | 'router-restart' | 'none';
  flaps?: boolean;
  /** Whose sessions the fault hits: a node's (Cilium's timers against the leaf's) or two routers' (FRR's). */
  sessions?: 'node' | 'router';
};

const MECHANISMS: Record<string, Mechanism> = {
  'agent-crash': { detect: 'closed', recover: 'node-connect', sessions: 'node' },
  'spine-down': { detect: 'closed', recover: 'router-restart', sessions: 'router' },
  'leaf-uplink-down': { detect: 'link', recover: 'router-connect', sessions: 'router' },
  'link-flap': { detect: 'link', recover: 'router-connect', flaps: true, sessions: 'router' },
  'wrong-peer-asn': { detect: 'closed', recover: 'new-neighbor', sessions: 'node' },
  'wrong-neighbor-address': { detect: 'closed', recover: 'new-neighbor', sessions: 'node' },
  'cilium-upgrade-1-19': { detect: 'closed', recover: 'new-neighbor', sessions: 'node' },
};

const s = (n: number) => `${n} s`;
const fmt = (ms: number) => (ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`);
/** A range in one unit: `47.0-52.0 s`, `0.7-2.7 min`. */
const range = (a: number, b: number) => (b < 120_000 ? `${(a / 1000).toFixed(1)}-${(b / 1000).toFixed(1)} s` : `${(a / 60_000).toFixed(1)}-${(b / 60_000).toFixed(1)} min`);
const timersText = (t: BgpTimers) => `hold ${t.holdTime} s / keepalive ${t.keepalive} s / connectRetry ${t.connectRetry} s`;

export function connectModeText(mode: ConnectMode): string {
  return mode === 'cilium'
    ? `connect mode: as Cilium (no listener on the nodes; each node opens its sessions, GoBGP's first connect after ${GOBGP_FIRST_CONNECT_S.min}-${GOBGP_FIRST_CONNECT_S.max} s)`
    : `connect mode: --fast-connect (a listener on each node; the leaves open the sessions within 1 s; Cilium has no listener: there the node opens them after ${GOBGP_FIRST_CONNECT_S.min}-${GOBGP_FIRST_CONNECT_S.max} s)`;
}

/** The nodes' timers in force (explicit policy values win; else the lab's fast ones) and Cilium's. */
export function nodeTimers(topo: Topology | undefined): RealCost['timers']['node'] {
  const n = topo ? configuredAgents(topo).flatMap((a) => a.instances.flatMap((i) => i.neighbors))[0] : undefined;
  if (!n) return { lab: LAB_FAST_TIMERS, cilium: CILIUM_DEFAULT_TIMERS, explicit: [] };
  return { lab: effectiveTimers(n, 'lab'), cilium: effectiveTimers(n, 'cilium'), explicit: Object.keys(n.explicitTimers) };
}

/** The lab's connect mode and timers against the defaults: what `drill status` says of any drill (no scenario named). */
export function labTimers(mode: ConnectMode, topo: Topology | undefined): Pick<RealCost, 'connectMode' | 'connectModeText' | 'timers' | 'nodeHold'> & { timersText: string } {
  const node = nodeTimers(topo);
  const router = { lab: LAB_ROUTER_TIMERS, real: FRR_DEFAULT_TIMERS };
  const nodeHold = { lab: Math.min(node.lab.holdTime, router.lab.holdTime), real: Math.min(node.cilium.holdTime, router.real.holdTime) };
  const text = `timers here: nodes ${timersText(node.lab)}${node.explicit.length ? ` (${node.explicit.join(', ')} set by the policy)` : ' (the lab\'s fast defaults)'}, routers ${timersText(router.lab)}; Cilium's defaults ${timersText(node.cilium)}, FRR's ${timersText(router.real)}`;
  return { connectMode: mode, connectModeText: connectModeText(mode), timers: { node, router }, nodeHold, timersText: text };
}

export interface Measured {
  /** From the fault to the fix command (absent: not fixed). */
  mitigationMs?: number;
  /** From the last fix command to traffic back for good (prober). */
  trafficBackMs?: number;
  /** The prober's outage in all. */
  outageMs: number;
}

/** The real lab's cost of this scenario, from its mechanism, the lab's mode and timers, and the measured figures. */
export function realCost(scenarioId: string, mode: ConnectMode, topo: Topology | undefined, m: Measured): RealCost {
  const base = labTimers(mode, topo);
  const { node, router } = base.timers;
  const mech = MECHANISMS[scenarioId] ?? { detect: 'none', recover: 'none' };
  const lines: string[] = [];
  const timerBound = mech.recover !== 'none' && mech.recover !== 'router-restart';
  const hold =
    mech.sessions === 'router'
      ? `${s(router.lab.holdTime)} here, up to ${s(router.real.holdTime)} with FRR's default hold between routers`
      : `${s(base.nodeHold.lab)} here, up to ${s(base.nodeHold.real)} with Cilium's hold ${node.cilium.holdTime} s (the smaller of both ends)`;
  if (mech.detect === 'closed' || mech.detect === 'link')
    lines.push(
      `detection: at once here (${mech.detect === 'link' ? 'the interface went down: FRR drops the session' : 'the TCP session closed'}), the same with the defaults; had the peer vanished without closing it (power loss, a hung host), by the hold timer: ${hold} (computed)`,
    );
  else lines.push('detection: not by BGP (the sessions stay up): the same with the defaults');
  // Recovery after the fix, here and with the defaults (seconds).
  let here: { min: number; max: number } | undefined;
  let real: { min: number; max: number } | undefined;
  const first = GOBGP_FIRST_CONNECT_S;
  switch (mech.recover) {
    case 'node-connect':
    case 'new-neighbor':
      here = mode === 'cilium' ? first : { min: 0, max: router.lab.connectRetry };
      real = first;
      lines.push(
        `reconnect after the fix: ${mode === 'cilium' ? `the node opens the session after GoBGP's first connect (${first.min}-${first.max} s), as in Cilium` : `the leaf connects within its connectRetry ${router.lab.connectRetry} s here (--fast-connect); in Cilium the node opens it after GoBGP's first connect, ${first.min}-${first.max} s`}${mech.recover === 'node-connect' ? `; a node that cannot connect then retries every connectRetry: ${node.lab.connectRetry} s here, ${node.cilium.connectRetry} s in Cilium` : ''}`,
      );
      break;
    case 'router-connect':
      here = { min: 0, max: router.lab.connectRetry };
      real = { min: 0, max: router.real.connectRetry };
      lines.push(`reconnect after the link is back: at the next connectRetry, ${s(router.lab.connectRetry)} here, up to ${s(router.real.connectRetry)} with FRR's defaults (computed)`);
      if (mech.flaps) lines.push(`with connectRetry ${router.real.connectRetry} s the session would stay down between flaps of a few seconds: fewer resets, one path for most of the drill (computed)`);
      break;
    case 'router-restart':
      lines.push("reconnect after the restart: the restarted bgpd opens its sessions at once (FRR's 1 s start timer), the same with the defaults");
      break;
    default:
      lines.push('recovery: not bound to a BGP timer: the same with the defaults');
  }
  let computed: RealCost['computed'];
  if (real && here && m.mitigationMs !== undefined && !mech.flaps) {
    computed = {
      outageMs: { min: m.mitigationMs + real.min * 1000, max: m.mitigationMs + real.max * 1000 },
      formula: `time to the fix ${fmt(m.mitigationMs)} (measured) + reconnect ${real.min}-${real.max} s with the defaults (computed), against ${m.trafficBackMs !== undefined ? `traffic back ${fmt(m.trafficBackMs)} after the fix here (measured)` : `${here.min}-${here.max} s here`}`,
    };
    lines.push(`outage with ${mech.sessions === 'router' ? "FRR's" : "Cilium's"} defaults (computed, not measured): ${range(computed.outageMs.min, computed.outageMs.max)} = ${computed.formula}`);
  } else if (real && here && !mech.flaps) lines.push(`not fixed during the drill: with the defaults the recovery after a fix would take ${real.min}-${real.max} s instead of ${here.min}-${here.max} s (computed)`);
  return { ...base, timerBound, lines, computed };
}
