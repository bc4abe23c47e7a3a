// Result objects of the fabric commands: what handlers return and what every surface
// renders. JSON output (--json) is exactly these objects. They live in lab/ (lab/ produces them and
// imports nothing from commands/); commands/results.ts re-exports them.
import type { DeviceHealth, PlannedStep, StepTiming } from './drivers/types.js';

export interface NextHop {
  ip?: string;
  interface?: string;
  active: boolean;
  /** true when the kernel has this next hop (FRR's `fib`). */
  fib: boolean;
  /** Name of the device owning `ip`, from the topology (e.g. spine0). */
  device?: string;
  /** Directly connected route: no ip. */
  directlyConnected?: boolean;
  /** A route to nowhere (`ip route … blackhole|reject`): no ip, no interface. */
  unreachable?: 'blackhole' | 'reject' | 'prohibited';
  weight?: number;
}

export interface Route {
  prefix: string;
  protocol: string;
  selected: boolean;
  installed: boolean;
  distance?: number;
  metric?: number;
  uptime?: string;
  nexthops: NextHop[];
}

export interface AdvertisedRoute {
  prefix: string;
  nexthop: string;
  peers: string[];
  /** The BGP instance advertising it (a virtual router, a bgpInstance): set when the node runs more than one. */
  instance?: string;
  /** That instance's local ASN (Cilium's VRouter column): set when the node runs more than one. */
  localAs?: number;
}

export interface RoutesResult {
  router: string;
  kind: 'router' | 'node';
  routes: Route[];
  /** `show ip route` text, when --raw. */
  raw?: string;
  /**
   * For a node: what its BGP agent advertises (like `cilium bgp routes advertised`), one row per
   * prefix and BGP instance; `peers` are that instance's neighbors the prefix goes to.
   */
  advertised?: AdvertisedRoute[];
}

export interface PeerRow {
  /** Router or node holding this view of the session. */
  router: string;
  kind: 'router' | 'node';
  localAs: number;
  peerAs: number;
  peerAddress: string;
  /** Device name of the peer, from the topology. */
  peer: string;
  state: string;
  uptime: string;
  /** Seconds in the current state when known. */
  uptimeSeconds?: number;
  received: number;
  advertised: number;
  expected: boolean;
  /** Not Established: why it last went down, as FRR on the router's side of the session says it. */
  lastError?: SessionError;
  /** Routers: FRR's Up/Down column (time in the current state, `never` if it never came up). */
  upDown?: string;
  /** Nodes: the peer's TCP port, as `cilium bgp peers` shows it after the address. */
  peerPort?: number;
  /** Nodes: the session state as Cilium's agent reports it (lowercase GoBGP state). */
  sessionState?: string;
  /** Nodes: one entry per address family of the neighbor, with its own counts. */
  families?: { afi: string; safi: string; received: number; advertised: number }[];
}

export interface SessionError {
  /** The router whose view this is (a node's session is explained by its leaf). */
  by: string;
  /** FRR's NOTIFICATION reason, `code/subcode`: `OPEN Message Error/Bad Peer AS`. */
  notification?: string;
  /** FRR's reset cause: `BGP Notification received`, `Hold Timer Expired`, … */
  resetDueTo?: string;
}

export interface PeersResult {
  ok: boolean;
  peers: PeerRow[];
  established: number;
  expected: number;
  /** The agent command whose table the node rows reproduce (`cilium bgp peers` in 1.14, `cilium-dbg bgp peers` after). */
  nodeCommand?: string;
  ciliumVersion?: string;
}

export interface BgpResult {
  router: string;
  localAs: number;
  routerId: string;
  peers: PeerRow[];
  /** BGP table entries, for the prefix asked (or all). */
  table: { prefix: string; paths: BgpPath[] }[];
}

