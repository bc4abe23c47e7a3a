// `interfaces` in Slack: the same columns as the terminal, in a code block; MTU off its
// intended value called out under it.
import type { InterfacesResult } from '../../commands/results.js';
import { countersLines, dropRuleText, mtuOf, mtuOff, stateOf } from '../../src/render/interfaces.js';
import { codeSections, context, esc, section, table, type SlackMessage } from './blocks.js';

export function renderInterfaces(r: InterfacesResult): SlackMessage {
  const lines = table([
    ['Interface', 'IP Address', 'S/L', 'MTU', 'Peer', 'Description'],
    ...r.interfaces.map((i) => [i.name, i.addresses.join(', ') || '-', stateOf(i), mtuOf(i), i.peer ?? '', i.description ?? '']),
  ]);
  const off = r.interfaces.filter(mtuOff);
  const down = r.interfaces.filter((i) => !i.adminUp || !i.carrier);
  return {
    text: `interfaces of ${r.device}: ${r.interfaces.length}`,
    blocks: [
      section(`*Interfaces of ${esc(r.device)}* (${r.kind}) — S/L: state/link, u up, D down, A admin down`),
      ...codeSections([...lines, ...countersLines(r).filter((l) => !l[0]?.text.startsWith('✗')).map((l) => l.map((x) => x.text).join('').trimEnd())].map((l) => [l]), 2).blocks,
      ...r.interfaces.flatMap((i) => (i.dropRules ?? []).map((d) => context(`:scissors: ${esc(i.name)}: ${esc(dropRuleText(d))}`))),
      ...(off.length ? [context(`:warning: MTU not as intended: ${esc(off.map((i) => `${i.name} ${i.mtu} (intended ${i.intendedMtu})`).join(', '))}`)] : []),
      ...(down.length ? [context(`:red_circle: down: ${esc(down.map((i) => `${i.name} ${stateOf(i)}`).join(', '))}`)] : []),
    ],
  };
}
