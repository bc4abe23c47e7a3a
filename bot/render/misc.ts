// Smaller results: trace, capture, help, topo show, audit, errors, and YAML for the rest.
import { probeText } from '../../src/render/trace.js';
import { stringify } from 'yaml';
import type { CaptureResult, TraceResult } from '../../commands/results.js';
import type { HelpResult } from '../../commands/help.js';
import type { TopoShowResult } from '../../commands/topo-show.js';
import type { AuditResult } from '../../commands/audit.js';
import type { ErrorInfo } from '../../lab/errors.js';
import { codeSections, context, esc, escKeepMentions, section, table, type KnownBlock, type SlackMessage } from './blocks.js';
import { conversationRows } from '../../src/render/capture.js';

function cutNote(total: number, shown: number, what: string): SlackMessage['blocks'] {
  return total > shown ? [context(`…${total - shown} more ${what}: the full result is attached`)] : [];
}

export function renderTrace(r: TraceResult): SlackMessage {
  const lines = table(r.hops.map((h) => [String(h.hop).padStart(2), h.ip, h.device ?? '', h.rttMs !== undefined ? `${h.rttMs.toFixed(2)} ms` : '*']));
  return {
    text: `trace ${r.from} → ${r.to}: ${r.hops.length} hops`,
    blocks: [
      section(`${r.ok ? ':white_check_mark:' : ':x:'} *trace ${esc(r.from)} → ${esc(r.to)}* (${esc(r.toIp)})`),
      ...codeSections([lines], 1).blocks,
      ...(probeText(r) ? [context(esc(probeText(r)!))] : []),
    ],
  };
}

/** Packets per interface and which link each direction of a conversation took (the seed's ECMP picture). */
export function captureSummaryBlocks(r: CaptureResult): KnownBlock[] {
  const head = section(`*capture on ${esc(r.router)}*${r.cancelled ? ' (stopped)' : ''} — ${Object.entries(r.perInterface).map(([i, n]) => `${esc(i)}: ${n}`).join(', ') || 'no packets'}`);
  const conv = conversationRows(r);
  if (!conv.rows.length) return [head];
  const packed = codeSections(table(conv.rows).map((l) => [l]), 1);
  return [head, ...packed.blocks, ...cutNote(conv.rows.length, packed.shownGroups, 'conversations'), ...(conv.summary ? [context(esc(conv.summary))] : [])];
}

export function renderCapture(r: CaptureResult): SlackMessage {
  const lines = r.packets.map((p) => `${p.time} ${p.interface} ${p.src} > ${p.dst} ${p.protocol} ${p.summary}`);
  const packed = codeSections(lines.map((l) => [l]), 2);
  return {
    text: `capture on ${r.router}: ${r.packets.length} packets`,
    blocks: [
      ...captureSummaryBlocks(r),
      ...(lines.length ? packed.blocks : []),
      ...cutNote(lines.length, packed.shownGroups, 'packets'),
    ],
    attachment: lines.length > packed.shownGroups ? { filename: `capture-${r.router}.txt`, content: lines.join('\n') } : undefined,
  };
}

export function renderHelp(r: HelpResult): SlackMessage {
  if (r.command) {
    const c = r.command;
    const args = [...c.arguments.map((a) => `• \`<${a.name}>\` ${esc(a.description ?? '')}${a.values ? ` (${a.values.join('|')})` : ''}`), ...c.options.map((o) => `• \`${esc(o.flag)}\` ${esc(o.description ?? '')}${o.default !== undefined ? ` (default ${esc(String(o.default))})` : ''}`)];
    return {
      text: `${c.name}: ${c.summary}`,
      blocks: [
        section(`*${esc(c.name)}* — ${esc(c.summary)}\n\`${esc(c.usage)}\`  _(${c.permission})_`),
        ...(args.length ? [section(args.join('\n'))] : []),
        ...(c.examples.length ? [context(c.examples.map((e) => `\`/bgp-lab ${esc(e)}\``).join('  '))] : []),
      ],
    };
  }
  const lines = (r.commands ?? []).map((c) => `\`${esc(c.usage)}\` — ${esc(c.summary)}${c.permission === 'read' ? '' : ` _(${c.permission})_`}`);
  // Several sections, each under Slack's 3000 characters: the list is longer than one.
  const chunks: string[][] = [[]];
  for (const l of lines) {
    if (chunks.at(-1)!.join('\n').length + l.length + 1 > 2800) chunks.push([]);
    chunks.at(-1)!.push(l);
  }
  return {
    text: `${lines.length} commands`,
    blocks: [
      section(`*bgp-lab commands* — \`/bgp-lab ${esc('<command>')}\`, \`/routes ${esc('<router>')}\`, or mention me`),
      ...chunks.map((c) => section(c.join('\n'))),
      context(`add \`--quiet\` to answer only you; \`/bgp-lab help ${esc('<command>')}\` for details`),
    ],
  };
}

