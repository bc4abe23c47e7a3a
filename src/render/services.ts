// Terminal renderers of services, explain, service set/label and workload scale.
import type { ExplainResult, ServiceEditResult, ServicesResult } from '../../commands/service-results.js';
import { linesToText, seg, table, type Line } from './lines.js';
import type { TextOptions } from './text.js';
import type { ServiceCheckReport } from '../../lab/services/client-check.js';

/** check --from client --service: where the requests went in and who answered. */
export function serviceCheckLines(r: ServiceCheckReport): Line[] {
  const count = (m: Record<string, number>) => Object.entries(m).map(([k, n]) => `${k} ×${n}`).join(', ') || 'none';
  return [
    [seg(`service ${r.service} ${r.ip}:${r.port} (${r.externalTrafficPolicy}): `, { bold: true }), seg(`${r.requests.filter((x) => x.ok).length}/${r.requests.length} answered`)],
    [seg('  in via:   '), seg(count(r.spines))],
    [seg('  backends: '), seg(count(r.backends))],
    [seg('  nodes:    '), seg(count(r.nodes))],
  ];
}

export function servicesText(r: ServicesResult, o: TextOptions): string {
  if (!r.services.length) return linesToText([[seg('no Services in this topology (try --topology cilium-bgp-lb)', { dim: true })]], o);
  const rows = r.services.map((s) => {
    const missing = s.expectedAdvertisedBy.filter((n) => !s.advertisedBy.includes(n));
    return [
      seg(s.name, { bold: true }),
      seg(s.type),
      seg(s.externalTrafficPolicy, { color: s.externalTrafficPolicy === 'Local' ? 'cyan' : undefined }),
      seg(s.loadBalancerIP ?? `none (${s.condition?.reason ?? 'not LoadBalancer'})`, { color: s.loadBalancerIP ? undefined : 'red' }),
      seg(s.pool ?? '—'),
      seg(s.backends.map((b) => b.pod).join(', ') || 'none', { color: s.backends.length ? undefined : 'yellow' }),
      seg(s.advertisedBy.join(', ') || 'nobody', { color: s.advertisedBy.length ? 'green' : 'red' }),
      seg(missing.length ? `should also: ${missing.join(', ')}` : '', { color: 'yellow' }),
    ];
  });
  const lines: Line[] = table(['service', 'type', 'eTP', 'loadBalancerIP', 'pool', 'backends', 'advertisedBy', ''], rows);
  for (const p of r.pools) lines.push([seg(`pool ${p.name}: ${p.cidrs.join(', ')}, ${p.used}/${p.total} used${p.disabled ? ', disabled' : ''}`, { dim: !p.conflicting }), ...(p.conflict ? [seg(`  conflict: ${p.conflict}`, { color: 'red' as const })] : [])]);
  if (r.advertisedFrom === 'model') lines.push([seg('the lab is not up: advertisedBy is what the model says', { dim: true })]);
  return linesToText(lines, o);
}

export function explainText(r: ExplainResult, o: TextOptions): string {
  const lines: Line[] = [[seg(`explain ${r.subject}`, { bold: true }), seg(r.prefix ? ` (${r.prefix})` : ''), seg(r.ok ? '  ✓ advertised and routed' : '  ✗ broken', { color: r.ok ? 'green' : 'red' })]];
  for (const s of r.steps) lines.push([seg(s.ok ? '  ✓ ' : '  ✗ ', { color: s.ok ? 'green' : 'red' }), seg(`${s.kind.padEnd(9)} `, { dim: true }), seg(s.text)]);
  for (const n of r.notes) lines.push([seg('note: ', { bold: true, color: 'cyan' }), seg(n)]);
  if (r.cause) lines.push([seg('cause: ', { bold: true, color: 'red' }), seg(r.cause)]);
  return linesToText(lines, o);
}

export function serviceEditText(r: ServiceEditResult, o: TextOptions): string {
  const what = r.action === 'scale' ? `workload ${r.name}` : `service ${r.name}`;
  const lines: Line[] = [[seg('✓ ', { color: 'green' }), seg(`${what}: ${r.field} ${JSON.stringify(r.from)} → ${JSON.stringify(r.to)}`, { bold: true })]];
  if (r.podsAdded.length) lines.push([seg(`  pods started: ${r.podsAdded.join(', ')}`)]);
  if (r.podsRemoved.length) lines.push([seg(`  pods stopped: ${r.podsRemoved.join(', ')}`)]);
  for (const a of r.announced) lines.push([seg(`  + ${a}`, { color: 'green' })]);
  for (const w of r.withdrawn) lines.push([seg(`  - ${w}`, { color: 'yellow' })]);
  if (r.agentsRestarted.length) lines.push([seg(`  agents reconfigured: ${r.agentsRestarted.join(', ')}`)]);
  if (!r.announced.length && !r.withdrawn.length) lines.push([seg('  no announcement changed', { dim: true })]);
  return linesToText(lines, o);
}
