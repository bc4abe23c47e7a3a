// `routes`: the table the way vtysh prints it, ECMP next hops each on their own line under
// the prefix, so a Slack reader sees the same thing as `show ip route` on the router.
import type { Route, RoutesResult } from '../../commands/results.js';
import { LEGEND, routeLines as terminalRouteLines } from '../../src/render/routes.js';
import { linesToText } from '../../src/render/lines.js';
import { codeSections, context, esc, section, type SlackMessage } from './blocks.js';

/** One route as plain vtysh lines, the same layout as the terminal's (one place decides it). */
export function routeLines(r: Route): string[] {
  return linesToText(terminalRouteLines(r), { color: false, width: 100_000 }).split('\n');
}

export function renderRoutes(r: RoutesResult): SlackMessage {
  const all = r.routes.map(routeLines);
  const title = `*Routes on ${esc(r.router)}* (${r.kind}) — ${r.routes.length} route${r.routes.length === 1 ? '' : 's'}`;
  const blocks: SlackMessage['blocks'] = [section(title)];
  let cut = 0;
  if (r.raw !== undefined) {
    const lines = r.raw.split('\n').map((l) => [l]);
    const packed = codeSections(lines);
    blocks.push(...packed.blocks);
    cut = lines.length - packed.shownGroups;
  } else if (all.length) {
    const packed = codeSections(all);
    blocks.push(...packed.blocks);
    cut = all.length - packed.shownGroups;
  } else blocks.push(context('no routes'));
  if (r.advertised?.length) {
    blocks.push(section('*Advertised*'));
    blocks.push(...codeSections(r.advertised.map((a) => [`${a.prefix} next-hop ${a.nexthop} to ${a.peers.join(', ')}`]), 1).blocks);
  } else if (r.kind === 'node' && r.advertised) blocks.push(context(`:warning: ${esc(r.router)} advertises nothing`));
  if (cut > 0) blocks.push(context(`…${cut} more ${r.raw !== undefined ? 'lines' : 'routes'}: the full table is attached`));
  const full = r.raw ?? [LEGEND, '', ...all.flat()].join('\n');
  const hops = r.routes.flatMap((x) => x.nexthops.map((h) => h.ip).filter(Boolean));
  return {
    text: `routes on ${r.router}: ${r.routes.length} (${[...new Set(hops)].slice(0, 4).join(', ')})`,
    blocks,
    attachment: cut > 0 ? { filename: `routes-${r.router}.txt`, content: full } : undefined,
  };
}
