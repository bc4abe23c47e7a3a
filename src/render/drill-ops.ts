// Operator commands used during incidents: link, agent/router restart, policy, netem.
import type { LinkResult, NetemResult, PolicySetResult, PolicyShowResult, RestartResult } from '../../commands/drill-results.js';
import type { PolicyMigrateResult } from '../../commands/policy-migrate.js';
import { linesToText, ms, seg, table, wrapLine, type Line } from './lines.js';
import type { TextOptions } from './text.js';

export const linkText = (r: LinkResult, o: TextOptions) =>
  linesToText([
    [seg(`${r.device} ${r.iface}: `, { bold: true }), seg(r.adminUp ? 'up' : 'down', { color: r.adminUp ? 'green' : 'red' }), seg(`, carrier ${r.carrier ? 'yes' : 'no'}, mtu ${r.mtu}`)],
    ...(r.flushedPathMtuPods ? [[seg(`  flushed the cached path MTUs of ${r.flushedPathMtuPods} pods (kept 10 min otherwise)`, { dim: true })]] : []),
  ], o);

export function restartText(r: RestartResult, o: TextOptions): string {
  const s = r.sessions;
  const back = s && (s.notUp.length ? `✗ ${s.established}/${s.expected} sessions Established after ${ms(s.ms)}: ${s.notUp.join(', ')}` : `${s.established}/${s.expected} sessions Established ${ms(s.ms)} after the daemons started`);
  return linesToText([
    [seg('✓ ', { color: 'green' }), seg(`${r.device}: restarted ${r.daemons.join(' + ') || 'nothing (no policy selects it)'}`), seg(`${r.announced?.length ? `, announcing ${r.announced.join(', ')}` : ''} (${ms(r.durationMs)})`)],
    ...(back ? [[seg(`  ${back}`, { color: s!.notUp.length ? 'yellow' : 'green' })]] : []),
  ], o);
}

export function policyShowText(r: PolicyShowResult, o: TextOptions): string {
  const rows = r.policies.map((p) => [
    seg(p.name, { bold: true }),
    seg(p.selector ?? Object.entries(p.nodeSelector).map(([k, v]) => `${k}=${v}`).join(',')),
    seg(String(p.localASN)),
    seg(String(p.exportPodCIDR), { color: p.exportPodCIDR ? undefined : 'yellow' }),
    seg(p.neighbors.map((n) => `${n.peerAddress} AS${n.peerASN}`).join(', ')),
    seg(p.nodes.join(', ') || '(none)'),
  ]);
  const wide = table(['policy', 'nodeSelector', 'localASN', 'exportPodCIDR', 'neighbors', 'nodes'], rows);
  const fits = wide.every((l) => l.reduce((n, x) => n + x.text.length, 0) < o.width);
  // Narrower than the table: one block per policy, its long lists wrapped, nothing cut.
  const narrow = rows.flatMap(([name, sel, asn, exp, nbrs, nodes]): Line[] => [
    ...wrapLine([name!, seg(`  nodeSelector ${sel!.text}  localASN ${asn!.text}  exportPodCIDR `), exp!], o.width, 4),
    ...wrapLine([seg('    neighbors '), nbrs!], o.width, 6),
    ...wrapLine([seg('    nodes '), nodes!], o.width, 6),
  ]);
  const lines: Line[] = [...(r.version ? [[seg(`Cilium ${r.version}`, { bold: true })] as Line] : []), ...(fits ? wide : narrow)];
  // What each node's agent runs (Cilium's model), and the timers in force against Cilium's defaults.
  for (const n of r.nodes ?? []) {
    if (n.state !== 'configured') {
      lines.push(...wrapLine([seg(`${n.node}: `, { bold: true }), seg(`${n.state}: ${n.reason}`, { color: 'yellow' })], o.width, 4));
      continue;
    }
    for (const x of n.neighbors) {
      const t = (v: { holdTime: number; keepalive: number; connectRetry: number }) => `${v.holdTime}/${v.keepalive}/${v.connectRetry}s`;
      const lab = x.explicit.length < 3 ? ` (lab fast; Cilium ${t(x.ciliumTimers)})` : ' (set)';
      lines.push(...wrapLine([seg(`${n.node} `, { bold: true }), seg(`→ ${x.peerAddress} AS${x.peerASN} hold/keepalive/retry ${t(x.timers)}`), seg(lab, { dim: true }), seg(x.advertised.length ? ` ${x.advertised.join(', ')}` : ' advertises nothing')], o.width, 4));
    }
  }
  for (const w of r.warnings ?? []) lines.push(...wrapLine([seg('warning ', { color: 'yellow', bold: true }), seg(w)], o.width, 8));
  return linesToText(lines, o);
}

export function policySetText(r: PolicySetResult, o: TextOptions): string {
  const lines: Line[] = [[seg('✓ ', { color: 'green' }), seg(`policy ${r.policy}: ${r.field} ${JSON.stringify(r.from)} → ${JSON.stringify(r.to)}`, { bold: true })]];
  for (const n of r.nodes) lines.push([seg(`  ${n.node}: agent reconfigured${n.announced.length ? `, announcing ${n.announced.join(', ')}` : ', not announcing its pod CIDR'}`)]);
  if (!r.nodes.length) lines.push([seg('  no agent configuration changed', { dim: true })]);
  for (const u of r.unpeered ?? []) lines.push([seg(`  ${u.node}: ${u.state}: `, { color: 'yellow', bold: true }), seg(u.reason)]);
  return linesToText(lines, o);
}

export const netemText = (r: NetemResult, o: TextOptions) => linesToText([[seg(`${r.router} ${r.iface}: `, { bold: true }), seg(r.qdisc ?? 'no netem', { color: r.qdisc ? 'yellow' : 'green' })]], o);

/** `policy migrate`: the YAML itself (it is meant to be applied), then what --apply did. */
export function policyMigrateText(r: PolicyMigrateResult, o: TextOptions): string {
  const lines: Line[] = r.yaml.trimEnd().split('\n').map((l) => [seg(l)]);
  if (r.note) lines.push([seg(`# ${r.note}`, { color: 'yellow' })]);
  if (r.applied) {
    lines.push([seg('✓ ', { color: 'green' }), seg(`applied ${r.objects.length} objects; the peering policies are gone`, { bold: true })]);
    for (const n of r.nodes ?? []) lines.push([seg(`  ${n.node}: agent reconfigured${n.announced.length ? `, announcing ${n.announced.join(', ')}` : ''}`)]);
  }
  return linesToText(lines, { ...o, width: Infinity });
}
