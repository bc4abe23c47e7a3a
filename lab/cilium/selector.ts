// Kubernetes label selectors as Cilium's agent evaluates them (k8s.io/apimachinery semantics):
// matchLabels AND matchExpressions (In, NotIn, Exists, DoesNotExist). An empty selector `{}`
// matches everything; what a *missing* selector means differs per field and version and is
// decided by the caller (e.g. a peering policy's nil nodeSelector selects every node, a nil
// serviceSelector advertises no service).

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export function selectorMatches(sel: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const r of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const values = r.values ?? [];
    switch (r.operator) {
      case 'In': if (!has || !values.includes(labels[r.key]!)) return false; break;
      case 'NotIn': if (has && values.includes(labels[r.key]!)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
    }
  }
  return true;
}

/** `rack=rack0,zone in (a,b)` — the kubectl form, for messages. */
export function selectorText(sel: LabelSelector | undefined): string {
  if (!sel) return '<none>';
  const parts = [
    ...Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(sel.matchExpressions ?? []).map((r) =>
      r.operator === 'Exists' ? r.key : r.operator === 'DoesNotExist' ? `!${r.key}` : `${r.key} ${r.operator === 'In' ? 'in' : 'notin'} (${(r.values ?? []).join(',')})`,
    ),
  ];
  return parts.length ? parts.join(',') : '<everything>';
}
