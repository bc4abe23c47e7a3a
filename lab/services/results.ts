// Result objects of the Service commands (services, explain, service set/label, workload scale):
// what handlers return, what every surface renders, and exactly what --json prints. They live in
// lab/ (lab/services produces them); commands/service-results.ts re-exports them.
export type { ServicesResult, ServiceRow, ExplainResult, ExplainStep } from './explain.js';

export interface ServiceEditResult {
  /** `service set`, `service label` or `workload scale`. */
  action: 'set' | 'label' | 'scale';
  /** The Service or workload. */
  name: string;
  field: string;
  from: unknown;
  to: unknown;
  /** Agents restarted because their configuration changed (rare for Service edits). */
  agentsRestarted: string[];
  podsAdded: string[];
  podsRemoved: string[];
  /** `node prefix` lines: Service /32s announced or withdrawn by the reconcile. */
  announced: string[];
  withdrawn: string[];
}
