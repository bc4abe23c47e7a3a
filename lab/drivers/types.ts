// What a driver (embedded namespaces, or kind + containerlab) offers the command core.
// Commands compose these primitives with the shared parsers in lab/parsers/, so
// `routes`, `peers` and `check` read the same on every driver.
import type { Topology } from '../topology/schema.js';
import type { Runner, RunOptions, RunResult } from '../runners/types.js';
import type { ConvergeState } from '../inspect/converge.js';

export type ProgressState = 'running' | 'ok' | 'fail' | 'skip';

export type ProgressEvent =
  | { type: 'step'; id: string; label: string; state: ProgressState; detail?: string; elapsedMs?: number }
  | { type: 'log'; message: string };

export type Progress = (event: ProgressEvent) => void;

export interface DriverContext {
  signal: AbortSignal;
  progress: Progress;
}

export interface UpOptions {
  wait: boolean;
  replace: boolean;
  podsPerNode?: number;
  dryRun?: boolean;
  timeoutMs?: number;
  /** Embedded: a listener on each node, so the leaves open the sessions at once (the lab's one opt-in deviation from Cilium). */
  fastConnect?: boolean;
}

export interface DeviceHealth {
  name: string;
  kind: 'router' | 'node' | 'bridge' | 'pod';
  namespace: boolean;
  daemons: { name: string; pid?: number; alive: boolean }[];
  sessionsEstablished?: number;
  sessionsExpected?: number;
}

export interface LabRecord {
  lab: string;
  driver: 'embedded' | 'kind';
  topologyFile: string;
  /** The model the lab runs (policies may be edited while it runs). */
  topology: Topology;
  podsPerNode: number;
  createdAt: string;
  /** 'creating' until up finished; 'up' after. */
  phase: 'creating' | 'up';
  /**
   * Embedded: how sessions open. 'cilium' (the default): no listener on the nodes, each node opens
   * its sessions after GoBGP's connect delay; 'fast-connect': the leaves connect at once.
   */
  connectMode?: 'cilium' | 'fast-connect';
}

/** A `gobgp` read: run options, and which BGP instance of the node answers. */
export type GobgpOptions = RunOptions & { instance?: string | number };

export interface Driver {
  readonly name: 'embedded' | 'kind';
  readonly runner: Runner;
  /** The lab as recorded on the lab host, or undefined when it is not there. */
  record(): Promise<LabRecord | undefined>;
  /** With opts.dryRun: nothing runs; `plan` lists every step with the program it would run. */
  up(topology: Topology, topologyFile: string, opts: UpOptions, ctx: DriverContext): Promise<UpOutcome>;
  down(ctx: DriverContext): Promise<{ removed: string[] }>;
  health(): Promise<DeviceHealth[]>;
  /** vtysh on a router; `command` as typed at the router prompt. */
  vtysh(router: string, command: string, opts?: RunOptions): Promise<string>;
  /**
   * gobgp client on a node's BGP agent, arguments after `gobgp`. `instance` (name, local ASN or
   * index): the BGP instance asked (embedded: one gobgpd each); absent, the one that has the
   * neighbor the arguments name, else the first. Kind: Cilium's one agent answers for all.
   */
  gobgp(node: string, args: string[], opts?: GobgpOptions): Promise<string>;
  /** A program inside a device (router, node or pod) network context. */
  exec(device: string, argv: string[], opts?: RunOptions): Promise<RunResult>;
}

export interface UpOutcome {
  steps: StepTiming[];
  plan?: PlannedStep[];
  /** The fabric as the driver's own convergence wait last read it, when it waited. */
  converged?: ConvergeState;
}

export interface PlannedStep {
  label: string;
  /** The program run; empty when the step writes `file` instead. */
  argv: string[];
  /** Lines fed to the program's stdin (ip -batch), or the lines of `file`. */
  input?: string[];
  file?: string;
}

export interface StepTiming {
  id: string;
  label: string;
  ms: number;
}
