// Labels and label selectors as Kubernetes validates them, one definition for every object: what the
// API server (and so the agent) refuses is refused here, before any renderer sees it.
import { describe, expect, it } from 'vitest';
import { LabelSelectorSchema as FabricSelector } from '../../lab/topology/schema.js';
import { LabelSelectorSchema as ServiceSelector } from '../../lab/topology/services-schema.js';
import { ServiceSchema } from '../../lab/topology/services-schema.js';
import { loadTopology } from '../../lab/topology/load.js';
import { labelService } from '../../lab/services/edit.js';

const longPrefix = `${'a'.repeat(60)}.`.repeat(5) + 'io'; // 307 characters, parts of 60
const longPart = `${'a'.repeat(64)}.io`;

describe('one LabelSelectorSchema', () => {
  it('schema.ts and services-schema.ts export the same object', () => {
    expect(ServiceSelector).toBe(FabricSelector);
  });

  it('In/NotIn without values and Exists with values are refused in a Service pool selector too', () => {
    expect(ServiceSelector.safeParse({ matchExpressions: [{ key: 'app', operator: 'In' }] }).success).toBe(false);
    expect(ServiceSelector.safeParse({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: [] }] }).success).toBe(false);
    expect(ServiceSelector.safeParse({ matchExpressions: [{ key: 'app', operator: 'Exists', values: ['x'] }] }).success).toBe(false);
    expect(ServiceSelector.safeParse({ matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] }).success).toBe(true);
  });
});

describe('label keys as Kubernetes validates them', () => {
  it('a prefix over 253 characters is refused (the regex alone allowed 317)', () => {
    const key = `${longPrefix}/a`;
    expect(key.length).toBeLessThanOrEqual(317);
    expect(FabricSelector.safeParse({ matchLabels: { [key]: 'x' } }).success).toBe(false);
  });
  it('a prefix part over 63 characters is refused (not a DNS label)', () => {
    expect(FabricSelector.safeParse({ matchLabels: { [`${longPart}/app`]: 'x' } }).success).toBe(false);
  });
  it('ordinary keys and values still pass', () => {
    expect(FabricSelector.safeParse({ matchLabels: { 'topology.kubernetes.io/zone': 'a', app: '', 'io.cilium/bgp': 'x_y.z-1' } }).success).toBe(true);
  });
  it('names, values over 63 and option-like or path-like keys are refused', () => {
    for (const key of ['-x', '../etc', 'a/b/c', 'a\nb', `${'a'.repeat(64)}`, '/app', 'app/', 'constructor ']) {
      expect(FabricSelector.safeParse({ matchLabels: { [key]: 'x' } }).success, key).toBe(false);
    }
    for (const value of ['-', 'a'.repeat(64), 'a b', 'a\n', '$(id)']) expect(FabricSelector.safeParse({ matchLabels: { app: value } }).success, value).toBe(false);
  });
});

describe('service label', () => {
  const t = loadTopology('cilium-bgp-lb');
  const web = t.services![0]!.name;

  it('removing a label the Service does not have says it had none, not an Object method', () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const r = labelService(t, web, `${key}-`);
      expect(r.from, key).toBeNull();
      expect(Object.hasOwn(r.topology.services![0]!.labels, key)).toBe(false);
    }
  });
  it('a hostile key or value is refused with a usage error and the model is untouched', () => {
    for (const a of [`${longPrefix}/a=b`, 'a=b\nc', '-x=1', 'app=$(id)', `app=${'v'.repeat(64)}`]) {
      expect(() => labelService(t, web, a), a).toThrow(/service label|is not key=value/);
    }
    expect(ServiceSchema.safeParse(t.services![0]).success).toBe(true);
  });
});
