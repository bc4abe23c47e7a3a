// `render`: where the files went, one row per file, then how to use them.
import type { RenderResult } from '../../commands/render.js';
import { linesToText, seg, table, type Line } from './lines.js';
import type { TextOptions } from './text.js';

export function renderLines(r: RenderResult): Line[] {
  const rows = r.files.map((f) => [seg(f.path), seg(f.kind, { dim: true }), seg(`${f.bytes} B`, { dim: true })]);
  const next =
    r.target === 'clabernetes'
      ? `kubectl apply -f ${r.outDir}/clabernetes.yaml`
      : `cd ${r.outDir} && ./1-setup-k8s.sh && ./2-setup-clab.sh && ./3-install-cilium.sh && ./4-enable-bgp-peer.sh`;
  return [
    [seg(`${r.files.length} files`, { bold: true }), seg(` in ${r.outDir} (${r.target === 'lab' ? 'kind + containerlab' : r.target}, Cilium ${r.ciliumVersion})`)],
    ...table(['file', 'kind', 'size'], rows),
    [],
    [seg('next: ', { dim: true }), seg(next)],
  ];
}

export const renderResultText = (r: RenderResult, o: TextOptions) => linesToText(renderLines(r), o);