/** One path of a BGP table, with the attributes FRR's `show bgp` prints. */
export interface BgpPath {
  nexthop: string;
  asPath: string;
  best: boolean;
  multipath: boolean;
  valid: boolean;
  origin?: string;
  localPref?: number;
  peer?: string;
  /** MED (FRR's Metric column), when the path carries one. */
  metric?: number;
  weight?: number;
  /** Learned over iBGP (FRR's `i` status code). */
  internal?: boolean;
}

/**
 * `bgp <device> --neighbor IP --advertised|--received`: the routes sent to or accepted from one
 * neighbor (FRR's `show bgp ipv4 unicast neighbors IP advertised-routes|routes`; for a node,
 * what `cilium bgp routes advertised|available ipv4 unicast [peer IP]` lists).
 */
export interface BgpRoutesResult {
  router: string;
  kind: 'router' | 'node';
  direction: 'advertised' | 'received' | 'available';
  /** The neighbor asked about (all of the node's neighbors when absent). */
  neighbor?: string;
  /** Its device name, from the topology. */
  peer?: string;
  /** The upstream command this reproduces (vtysh or Cilium agent CLI). */
  source: string;
  /** The device's own AS (a node's virtual router, Cilium's VRouter column). */
  localAs?: number;
  routes: BgpRouteRow[];
}

export interface BgpRouteRow {
  prefix: string;
  nexthop: string;
  asPath: string;
  /** `i`, `e` or `?` as FRR and GoBGP print it. */
  origin: string;
  metric?: number;
  localPref?: number;
  weight?: number;
  best?: boolean;
  /** A node's advertised routes: the neighbor each went to. */
  neighbor?: string;
  /** A node running more than one BGP instance: the instance whose RIB the row is from, and its local ASN. */
  instance?: string;
  localAs?: number;
}

export interface PingResult {
  from: string;
  to: string;
  toIp: string;
  ok: boolean;
  rttMs?: number;
  /** Where it broke, when it failed: which hop lacks a route, which session is down. */
  diagnosis?: string;
  kind: 'ping' | 'http' | 'nodeport';
  /** For http/nodeport: what answered. */
  answer?: string;
  /** Tries it took when more than one: a pair that answers only on a retry is losing packets. */
  attempts?: number;
  /** First round: probe packets sent and answered (every path's flows for a ping pair). */
  sent?: number;
  received?: number;
  /** The pod's own kernel refused to send (`local error: message too long, mtu=1500`). */
  localError?: string;
  /** Ping pairs: each flow probed, the ECMP member its request and its reply took, what came back. */
  paths?: PathProbe[];
}

export interface PathProbe {
  src: string;
  dst: string;
  /** `leaf0 eth1 → spine0`: where the request left the source leaf; `back`: where the reply left the destination's. */
  via?: string;
  back?: string;
  sent: number;
  received: number;
}

export interface PathCoverage {
  /** ECMP members (leaf uplinks, per direction) summed over the pairs probed. */
  members: number;
  /** Of those, members some probe flow was planned over. */
  covered: number;
  /** The leaves' counters agree that every planned member carried its probes (undefined: no counters). */
  verified?: boolean;
  /** What is not covered or not verified, one line each. */
  notes: string[];
}

export interface CheckResult {
  ok: boolean;
  pods: string[];
  results: PingResult[];
  passed: number;
  failed: number;
  durationMs: number;
  /** Probe packets of the first round (every flow of every pair, HTTP and NodePort one each). */
  sent?: number;
  received?: number;
  lossPct?: number;
  /** --tolerate-loss: a pair fails when its first-round loss is above this. */
  tolerateLossPct?: number;
  /** Pings per flow (--count). */
  count?: number;
  coverage?: PathCoverage;
  /** check --capture: packets per interface seen during the check. */
  capture?: CaptureResult;
  /** check --from client --service: each request's backend and spine. */
  service?: import('./services/client-check.js').ServiceCheckReport;
  /** Stopped early (Ctrl-C): `results` holds the pairs measured before it, `ok` is false. */
  cancelled?: boolean;
}

export interface TraceHop {
  hop: number;
  ip: string;
  device?: string;
  rttMs?: number;
}

