// `status`, `up`, `down`: lab health at a glance, and the summaries of bringing it up/down.
import { displayArgv } from '../../lab/argv.js';
import type { DownResult, StatusResult, UpResult } from '../../commands/results.js';
import { linesToText, ms, seg, table, wrapLine, type Color, type Line } from './lines.js';
import type { TextOptions } from './text.js';

const STATE_COLOR: Record<StatusResult['state'], Color> = { up: 'green', degraded: 'yellow', down: 'red' };

export function statusLines(r: StatusResult, width = Infinity): Line[] {
  const mark = r.state === 'up' ? '✓' : r.state === 'down' ? '✗' : '!';
  const lines: Line[] = [[
    seg(`${mark} lab ${r.lab} `, { bold: true, color: STATE_COLOR[r.state] }),
    seg(r.state, { bold: true, color: STATE_COLOR[r.state] }),
    seg(r.state === 'down' ? '' : ` (${r.driver}) — ${r.sessions.established}/${r.sessions.expected} BGP sessions established`),
  ]];
  if (r.devices.length) {
    lines.push([]);
    const rows = r.devices.map((d) => {
      const dead = d.daemons.filter((x) => !x.alive);
      const sess = d.sessionsExpected !== undefined ? `${d.sessionsEstablished ?? 0}/${d.sessionsExpected}` : '';
      return [
        seg(d.name),
        seg(d.kind),
        seg(d.namespace ? 'yes' : 'missing', { color: d.namespace ? undefined : 'red' }),
        seg(d.daemons.length ? d.daemons.map((x) => x.name).join(' ') : '-', { color: dead.length ? 'red' : undefined }),
        seg(dead.length ? `dead: ${dead.map((x) => x.name).join(' ')}` : d.daemons.length ? 'running' : '', { color: dead.length ? 'red' : 'green' }),
        seg(sess, { color: sess && d.sessionsEstablished !== d.sessionsExpected ? 'yellow' : undefined }),
      ];
    });
    lines.push(...table(['device', 'kind', 'netns', 'daemons', '', 'sessions'], rows));
  }
  r.drift.forEach((d, i) => {
    const fix = r.fixes?.[i];
    lines.push([seg('! ', { color: 'yellow' }), seg(d), ...(fix ? [seg(' → ', { dim: true }), seg(fix, { bold: true })] : [])]);
  });
  if (r.connectMode) lines.push(...wrapLine([seg(r.connectMode.description, { dim: true })], width));
  if (r.drill) lines.push([seg(`drill ${r.drill.id} running since ${r.drill.startedAt} (started by ${r.drill.startedBy})`, { color: 'magenta' })]);
  if (r.hint) lines.push([seg(`→ ${r.hint}`, { dim: true })]);
  return lines;
}

export function upLines(r: UpResult): Line[] {
  if (r.dryRun) {
    const plan = r.plan ?? [];
    return [
      [seg(`dry run: ${plan.length} steps for lab ${r.lab} (${r.driver}); nothing was run`, { bold: true })],
      ...plan.flatMap((s, i): Line[] => [
        [seg(`${String(i + 1).padStart(3)}. ${s.label}`)],
        ...(s.file || s.argv.length ? [[seg(s.file ? `     > ${s.file}` : `     $ ${displayArgv(s.argv)}`, { dim: true })]] : []),
        ...(s.input ?? []).map((l): Line => [seg(`       ${l}`, { dim: true })]),
      ]),
    ];
  }
  const ok = r.converged;
  const lines: Line[] = [[
    seg(ok ? '✓ ' : '✗ ', { color: ok ? 'green' : 'red' }),
    seg(`lab ${r.lab} ${ok ? 'is up' : 'is up but not converged'}`, { bold: true }),
    seg(` (${r.driver}, ${ms(r.durationMs)}) — ${r.sessions.established}/${r.sessions.expected} BGP sessions established`),
  ]];
  // The steps were already shown as progress; name only the slowest, where the time went.
  const slowest = [...r.steps].sort((a, b) => b.ms - a.ms)[0];
  if (slowest && r.steps.length > 1) lines.push([seg(`  slowest step: ${slowest.label} (${ms(slowest.ms)})`, { dim: true })]);
  if (r.pods.length) {
    lines.push([seg('pods:', { bold: true })]);
    lines.push(...table(['  name', 'node', 'ip'], r.pods.map((p) => [seg(`  ${p.name}`), seg(p.node), seg(p.ip)])).slice(1));
  }
  for (const n of r.notConverged ?? []) lines.push([seg('✗ ', { color: 'red' }), seg(`not converged: ${n}`)]);
  return lines;
}

export function downLines(r: DownResult, width = Infinity): Line[] {
  const broke: Line[] = r.brokeLock ? [[seg('! ', { color: 'yellow' }), seg(`broke the lock held by ${r.brokeLock}`)]] : [];
  if (!r.labs.length) return [...broke, [seg('no lab to remove', { dim: true })]];
  return [
    ...broke,
    [seg('✓ ', { color: 'green' }), seg(`removed lab${r.labs.length > 1 ? 's' : ''} ${r.labs.join(', ')}`, { bold: true }), seg(` in ${ms(r.durationMs)}`, { dim: true })],
    ...(r.removed.length ? wrapLine([seg(`  ${r.removed.join(', ')}`, { dim: true })], width, 2) : []),
  ];
}

export const statusText = (r: StatusResult, o: TextOptions) => linesToText(statusLines(r, o.width), o);
// A plan is read to be checked and copied: its commands are never cut to the terminal width.
export const upText = (r: UpResult, o: TextOptions) => linesToText(upLines(r), r.dryRun ? { ...o, width: Infinity } : o);
export const downText = (r: DownResult, o: TextOptions) => linesToText(downLines(r, o.width), o);
