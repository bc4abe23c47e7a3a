// Kubernetes labels and label selectors, as k8s.io/apimachinery validates them: one definition for
// the fabric's objects (schema.ts) and the Services' (services-schema.ts).
import { z } from 'zod';

// key = [DNS-1123 subdomain prefix (<= 253)/]name (name <= 63); value <= 63, may be empty.
const LABEL_NAME = '[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?';
export const labelKey = z
  .string()
  .max(317)
  .regex(new RegExp(`^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?${LABEL_NAME}$`), 'a Kubernetes label key such as rack or topology.kubernetes.io/zone')
  .refine((k) => !k.includes('/') || k.indexOf('/') <= 253, 'a label key prefix is at most 253 characters')
  .refine((k) => !k.includes('/') || k.slice(0, k.indexOf('/')).split('.').every((part) => part.length <= 63), 'each dot-separated part of a label key prefix is at most 63 characters');
export const labelValue = z.string().regex(new RegExp(`^(${LABEL_NAME})?$`), 'a Kubernetes label value: at most 63 letters, digits, dashes, dots, underscores');
export const MAX_LABELS = 32;
export const labels = z.record(labelKey, labelValue).refine((r) => Object.keys(r).length <= MAX_LABELS, `at most ${MAX_LABELS} labels`);

const selectorRequirement = z
  .object({
    key: labelKey,
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: z.array(labelValue).max(64, 'at most 64 values').optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    // k8s.io/apimachinery LabelSelectorAsSelector: what the agent cannot turn into a selector.
    const n = r.values?.length ?? 0;
    if ((r.operator === 'In' || r.operator === 'NotIn') && n === 0) ctx.addIssue({ code: 'custom', path: ['values'], message: `values must be given when operator is ${r.operator}` });
    if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && n > 0) ctx.addIssue({ code: 'custom', path: ['values'], message: `values must be empty when operator is ${r.operator}` });
  });
/** A Kubernetes LabelSelector: matchLabels AND matchExpressions (lab/cilium/selector.ts evaluates it). */
export const LabelSelectorSchema = z.strictObject({
  matchLabels: labels.optional(),
  matchExpressions: z.array(selectorRequirement).max(MAX_LABELS, `at most ${MAX_LABELS} expressions`).optional(),
});
