// `check`: a pod × pod matrix per probe kind (✓/✗), then each failure with its diagnosis.
import type { CheckResult, PingResult } from '../../commands/results.js';
import { codeSections, context, esc, section, type SlackMessage } from './blocks.js';

function matrix(pods: string[], results: PingResult[]): string[] {
  const idx = new Map(pods.map((p, i) => [p, i + 1]));
  const w = String(pods.length).length + 1;
  const cell = (from: string, to: string) => {
    const r = results.find((x) => x.from === from && x.to === to);
    return (r ? (r.ok ? '✓' : '✗') : '·').padEnd(w);
  };
  const name = Math.max(...pods.map((p) => p.length), 4);
  const lines = [`${'from\\to'.padEnd(name + w + 1)}${pods.map((_, i) => String(i + 1).padEnd(w)).join('')}`];
  for (const from of pods) lines.push(`${String(idx.get(from)).padStart(w - 1)} ${from.padEnd(name)} ${pods.map((to) => cell(from, to)).join('')}`.trimEnd());
  return lines;
}

export function renderCheck(r: CheckResult): SlackMessage {
  const kinds = [...new Set(r.results.map((x) => x.kind))];
  const blocks: SlackMessage['blocks'] = [
    section(`${r.ok ? ':white_check_mark:' : ':x:'} *check: ${r.passed} passed, ${r.failed} failed* in ${(r.durationMs / 1000).toFixed(1)} s`),
  ];
  const fullLines: string[] = [];
  for (const kind of kinds) {
    const m = matrix(r.pods, r.results.filter((x) => x.kind === kind));
    fullLines.push(`${kind}:`, ...m, '');
    blocks.push(context(`*${kind}*`), ...codeSections([m], 1).blocks);
  }
  const failures = r.results.filter((x) => !x.ok);
  const failLines = failures.map((f) => `✗ ${f.kind} ${f.from} → ${f.to} (${f.toIp})${f.diagnosis ? `: ${f.diagnosis}` : ''}`);
  fullLines.push(...failLines);
  if (failures.length) {
    const shown = failLines.slice(0, 15);
    blocks.push(section(esc(shown.join('\n'))));
    if (failures.length > shown.length) blocks.push(context(`…${failures.length - shown.length} more failures: the full list is attached`));
  }
  const cut = failures.length > 15 || blocks.length > 45;
  return {
    text: `check: ${r.passed} passed, ${r.failed} failed`,
    blocks,
    attachment: cut ? { filename: 'check.txt', content: fullLines.join('\n') } : undefined,
  };
}
