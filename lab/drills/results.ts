// Result objects of the drill and operator commands: what handlers return, what every
// surface renders, and exactly what --json prints.
import type { CheckResult } from '../results.js';
import type { DrillAction, DrillPhase, ScoreEntry } from '../state/drill-state.js';
import type { ProberReport } from './prober.js';
import type { TimelineEntry } from './timeline.js';
import type { Postmortem } from '../gameday/postmortem.js';

export interface DrillListResult {
  scenarios: { id: string; title: string }[];
}

export interface DrillStartResult {
  lab: string;
  /** Absent when started with --random: the responder must find out. */
  id?: string;
  title?: string;
  page: string;
  /** The drill's own ID (`drill report ID`). */
  drillId?: string;
  /** Slack user IDs / usergroups the page mentions. */
  paged?: string[];
  /** Display name of the game master (who started or scheduled it). */
  gameMaster?: string;
  limits?: { abortAfterMs?: number; abortIfOutageMs?: number };
  startedAt: string;
  startedBy: string;
  seed?: number;
  hintsAvailable: number;
  /** The leaves' tables stopped changing this long after injection; undefined: no route changed. */
  injectConvergenceMs?: number;
  /** false when the leaves were still changing at the deadline (a flapping link). */
  settled: boolean;
}

export interface DrillStatusResult {
  lab: string;
  running: boolean;
  /** Where `drill start` is (or stopped): `running` once it finished. */
  phase?: DrillPhase;
  /** `drill start` stopped before `running` and its process is gone: `drill end` restores. */
  interrupted?: boolean;
  /** Only what is known: `no` before injection began, `maybe` while (or if killed while) injecting. */
  faultInjected?: 'yes' | 'maybe' | 'no';
  id?: string;
  title?: string;
  page?: string;
  startedAt?: string;
  startedBy?: string;
  /** Since injection; absent while no fault was injected. */
  elapsedMs?: number;
  hintsUsed?: number;
  resolved?: boolean;
  actions?: DrillAction[];
  prober?: ProberReport;
  drillId?: string;
  gameMaster?: string;
  participants?: { name: string; roles: string[]; paged?: boolean }[];
  notes?: number;
  limits?: { abortAfterMs?: number; abortIfOutageMs?: number };
  /** (gameday) The game master paused the prober: by whom, since when (its figures leave the pause out). */
  proberPaused?: { by: string; since: string };
  /** (gameday) Pauses so far (closed ones), for the record. */
  proberPauses?: number;
  /** (gameday) Who opens the node sessions, and the timers here against Cilium's defaults (no scenario named). */
  connectMode?: string;
  timers?: string;
}

export interface ScheduleView {
  id: string;
  kind: 'in' | 'at' | 'window';
  /** Absent for a window: its moment is the surprise. */
  fireAt?: string;
  window?: { from: string; to: string; days?: string[] };
  page: string[];
  channel: string;
  createdBy: string;
  createdAt: string;
  /** `random`, or `chosen (secret)`: the scenario is never shown before `drill end`. */
  scenario: string;
  limits?: { abortAfter?: string; abortIfOutage?: string };
}

export interface DrillScheduleResult {
  action: 'created' | 'list' | 'cancelled';
  lab: string;
  schedules: ScheduleView[];
}

export interface DrillRoleResult {
  lab: string;
  role: 'commander' | 'scribe' | 'responder';
  name: string;
  /** The commander before (a new claim takes the role over). */
  took?: string;
  participants: { name: string; roles: string[]; paged?: boolean }[];
}

export interface DrillNoteResult {
  lab: string;
  at: string;
  name: string;
  text: string;
  notes: number;
}

export interface DrillHintResult {
  number: number;
  total: number;
  hint: string;
  /** Every hint was already given: this is the last one again (not counted). */
  repeat?: boolean;
}

export interface DrillCheckResult {
  ok: boolean;
  /** The scenario's own test. */
  fixed: boolean;
  detail: string;
  check: CheckResult;
  elapsedMs: number;
  /** From the last operator command to the leaves settling (an upper bound if check ran late). */
  fixConvergenceMs?: number;
  hintsUsed: number;
}

