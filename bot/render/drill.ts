// Drills in Slack: the page as a responder gets it (with Hint and Check buttons), hints, the
// check verdict with its matrix, and the end report with the timeline; operator commands as
// one-line confirmations. Buttons carry a command line, run with the clicker's permissions.
import type {
  DrillCheckResult, DrillEndResult, DrillHintResult, DrillListResult, DrillScoresResult, DrillStartResult, DrillStatusResult,
  LinkResult, NetemResult, PolicySetResult, PolicyShowResult, RestartResult,
} from '../../commands/drill-results.js';
import { timelineRows } from '../../src/render/drill.js';
import { codeSections, context, duration, esc, section, table, who, type KnownBlock, type SlackMessage } from './blocks.js';
import { runButton } from './up.js';
import { renderCheck } from './check.js';
import { postmortemBlocks, postmortemFile, renderLeaderboard } from './gameday.js';
import { mention } from '../../lab/gameday/input.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const clock = (iso: string) => iso.slice(11, 19);
const buttons = (...lines: [label: string, line: string][]): KnownBlock => ({ type: 'actions', elements: lines.map(([label, line]) => runButton(label, line)) });

export function renderDrillList(r: DrillListResult): SlackMessage {
  return {
    text: `${r.scenarios.length} drill scenarios`,
    blocks: [
      section(`*${r.scenarios.length} drill scenarios* — \`/bgp-lab drill start ${esc('<id>')}\` or \`/bgp-lab drill start --random\``),
      section(r.scenarios.map((s) => `• \`${esc(s.id)}\` ${esc(s.title)}`).join('\n')),
    ],
  };
}

export function renderDrillStart(r: DrillStartResult & { scheduled?: string }): SlackMessage {
  // The paged are mentioned (so Slack notifies them); the page never names the scenario of a surprise.
  const paged = (r.paged ?? []).map(mention).join(' ');
  const kind = r.id ? `(drill \`${esc(r.id)}\`)` : r.scheduled ? '(scheduled surprise drill)' : '(random drill)';
  const limits = [r.limits?.abortAfterMs ? `ends by itself after ${duration(r.limits.abortAfterMs)}` : '', r.limits?.abortIfOutageMs ? `or when an outage lasts over ${duration(r.limits.abortIfOutageMs)}` : ''].filter(Boolean).join(' ');
  return {
    text: `PAGE${paged ? ` ${paged}` : ''}: ${r.page}`,
    blocks: [
      section(`:rotating_light: *PAGE*${paged ? ` ${paged}` : ''} ${kind}\n>${esc(r.page)}`),
      context(`started ${clock(r.startedAt)} UTC by ${who(r.startedBy)} (game master) · ${r.hintsAvailable} hints · \`/bgp-lab drill role commander\`, \`drill note …\`; investigate with \`/bgp-lab peers\`, \`/routes\`, \`/bgp-lab check\`, \`/bgp-lab trace\`; \`/bgp-lab drill check\` when you think it is fixed${limits ? ` · ${limits}` : ''}`),
      buttons(['Hint', 'drill hint'], ['Check the fix', 'drill check'], ['Status', 'drill status']),
      {
        type: 'actions',
        elements: [
          runButton('Claim commander', 'drill role commander'),
          // The game master's (the command refuses anyone else, naming them).
          runButton('Pause prober (game master)', 'drill prober pause'),
          runButton('Resume prober', 'drill prober resume'),
          runButton('Abort (game master)', 'drill end --abort', {
            style: 'danger',
            confirm: { title: { type: 'plain_text', text: 'Abort the drill?' }, text: { type: 'mrkdwn', text: 'Ends it now, scored *aborted*, and restores the lab.' }, confirm: { type: 'plain_text', text: 'Abort' }, deny: { type: 'plain_text', text: 'Keep going' } },
          }),
        ],
      },
    ],
  };
}

export function renderDrillHint(r: DrillHintResult): SlackMessage {
  return {
    text: `hint ${r.number}/${r.total}: ${r.hint}`,
    blocks: [section(`:bulb: *hint ${r.number}/${r.total}*: ${esc(r.hint)}`), ...(r.repeat ? [context('no more hints: that was the last one again (not counted)')] : [])],
  };
}

