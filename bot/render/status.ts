// `status`: one line of verdict, a device table with daemons, drift and the next step.
import type { StatusResult } from '../../commands/results.js';
import { codeSections, context, esc, section, table, type SlackMessage } from './blocks.js';

const ICON = { up: ':large_green_circle:', degraded: ':large_yellow_circle:', down: ':white_circle:' } as const;

export function renderStatus(r: StatusResult): SlackMessage {
  const rows = table([
    ['device', 'kind', 'daemons', 'sessions'],
    ...r.devices.map((d) => [
      d.name,
      d.kind,
      d.daemons.map((x) => `${x.name}${x.alive ? '' : '✗'}`).join(',') || '-',
      d.sessionsExpected !== undefined ? `${d.sessionsEstablished ?? 0}/${d.sessionsExpected}` : '',
    ]),
  ]);
  const packed = codeSections(rows.map((l) => [l]), 3);
  const cut = rows.length - packed.shownGroups;
  return {
    text: `lab ${r.lab}: ${r.state}`,
    blocks: [
      section(`${ICON[r.state]} *lab ${esc(r.lab)} is ${r.state}* (${esc(r.driver)}) — ${r.sessions.established}/${r.sessions.expected} BGP sessions`),
      ...(r.devices.length ? packed.blocks : []),
      ...(cut > 0 ? [context(`…${cut} more devices: the full table is attached`)] : []),
      ...(r.drift.length ? [section(`*Drift*\n${esc(r.drift.slice(0, 20).map((d, i) => `• ${d}${r.fixes?.[i] ? ` → \`${r.fixes[i]}\`` : ''}`).join('\n'))}${r.drift.length > 20 ? `\n…${r.drift.length - 20} more` : ''}`)] : []),
      ...(r.connectMode ? [context(esc(r.connectMode.description))] : []),
      ...(r.drill ? [context(`drill ${esc(r.drill.id)} started by ${esc(r.drill.startedBy)} at ${esc(r.drill.startedAt)}`)] : []),
      ...(r.hint ? [context(`:bulb: ${esc(r.hint)}`)] : []),
    ],
    attachment: cut > 0 || r.drift.length > 20 ? { filename: `status-${r.lab}.txt`, content: [...rows, '', ...r.drift].join('\n') } : undefined,
  };
}