export function renderTopo(r: TopoShowResult): SlackMessage {
  const routers = table([['router', 'role', 'AS', 'router-id'], ...r.routers.map((x) => [x.name, x.role, String(x.asn), x.routerId])]);
  const nodes = table([['node', 'rack', 'ip', 'pod CIDR', 'AS'], ...r.nodes.map((n) => [n.name, n.rack, n.ip, n.podCIDR, String(n.localAsn ?? '')])]);
  return {
    text: `topology ${r.name}: ${r.routers.length} routers, ${r.nodes.length} nodes, ${r.sessions.length} sessions`,
    blocks: [
      section(`*topology ${esc(r.name)}* — ${r.routers.length} routers, ${r.links.length} links, ${r.racks.length} racks, ${r.nodes.length} nodes, ${r.pods.length} pods, ${r.sessions.length} BGP sessions`),
      ...codeSections([routers], 1).blocks,
      ...codeSections([nodes], 1).blocks,
    ],
  };
}

export function renderAudit(r: AuditResult): SlackMessage {
  const rows = table([['when (UTC)', 'surface', 'who', 'outcome', 'command', 'took'], ...r.entries.map((e) => [e.at.slice(0, 19).replace('T', ' '), e.surface, e.user, e.outcome, e.line, `${e.durationMs} ms`])]);
  const packed = codeSections(rows.map((l) => [l]), 3);
  return {
    text: `audit: ${r.entries.length} entries`,
    blocks: [section(`*audit* — last ${r.entries.length} entries`), ...(r.entries.length ? packed.blocks : [context('no entries')]), ...cutNote(rows.length, packed.shownGroups, 'entries')],
    attachment: rows.length > packed.shownGroups ? { filename: 'audit.txt', content: rows.join('\n') } : undefined,
  };
}

export function renderYaml(command: string, result: unknown): SlackMessage {
  const text = stringify(result ?? null).trimEnd();
  const lines = text.split('\n');
  const packed = codeSections(lines.map((l) => [l]), 3);
  return {
    text: `${command}: done`,
    blocks: [section(`*${esc(command)}*`), ...packed.blocks, ...cutNote(lines.length, packed.shownGroups, 'lines')],
    attachment: lines.length > packed.shownGroups ? { filename: `${command.replace(/\s+/g, '-')}.yaml`, content: text } : undefined,
  };
}

/** One line of what went wrong, one of what to do next — like the REPL. */
/** The core's hints name CLI commands (`bgp-lab --lab x up`, type `help`): in Slack, the slash command. */
export function slackHint(hint: string): string {
  return hint.replace(/`bgp-lab (?:--lab \S+ )?/g, '`/bgp-lab ').replace(/type `help`/g, '`/bgp-lab help`');
}

/** An error in one line and its hint; `line` names the command when the message replaces its progress. */
export function renderError(e: ErrorInfo, status?: string, line?: string): SlackMessage {
  const icon = status === 'denied' ? ':no_entry:' : status === 'busy' ? ':hourglass:' : status === 'bad-input' ? ':grey_question:' : ':x:';
  const what = line ? `\`${line}\` failed: ` : '';
  const hint = e.hint ? slackHint(e.hint) : undefined;
  return {
    text: escKeepMentions(`${what}${e.message}${hint ? ` — ${hint}` : ''}`),
    blocks: [section(`${icon} ${escKeepMentions(`${what}${e.message}`)}`), ...(hint ? [context(`:bulb: ${escKeepMentions(hint)}`)] : [])],
  };
}