export function renderDrillStatus(r: DrillStatusResult): SlackMessage {
  if (!r.running) return { text: `no drill running on ${r.lab}`, blocks: [section(`no drill running on ${esc(r.lab)}`)] };
  const broken = r.prober?.windows.filter((w) => !w.backAt) ?? [];
  return {
    text: `drill ${r.id ?? '(random)'}: ${duration(r.elapsedMs)} since injection`,
    blocks: [
      section(`:stopwatch: *drill ${esc(r.id ?? '(random)')}* — ${duration(r.elapsedMs)} since injection, ${plural(r.hintsUsed ?? 0, 'hint')} used${r.resolved ? ', *resolved*' : ''}\n>${esc(r.page ?? '')}`),
      ...(r.actions?.length ? [context(r.actions.map((a) => `${clock(a.at)} ${a.name ? esc(a.name) : who(a.user)}: \`${esc(a.line)}\``).join('\n'))] : []),
      ...(r.participants?.length ? [context(`participants: ${esc(r.participants.map((p) => `${p.name}${p.roles.length ? ` (${p.roles.join(', ')})` : p.paged ? ' (paged)' : ''}`).join(', '))}`)] : []),
      ...(r.proberPaused ? [context(`:double_vertical_bar: prober paused by ${esc(r.proberPaused.by)} since ${clock(r.proberPaused.since)} UTC (no probes run; its figures leave the pause out)`)] : []),
      ...(r.connectMode || r.timers ? [context(esc([r.connectMode, r.timers].filter(Boolean).join('\n')))] : []),
      ...(r.prober ? [context(broken.length ? `:x: traffic broken now on ${broken.length}/${r.prober.flows.length} probed flows` : r.prober.windows.length ? `:warning: probed flows answering now; ${plural(r.prober.windows.length, 'loss window')} so far` : ':white_check_mark: probed flows answering, no loss so far')] : []),
    ],
  };
}

export function renderDrillCheck(r: DrillCheckResult): SlackMessage {
  const matrix = renderCheck(r.check);
  return {
    text: `${r.ok ? 'fixed' : 'not fixed yet'}: ${r.detail}`,
    blocks: [
      section(`${r.ok ? ':white_check_mark: *fixed*' : ':x: *not fixed yet*'} — ${esc(r.detail)}${r.fixConvergenceMs !== undefined ? `\nleaves converged ≤ ${duration(r.fixConvergenceMs)} after the last command` : ''}`),
      ...matrix.blocks.slice(0, 40),
      ...(r.ok ? [buttons(['End the drill and restore', 'drill end'])] : [buttons(['Hint', 'drill hint'])]),
    ],
    attachment: matrix.attachment,
  };
}

