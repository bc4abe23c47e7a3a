// `topo validate`: one line per issue (path, line, what to change), or a one-line summary.
import type { TopoValidateResult } from '../../commands/topo-validate.js';
import { linesToText, seg, type Line } from './lines.js';
import type { TextOptions } from './text.js';

export function topoValidateLines(r: TopoValidateResult): Line[] {
  if (r.ok && r.summary) {
    const s = r.summary;
    return [
      [seg('valid ', { color: 'green', bold: true }), seg(`${r.file}: ${s.routers} routers, ${s.links} links, ${s.racks} racks, ${s.nodes} nodes, ${s.sessions} BGP sessions`)],
      // Warnings: Cilium accepts the model, and this is what it does with it.
      ...r.issues.filter((i) => i.severity === 'warning').map((i): Line => [seg('  warning ', { color: 'yellow', bold: true }), seg(i.path || '(file)', { color: 'yellow' }), seg(i.line ? ` (line ${i.line})` : '', { dim: true }), seg(`: ${i.message}`)]),
    ];
  }
  return [
    [seg(`${r.issues.length} problem${r.issues.length === 1 ? '' : 's'} `, { color: 'red', bold: true }), seg(`in ${r.file}`)],
    ...r.issues.map((i): Line => [
      seg('  '),
      seg(i.path || '(file)', { color: 'yellow' }),
      seg(i.line ? ` (line ${i.line})` : '', { dim: true }),
      seg(`: ${i.message}`),
    ]),
  ];
}

// Never cut to the terminal width: a cut issue loses the part that says what to change.
export const topoValidateText = (r: TopoValidateResult, o: TextOptions) => linesToText(topoValidateLines(r), { ...o, width: Infinity });
