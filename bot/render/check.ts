// `check`: a pod × pod matrix per probe kind (✓/✗), then each failure with its diagnosis.
import type { CheckResult, PingResult } from '../../commands/results.js';
import { codeSections, context, duration, esc, section, type SlackMessage } from './blocks.js';
import { captureSummaryBlocks } from './misc.js';
import { runButton } from './up.js';

/**
 * Rows: who probed; columns numbered. For ping and HTTP the pods are both, and a column's
 * number is its row's; NodePort probes nodes, listed under the matrix with their numbers.
 */
function matrix(froms: string[], tos: string[], results: PingResult[]): string[] {
  const square = froms.length === tos.length && froms.every((f, i) => f === tos[i]);
  const w = String(tos.length).length + 1;
  const cell = (from: string, to: string) => {
    const r = results.find((x) => x.from === from && x.to === to);
    return (r ? (r.ok ? '✓' : '✗') : '·').padEnd(w);
  };
  const name = Math.max(...froms.map((p) => p.length), 4);
  const lines = [`${'from\\to'.padEnd(name + w + 1)}${tos.map((_, i) => String(i + 1).padEnd(w)).join('')}`.trimEnd()];
  froms.forEach((from, i) => lines.push(`${(square ? String(i + 1) : '').padStart(w - 1)} ${from.padEnd(name)} ${tos.map((to) => cell(from, to)).join('')}`.trimEnd()));
  if (!square) lines.push('', ...tos.map((to, i) => `${String(i + 1).padStart(w - 1)} = ${to}`));
  return lines;
}

/** What a matrix's rows and columns are, said above it. */
const KIND_SAYS: Record<string, string> = {
  ping: 'row pod pings column pod (ICMP); ✓ answered, ✗ no answer, · not probed',
  http: 'row pod asks column pod over HTTP; ✓ answered, ✗ failed, · not probed',
  nodeport: "row pod asks the NodePort of column node; ✓ answered, ✗ failed",
};

/**
 * `line`: the check as it was run, for the Run again button (a click is a new command by the
 * clicker, with their permission, audited as theirs).
 */
export function renderCheck(r: CheckResult, line?: string): SlackMessage {
  const kinds = [...new Set(r.results.map((x) => x.kind))];
  const blocks: SlackMessage['blocks'] = [
    section(`${r.ok ? ':white_check_mark:' : ':x:'} *check: ${r.passed} passed, ${r.failed} failed* in ${duration(r.durationMs)}`),
  ];
  // Probe packets as pingall counts them, and how many ECMP members the probes covered.
  if (r.sent !== undefined && r.received !== undefined) {
    const dropped = r.sent ? Math.round((100 * (r.sent - r.received)) / r.sent) : 0;
    const c = r.coverage;
    const paths = c && c.members ? ` · paths: ${c.covered} of ${c.members} ECMP members probed${c.verified ? ', counters agree' : c.verified === false ? ', *not verified*' : ''}` : '';
    blocks.push(context(`*** Results: ${dropped}% dropped (${r.received}/${r.sent} received)${paths}${r.tolerateLossPct ? ` · up to ${r.tolerateLossPct}% loss tolerated` : ''}`));
    if (c?.notes.length) blocks.push(context(`:warning: ${esc(c.notes.slice(0, 5).join('\n'))}${c.notes.length > 5 ? ` …${c.notes.length - 5} more` : ''}`));
  }
  const fullLines: string[] = [];
  let matrixCut = false;
  for (const kind of kinds) {
    const results = r.results.filter((x) => x.kind === kind);
    const tos = kind === 'nodeport' ? [...new Set(results.map((x) => x.to))] : r.pods;
    const froms = kind === 'nodeport' ? [...new Set(results.map((x) => x.from))] : r.pods;
    const m = matrix(froms, tos, results);
    fullLines.push(`${kind}:`, ...m, '');
    const packed = codeSections(m.map((l) => [l]), 2);
    blocks.push(context(`*${kind}*: ${KIND_SAYS[kind] ?? 'rows probe columns'}`), ...packed.blocks);
    // The columns by name, next to the matrix (a nodeport matrix names them inside it).
    const square = kind !== 'nodeport';
    const legend = `columns: ${tos.map((to, i) => `${i + 1} = ${to}`).join(' · ')}`;
    if (square) blocks.push(context(esc(legend.length <= 2800 ? legend : `columns are numbered as the rows (${tos.length} pods)`)));
    if (packed.shownGroups < m.length) {
      matrixCut = true;
      blocks.push(context(`…${m.length - packed.shownGroups} more rows: the full matrix is attached`));
    }
  }
  if (r.capture) blocks.push(...captureSummaryBlocks(r.capture));
  const retried = r.results.filter((x) => x.ok && x.attempts);
  if (retried.length) {
    const list = retried.slice(0, 10).map((x) => `${x.from} → ${x.to}${x.kind === 'ping' ? '' : ` [${x.kind}]`} (try ${x.attempts})`).join(', ');
    blocks.push(context(`:warning: ${retried.length} answered only on a retry (converging, or losing packets): ${esc(list)}${retried.length > 10 ? ` …${retried.length - 10} more` : ''}`));
  }
  const failures = r.results.filter((x) => !x.ok);
  const failLines = failures.map((f) => `✗ ${f.kind} ${f.from} → ${f.to} (${f.toIp})${f.diagnosis ? `: ${f.diagnosis}` : ''}`);
  fullLines.push(...failLines);
  if (failures.length) {
    const shown = failLines.slice(0, 15);
    blocks.push(section(esc(shown.join('\n'))));
    if (failures.length > shown.length) blocks.push(context(`…${failures.length - shown.length} more failures: the full list is attached`));
  }
  if (line) blocks.push({ type: 'actions', elements: [runButton('Run again', line.length <= 1900 ? line : 'check')] });
  const cut = matrixCut || failures.length > 15 || blocks.length > 45;
  return {
    text: `check: ${r.passed} passed, ${r.failed} failed`,
    blocks,
    attachment: cut ? { filename: 'check.txt', content: fullLines.join('\n') } : undefined,
  };
}