export function renderDrillEnd(r: DrillEndResult): SlackMessage {
  const rows = timelineRows(r.timeline ?? []).map((t) => `${t.at}  ${t.bad ? '✗ ' : ''}${t.what}`);
  const packed = codeSections(rows.map((l) => [l]), 2);
  const flows = r.prober.flows.map((f) => `${f.flow} ${f.answered}/${f.sent}`).join(' · ');
  const pm = r.postmortem;
  return {
    text: `drill ${r.id} ${r.outcome}: ${r.title}`,
    blocks: [
      section(`:checkered_flag: *drill \`${esc(r.id)}\`: ${esc(r.title)}* — ${r.outcome === 'resolved' ? ':white_check_mark: resolved' : `:warning: ${esc(r.outcome)}`} in ${duration(r.timeToResolveMs)}, ${plural(r.hintsUsed, 'hint')}`),
      section(`*cause*: ${esc(r.cause)}\n*fix*: ${r.fix.map((f) => `\`${esc(f)}\``).join(', ')}`),
      context(`BGP convergence on the leaves: after the fault ${r.convergence.injectMs !== undefined ? duration(r.convergence.injectMs) : 'no route change'}, after the fix ${r.convergence.fixMs !== undefined ? `≤ ${duration(r.convergence.fixMs)}` : '—'}${r.convergence.trafficBackMs !== undefined ? `; traffic back ${duration(r.convergence.trafficBackMs)} after the last command` : ''}`),
      section('*timeline* (UTC)'),
      ...packed.blocks,
      ...(packed.shownGroups < rows.length ? [context(`…${rows.length - packed.shownGroups} more events: the full report is attached`)] : []),
      context(`prober answers: ${esc(flows)}`),
      r.ok ? context(':white_check_mark: lab back to its pre-drill routes and sessions') : section(`:x: *not back to baseline*: ${esc(r.diff.slice(0, 5).join('; '))}`),
      // The postmortem follows the report in the same message; its Markdown is the attachment.
      ...(pm ? postmortemBlocks(pm, { timeline: false }) : []),
    ],
    attachment: pm ? postmortemFile(pm) : packed.shownGroups < rows.length ? { filename: `drill-${r.id}.txt`, content: rows.join('\n') } : undefined,
  };
}

export function renderDrillScores(r: DrillScoresResult): SlackMessage {
  if (r.rows) return renderLeaderboard(r);
  if (!r.scores.length) return { text: 'no drills yet', blocks: [section('no drills yet')] };
  // Names, not IDs: who took part (roles), as the drill knew them.
  const people = (s: DrillScoresResult['scores'][number]) => s.participants?.map((p) => `${p.name}${p.roles.length ? ` (${p.roles.join(',')})` : ''}`).join(', ') || s.user;
  const lines = table([
    ['ended (UTC)', 'drill', 'scenario', 'detect', 'mitigate', 'resolved in', 'hints', 'outcome', 'who'],
    ...r.scores.map((s) => [s.endedAt.slice(0, 16).replace('T', ' '), s.drillId ?? '—', s.id, duration(s.timeToDetectMs), duration(s.timeToMitigateMs), duration(s.timeToResolveMs), String(s.hintsUsed), s.outcome, people(s)]),
  ]);
  const packed = codeSections(lines.map((l) => [l]), 2);
  return { text: `${r.scores.length} drills`, blocks: [section(`*drill scores* (${r.scores.length})`), ...packed.blocks] };
}

export const renderLink = (r: LinkResult): SlackMessage => ({
  text: `${r.device} ${r.iface}: ${r.adminUp ? 'up' : 'down'}`,
  blocks: [
    section(`${r.adminUp ? ':large_green_circle:' : ':red_circle:'} *${esc(r.device)} ${esc(r.iface)}*: admin ${r.adminUp ? 'up' : 'down'}, carrier ${r.carrier ? 'yes' : 'no'}, MTU ${r.mtu}`),
    ...(r.flushedPathMtuPods ? [context(`flushed the cached path MTUs of ${r.flushedPathMtuPods} pods (kept 10 min otherwise)`)] : []),
  ],
});

export const renderRestart = (r: RestartResult): SlackMessage => ({
  text: `${r.device}: restarted ${r.daemons.join(' + ')}`,
  blocks: [
    section(`:arrows_counterclockwise: *${esc(r.device)}*: restarted ${esc(r.daemons.join(' + ') || 'nothing (no policy selects it)')}${r.announced?.length ? `, announcing ${esc(r.announced.join(', '))}` : ''} (${duration(r.durationMs)})`),
    ...(r.sessions ? [context(r.sessions.notUp.length ? `:warning: ${r.sessions.established}/${r.sessions.expected} sessions Established after ${duration(r.sessions.ms)}: ${esc(r.sessions.notUp.join(', '))}` : `:white_check_mark: ${r.sessions.established}/${r.sessions.expected} sessions Established after ${duration(r.sessions.ms)}`)] : []),
  ],
});

export function renderPolicyShow(r: PolicyShowResult): SlackMessage {
  const lines = table([
    ['policy', 'nodeSelector', 'localASN', 'exportPodCIDR', 'neighbors', 'nodes'],
    ...r.policies.map((p) => [p.name, Object.entries(p.nodeSelector).map(([k, v]) => `${k}=${v}`).join(','), String(p.localASN), String(p.exportPodCIDR), p.neighbors.map((n) => `${n.peerAddress} AS${n.peerASN}`).join(', '), p.nodes.join(', ') || '(none)']),
  ]);
  const notes = [
    ...(r.nodes ?? []).filter((n) => n.state !== 'configured').map((n) => `:warning: *${esc(n.node)}*: ${esc(n.state)}: ${esc(n.reason ?? '')}`),
    ...(r.warnings ?? []).map((w) => `:warning: ${esc(w)}`),
  ].slice(0, 10);
  return { text: `${r.policies.length} CiliumBGPPeeringPolicies`, blocks: [section(`*Cilium BGP objects*${r.version ? ` (Cilium ${esc(r.version)})` : ''} (${r.policies.length})`), ...codeSections(lines.map((l) => [l]), 2).blocks, ...(notes.length ? [section(notes.join('\n'))] : [])] };
}

export function renderPolicySet(r: PolicySetResult): SlackMessage {
  const nodes = r.nodes.map((n) => `• ${esc(n.node)}: agent reconfigured${n.announced.length ? `, announcing ${esc(n.announced.join(', '))}` : ', not announcing its pod CIDR'}`);
  return {
    text: `policy ${r.policy}: ${r.field} → ${JSON.stringify(r.to)}`,
    blocks: [section(`:pencil2: *policy ${esc(r.policy)}*: ${esc(r.field)} \`${esc(JSON.stringify(r.from))}\` → \`${esc(JSON.stringify(r.to))}\`\n${nodes.join('\n') || '_no agent configuration changed_'}${(r.unpeered ?? []).map((u) => `\n:warning: ${esc(u.node)}: ${esc(u.state)}: ${esc(u.reason)}`).join('').slice(0, 2500)}`)],
  };
}

export const renderNetem = (r: NetemResult): SlackMessage => ({
  text: `${r.router} ${r.iface}: ${r.qdisc ?? 'no netem'}`,
  blocks: [section(`:ocean: *${esc(r.router)} ${esc(r.iface)}*: ${r.qdisc ? `\`${esc(r.qdisc)}\`` : 'no netem'}`)],
});
