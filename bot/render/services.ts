// Slack renderers of services, explain and the Service edits: one message each, the explain
// chain as a compact list.
import type { ExplainResult, ServiceEditResult, ServicesResult } from '../../commands/service-results.js';
import { codeSections, context, esc, section, table, type SlackMessage } from './blocks.js';

export function renderServices(r: ServicesResult): SlackMessage {
  const rows = table([
    ['service', 'type', 'eTP', 'loadBalancerIP', 'pool', 'backends', 'advertisedBy'],
    ...r.services.map((s) => [s.name, s.type, s.externalTrafficPolicy, s.loadBalancerIP ?? `none (${s.condition?.reason ?? '-'})`, s.pool ?? '-', String(s.backends.length), s.advertisedBy.join(',') || 'nobody']),
  ]);
  const pools = r.pools.map((p) => `• pool *${esc(p.name)}* ${esc(p.cidrs.join(', '))}: ${p.used}/${p.total} used${p.conflict ? ` — :warning: ${esc(p.conflict)}` : ''}`);
  return {
    text: `${r.services.length} Services`,
    blocks: [section(`*Services* (${r.services.length})`), ...codeSections(rows.map((l) => [l]), 2).blocks, ...(pools.length ? [context(pools.join('\n'))] : [])],
  };
}

export function renderExplain(r: ExplainResult): SlackMessage {
  const chain = r.steps.map((s) => `${s.ok ? ':white_check_mark:' : ':x:'} _${esc(s.kind)}_ ${esc(s.text)}`);
  return {
    text: `explain ${r.subject}: ${r.ok ? 'advertised and routed' : r.cause ?? 'broken'}`,
    blocks: [
      section(`*explain ${esc(r.subject)}*${r.prefix ? ` \`${esc(r.prefix)}\`` : ''} — ${r.ok ? ':large_green_circle: advertised and routed' : ':red_circle: broken'}`),
      section(chain.join('\n')),
      ...(r.notes.length ? [context(r.notes.map((n) => `:information_source: ${esc(n)}`).join('\n'))] : []),
      ...(r.cause ? [section(`*cause:* ${esc(r.cause)}`)] : []),
    ],
  };
}

export function renderServiceEdit(r: ServiceEditResult): SlackMessage {
  const what = r.action === 'scale' ? `workload ${r.name}` : `service ${r.name}`;
  const changes = [...r.announced.map((a) => `+ ${a}`), ...r.withdrawn.map((w) => `- ${w}`), ...(r.podsAdded.length ? [`pods started: ${r.podsAdded.join(', ')}`] : []), ...(r.podsRemoved.length ? [`pods stopped: ${r.podsRemoved.join(', ')}`] : [])];
  return {
    text: `${what}: ${r.field} → ${JSON.stringify(r.to)}`,
    blocks: [section(`:pencil2: *${esc(what)}*: ${esc(r.field)} \`${esc(JSON.stringify(r.from))}\` → \`${esc(JSON.stringify(r.to))}\`\n${changes.map((c) => `• ${esc(c)}`).join('\n') || '_no announcement changed_'}`)],
  };
}