export interface TraceResult {
  ok: boolean;
  from: string;
  to: string;
  toIp: string;
  hops: TraceHop[];
  /** The probes: ICMP echo, or UDP with these fixed ports (one flow: the path ping's hash takes). */
  probe?: { protocol: 'icmp' | 'udp'; sourcePort?: number; destPort?: number };
}

export interface CapturedPacket {
  time: string;
  interface: string;
  src: string;
  dst: string;
  protocol: string;
  summary: string;
  length?: number;
}

/**
 * One conversation between two addresses (BGP aside), and which interface carried each
 * direction: the seed's ECMP picture, where requests and replies take different spine links.
 */
export interface CaptureConversation {
  /** The address that sent first, and the other. */
  a: string;
  b: string;
  aName?: string;
  bName?: string;
  /** Packets a → b and b → a, per interface. */
  aToB: Record<string, number>;
  bToA: Record<string, number>;
}

export interface CaptureResult {
  router: string;
  interfaces: string[];
  packets: CapturedPacket[];
  perInterface: Record<string, number>;
  conversations: CaptureConversation[];
  cancelled?: boolean;
}

export interface StatusResult {
  lab: string;
  driver: string;
  /** up: everything as expected; degraded: lab exists but something is off; down: no lab. */
  state: 'up' | 'degraded' | 'down';
  devices: DeviceHealth[];
  sessions: { established: number; expected: number };
  drift: string[];
  /** Each drift line's fix, when there is one command for it (same order as `drift`). */
  fixes?: (string | undefined)[];
  /** False when degraded or down: the exit code is 1. */
  ok?: boolean;
  /** What to run next, when not up. */
  hint?: string;
  drill?: { id: string; startedAt: string; startedBy: string };
  /** Embedded: how BGP sessions open (the lab record's mode), and what that means. */
  connectMode?: {
    mode: 'cilium' | 'fast-connect';
    description: string;
    /** fast-connect: the sessions of nodes' further BGP instances, which have no listener (the node opens them, as in Cilium). */
    nodeOpens?: { node: string; instance: string; localAs: number; peerAddress: string }[];
  };
}

export interface UpResult {
  lab: string;
  driver: string;
  converged: boolean;
  durationMs: number;
  steps: StepTiming[];
  sessions: { established: number; expected: number };
  pods: { name: string; node: string; ip: string }[];
  /** What did not converge before the deadline. */
  notConverged?: string[];
  /** up --dry-run: nothing ran; these are the steps it would run. */
  dryRun?: boolean;
  plan?: PlannedStep[];
}

export interface DownResult {
  labs: string[];
  removed: string[];
  durationMs: number;
  /** `down --force` broke a live holder's lock: whose it was (command, user, surface, pid, since). */
  brokeLock?: string;
}

export interface InterfaceRow {
  name: string;
  /** IPv4 addresses with prefix length. */
  addresses: string[];
  adminUp: boolean;
  /** Link (carrier) up: the far end is there and up. */
  carrier: boolean;
  mtu: number;
  /** What the model says it should be, for the fabric's own interfaces. */
  intendedMtu?: number;
  /** The far end (device:interface, or the rack bridge), from the model. */
  peer?: string;
  description?: string;
  /** Kernel counters (`ip -s link`): packets, errors and drops each way. */
  stats?: InterfaceStats;
  /** The root queueing discipline (`tc qdisc`): `noqueue`, `netem delay 50ms loss 5%`, … */
  qdisc?: string;
  /** nftables rules of the namespace that drop on this interface (the lossy-link fallback). */
  dropRules?: { table: string; chain: string; hook?: string; direction: 'in' | 'out'; rule: string; lossPct?: number; packets?: number }[];
}

export interface InterfaceStats {
  rxPackets: number;
  rxBytes: number;
  rxErrors: number;
  rxDropped: number;
  txPackets: number;
  txBytes: number;
  txErrors: number;
  txDropped: number;
}

export interface InterfacesResult {
  device: string;
  kind: 'router' | 'node';
  interfaces: InterfaceRow[];
}
