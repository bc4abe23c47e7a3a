// `topo generate`: the YAML itself (so it can be piped to a file), or where --out wrote it.
import type { TopoGenerateResult } from '../../commands/topo-generate.js';
import { linesToText, seg, type Line } from './lines.js';
import type { TextOptions } from './text.js';

export function topoGenerateText(r: TopoGenerateResult, o: TextOptions): string {
  const s = r.summary;
  if (!r.file) return r.yaml.trimEnd();
  const lines: Line[] = [
    [seg('wrote ', { dim: true }), seg(r.file, { bold: true })],
    [seg(`${s.spines} spines, ${s.leaves} leaves, ${s.nodes} nodes, ${s.sessions} BGP sessions`)],
    [seg('next: ', { dim: true }), seg(`bgp-lab --topology ${r.file} topo show`)],
  ];
  return linesToText(lines, o);
}