export interface DrillEndResult {
  ok: boolean;
  lab: string;
  id: string;
  title: string;
  cause: string;
  fix: string[];
  outcome: ScoreEntry['outcome'];
  timeToResolveMs?: number;
  hintsUsed: number;
  actions: DrillAction[];
  prober: ProberReport;
  /** Leaves' tables settling after the fault and after the fix; traffic back (prober) after the last command. */
  convergence: { injectMs?: number; fixMs?: number; trafficBackMs?: number };
  /** What the restore had to put back. */
  restored: string[];
  /** Differences from the pre-drill baseline after restore; empty when the lab is back. */
  diff: string[];
  /** Fault, commands, outages (with the phase they began in), resolution and restore, in time order. */
  timeline: TimelineEntry[];
  durationMs: number;
  /** The postmortem (Google SRE shape), also kept for `drill report`. */
  postmortem?: Postmortem;
}

export interface DrillReportResult {
  postmortem: Postmortem;
}

export interface DrillScoresResult {
  scores: ScoreEntry[];
  by?: 'drill' | 'person' | 'scenario';
  since?: string;
  /** --by person|scenario: the leaderboard, best first. */
  rows?: import('../gameday/scores.js').LeaderRow[];
}

export interface LinkResult {
  device: string;
  iface: string;
  adminUp: boolean;
  carrier: boolean;
  mtu: number;
  /** The MTU went up: the pods' cached path MTUs were flushed (this many pods). */
  flushedPathMtuPods?: number;
}

export interface RestartResult {
  device: string;
  kind: 'router' | 'node';
  daemons: string[];
  /** For an agent: pod CIDRs announced after the restart. */
  announced?: string[];
  /** The device's BGP sessions once it was back (or when waiting gave up), and how long that took. */
  sessions?: { established: number; expected: number; ms: number; notUp: string[] };
  durationMs: number;
}

export interface PolicyView {
  name: string;
  /** matchLabels only (older readers); `selector` has the whole selector. */
  nodeSelector: Record<string, string>;
  nodes: string[];
  localASN: number;
  exportPodCIDR: boolean;
  neighbors: { peerAddress: string; peerASN: number }[];
  /** CiliumBGPPeeringPolicy or CiliumBGPClusterConfig (model: added). */
  kind?: string;
  /** The nodeSelector as kubectl prints it (`rack=rack0,zone in (a,b)`; `<none>`: every node). */
  selector?: string;
}

/** What one node's agent runs, as Cilium would (lab/cilium/desired.ts), and its timers. */
export interface PolicyNodeView {
  node: string;
  state: 'configured' | 'unselected' | 'conflict' | 'invalid' | 'unsupported';
  reason?: string;
  sources: string[];
  neighbors: {
    instance: string;
    localASN: number;
    peerAddress: string;
    peerASN: number;
    /** The timers the embedded gobgpd runs with; `cilium`: what Cilium's defaults would give. */
    timers: { connectRetry: number; holdTime: number; keepalive: number };
    ciliumTimers: { connectRetry: number; holdTime: number; keepalive: number };
    /** Which timers the objects set (those win); the others are the lab's fast defaults. */
    explicit: string[];
    advertised: string[];
  }[];
}

export interface PolicyShowResult {
  policies: PolicyView[];
  /** (model: added) the Cilium release, each node's intent, and the warnings `topo validate` gives. */
  version?: string;
  nodes?: PolicyNodeView[];
  warnings?: string[];
}

export interface PolicySetResult {
  policy: string;
  field: string;
  from: unknown;
  to: unknown;
  /**
   * Agents Cilium reconciled: restarted with the new config, announcing when exportPodCIDR.
   * `kept`: a node now in two peering policies whose agent (1.16–1.18) stays as it was, announcing what it last applied.
   */
  nodes: { node: string; running: boolean; announced: string[]; kept?: true }[];
  /** (model: added) the edited object's kind; nodes whose agent now runs nothing and why (Cilium's words); warnings. */
  kind?: string;
  unpeered?: { node: string; state: string; reason: string }[];
  warnings?: string[];
}

export interface NetemResult {
  router: string;
  iface: string;
  /** The qdisc as tc shows it; undefined when cleared. */
  qdisc?: string;
}
