// A drill scenario: the page a responder gets (symptoms only), three hints, a fault that is
// really injected into the running lab, the scenario's own test of "fixed", and a restore.
import type { EmbeddedDriver } from '../drivers/embedded/index.js';
import type { LabRecord } from '../drivers/types.js';
import type { Topology } from '../topology/schema.js';

export type Fault = Record<string, string | number>;

export interface DrillCtx {
  d: EmbeddedDriver;
  lab: string;
  /** The lab record now (policies may have been edited since the drill started). */
  record(): Promise<LabRecord>;
}

export interface FixVerdict {
  fixed: boolean;
  /** What the scenario's own test saw, one line. Names the fault: shown once fixed only. */
  detail: string;
  /** How many of the scenario's conditions held (in order, up to the first that did not). */
  met?: number;
  total?: number;
}

export interface Scenario<F extends Fault = Fault> {
  id: string;
  title: string;
  /** Which devices the fault hits, from the topology (deterministic: tests rely on it); `variant` (random drills) varies the link. */
  target(topo: Topology, variant?: number): F;
  page(f: F): string;
  hints(f: F): [string, string, string];
  cause(f: F): string;
  /** The intended fix as operator command lines. */
  fix(f: F): string[];
  /** Injects the fault; may return what it settled on only once it saw the lab (which link, what the kernel allows). */
  inject(ctx: DrillCtx, f: F): Promise<void | Partial<F>>;
  isFixed(ctx: DrillCtx, f: F): Promise<FixVerdict>;
  /** Undoes what the fault did; the generic restore (restore.ts) runs after it. */
  restore(ctx: DrillCtx, f: F): Promise<void>;
}

export function defineScenario<F extends Fault>(s: Scenario<F>): Scenario<F> {
  return s;
}
