// `check`: a reachability matrix the way Mininet's pingall prints it (X for a failure),
// the totals line, then one diagnosis line per failure saying where it broke.
import type { CheckResult, PingResult } from '../../commands/results.js';
import { linesToText, ms, seg, wrapLine, type Line } from './lines.js';
import { captureLines } from './capture.js';
import { serviceCheckLines } from './services.js';
import type { TextOptions } from './text.js';

const TITLE: Record<PingResult['kind'], string> = {
  ping: 'Ping: testing ping reachability',
  http: 'HTTP: testing pod-to-pod HTTP',
  nodeport: 'NodePort: testing the service through every node',
};

export function checkMatrix(r: CheckResult, kind: PingResult['kind'], marks: boolean): Line[] {
  const results = r.results.filter((x) => x.kind === kind);
  const froms = [...new Set(results.map((x) => x.from))];
  const tos = [...new Set([...r.pods, ...results.map((x) => x.to)])];
  const lines: Line[] = [[seg(`*** ${TITLE[kind]}`, { bold: true })]];
  for (const from of froms) {
    const line: Line = [seg(from, { bold: true }), seg(' ->')];
    for (const to of tos) {
      const res = results.find((x) => x.from === from && x.to === to);
      if (!res) continue;
      line.push(seg(marks ? '  ' : ' '));
      if (res.ok) line.push(seg(marks ? `✓ ${to}` : to, { color: 'green' }));
      else line.push(seg(marks ? `✗ ${to}` : 'X', { color: 'red', bold: true }));
    }
    lines.push(line);
  }
  return lines;
}

/**
 * A matrix row wider than the terminal continues on indented lines, a cell (mark and name)
 * never split: every column stays visible at 80 columns, none is cut.
 */
function wrapCells(line: Line, width: number): Line[] {
  const len = (l: Line) => l.reduce((n, s) => n + s.text.length, 0);
  if (len(line) < width || line.length < 4) return [line];
  const out: Line[] = [line.slice(0, 2)];
  for (let i = 2; i + 1 < line.length; i += 2) {
    const cell = line.slice(i, i + 2);
    if (len(out.at(-1)!) + len(cell) >= width && out.at(-1)!.length > 1) out.push([seg('   ')]);
    out.at(-1)!.push(...cell);
  }
  return out;
}

export function checkLines(r: CheckResult, marks = false, width = Infinity): Line[] {
  const kinds = (['ping', 'http', 'nodeport'] as const).filter((k) => r.results.some((x) => x.kind === k));
  const lines: Line[] = kinds.flatMap((k) => checkMatrix(r, k, marks)).flatMap((l) => wrapCells(l, width));
  // Probe packets of the first round, as Mininet's pingall counts them (older results: pairs).
  const total = r.sent ?? r.passed + r.failed;
  const got = r.received ?? r.passed;
  const dropped = total ? Math.round((100 * (total - got)) / total) : 0;
  lines.push([
    seg('*** Results: ', { bold: true }),
    seg(`${dropped}% dropped (${got}/${total} received)`, { color: total > got || r.failed ? 'red' : 'green', bold: true }),
    seg(` in ${ms(r.durationMs)}`, { dim: true }),
  ]);
  if (r.cancelled) {
    const pairs = new Set(r.results.map((x) => `${x.from} ${x.to}`)).size;
    lines.push([seg(`⚠ stopped early (Ctrl-C): ${pairs ? `${pairs} pair${pairs === 1 ? '' : 's'} measured above; the others were not probed` : 'no pair had finished its probes; nothing was measured'}, no verdict`, { color: 'yellow' })]);
  }
  const c = r.coverage;
  if (c && c.members) {
    const proof = c.verified ? 'the leaves\' counters agree' : c.verified === false ? 'NOT verified by the leaves\' counters' : 'not verified';
    lines.push(...wrapLine([seg(`paths: ${c.covered} of ${c.members} ECMP members probed (${r.count ?? 1} pings each way), ${proof}`, { color: c.verified === false || c.covered < c.members ? 'yellow' : undefined, dim: c.verified === true && c.covered === c.members })], width, 4));
  }
  for (const n of c?.notes ?? []) lines.push(...wrapLine([seg('⚠ ', { color: 'yellow' }), seg(n)], width, 4));
  if (r.tolerateLossPct) lines.push([seg(`(pairs may lose up to ${r.tolerateLossPct}% and pass: --tolerate-loss)`, { dim: true })]);
  const retried = r.results.filter((x) => x.ok && x.attempts);
  if (retried.length) {
    const list = retried.map((x) => `${x.from} -> ${x.to}${x.kind === 'ping' ? '' : ` [${x.kind}]`} (try ${x.attempts})`).join(', ');
    lines.push(...wrapLine([seg(`⚠ ${retried.length} answered only on a retry (converging, or losing packets): `, { color: 'yellow' }), seg(list)], width, 4));
  }
  const lossy = r.results.filter((x) => !x.ok && x.received && x.sent && x.received < x.sent);
  if (lossy.length) {
    const list = lossy.map((x) => `${x.from} -> ${x.to} ${Math.round((100 * (x.sent! - x.received!)) / x.sent!)}%`).join(', ');
    lines.push(...wrapLine([seg('loss per pair: ', { color: 'yellow' }), seg(list)], width, 4));
  }
  for (const f of r.results.filter((x) => !x.ok)) {
    lines.push(...wrapLine([
      seg('✗ ', { color: 'red' }),
      seg(`${f.from} -> ${f.to} (${f.toIp})`, { bold: true }),
      seg(f.kind === 'ping' ? '' : ` [${f.kind}]`),
      seg(/^(replies )?via /.test(f.diagnosis ?? '') ? ` ${f.diagnosis}` : `: ${f.diagnosis ?? 'no answer'}`),
    ], width, 4));
  }
  if (r.capture) lines.push([], ...captureLines(r.capture, width));
  if (r.service) lines.push(...serviceCheckLines(r.service));
  return lines;
}

export const checkText = (r: CheckResult, opts: TextOptions) => linesToText(checkLines(r, false, opts.width), opts);
