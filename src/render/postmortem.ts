// A drill's postmortem as Markdown (Google SRE shape): the terminal prints it, Slack attaches it
// as a file beside the message. Names only, never Slack IDs. Text people typed (notes, reasons,
// names) is Markdown-escaped where it lands: a note's `<!channel>` or `<img …>` would otherwise be
// raw HTML to whatever renders the file, `[x](url)` a link, `|` a broken table.
import type { Postmortem } from '../../lab/gameday/postmortem.js';
import { timelineRows } from './drill.js';

export const dur = (ms?: number) => (ms === undefined ? '—' : ms < 1000 ? `${Math.round(ms)} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`);

/** Typed text in Markdown: HTML, links, images and table cells are taken literally (backslash escapes). */
export const mdText = (t: string) => t.replace(/[\\<>[\]|]/g, (c) => `\\${c}`);

export function postmortemMarkdown(pm: Postmortem): string {
  const i = pm.impact;
  const real = pm.realLab;
  const out: string[] = [
    `# Postmortem: ${pm.scenario.title}`,
    '',
    `Drill \`${pm.drillId}\` on lab \`${pm.lab}\` · ${pm.startedAt.slice(0, 16).replace('T', ' ')} UTC · outcome **${pm.outcome}**${pm.abortReason ? ` (${mdText(pm.abortReason)})` : ''} · game master ${mdText(pm.gameMaster)}`,
    '',
    '## Summary',
    mdText(pm.summary),
    '',
    '## Impact',
    i.outages
      ? `${i.outages} outage${i.outages === 1 ? '' : 's'} seen by the prober: ${i.flowsAffected}/${i.totalFlows} pod-to-pod flows affected, ${dur(i.outageMs)} in all (longest ${dur(i.longestOutageMs)}), ${i.probesLost} probes lost${i.stillBroken ? '; still broken when the drill ended' : ''}.`
      : `No traffic loss on the ${i.totalFlows} probed flows.`,
    '',
    ...(real
      ? [
          '## What the real lab would cost',
          `${real.connectModeText}.`,
          `${real.timersText}.`,
          ...real.lines.map((l) => `- ${l}`),
          '',
          '_Figures marked computed come from the scenario, the timers and the measured times; they were not measured._',
          '',
        ]
      : []),
    '## Detection',
    pm.detection.ms !== undefined ? `${dur(pm.detection.ms)} from the fault to the first command: \`${pm.detection.command}\` by ${mdText(pm.detection.by ?? '')}.` : 'Nobody ran a command during the drill.',
    '',
    '## Mitigation',
    pm.mitigation.ms !== undefined ? `${dur(pm.mitigation.ms)} from the fault to the fix: \`${pm.mitigation.command}\` by ${mdText(pm.mitigation.by ?? '')}${pm.mitigation.resolvedAfterMs !== undefined ? `; found fixed ${dur(pm.mitigation.resolvedAfterMs)} after the fault` : ''}.` : pm.outcome === 'resolved' ? `Found fixed ${dur(pm.mitigation.resolvedAfterMs)} after the fault.` : 'Not mitigated during the drill; the lab was restored by `drill end`.',
    `Intended fix: ${pm.mitigation.intended.map((f) => `\`${f}\``).join(', ')} · hints used: ${pm.hintsUsed}`,
    '',
    '## Roles',
    ...pm.roles.map((r) => `- ${r.role}: ${mdText(r.names.join(', '))}`),
    ...pm.participants.filter((p) => !p.roles.length).map((p) => `- participant: ${mdText(p.name)}${p.paged ? ' (paged)' : ''}`),
    '',
    '## Timeline (UTC)',
    ...timelineRows(pm.timeline).map((t) => `- ${t.at} ${t.bad ? '✗ ' : ''}${mdText(t.what)}`),
    '',
    '## Root cause',
    pm.rootCause,
    '',
    '## What went well',
    ...(pm.wentWell.length ? pm.wentWell.map((x) => `- ${mdText(x)}`) : ['- (no notes: `drill note + …` next time)']),
    '',
    '## What was hard',
    ...(pm.wasHard.length ? pm.wasHard.map((x) => `- ${mdText(x)}`) : ['- (no notes: `drill note - …` next time)']),
    '',
    '## Notes',
    ...(pm.notes.length ? pm.notes.map((n) => `- ${n.at.slice(11, 19)} ${mdText(n.name)}: ${mdText(n.text)}`) : ['- (none)']),
    '',
    '## Action items',
    ...(pm.actionItems.length ? pm.actionItems.map((a) => `- [ ] ${a}`) : ['- [ ] (to fill in)']),
    '',
    '## Scores',
    '| who | roles | detect | mitigate | hints | commands |',
    '|---|---|---|---|---|---|',
    ...pm.participants.map((p) => `| ${mdText(p.name)} | ${p.roles.join(', ') || (p.paged ? 'paged' : '—')} | ${dur(p.detectMs)} | ${dur(p.mitigateMs)} | ${p.hints} | ${p.commands} |`),
    '',
  ];
  return out.join('\n');
}
