// Results that are files: from Slack nothing is written on the lab host, the files come back
// as one upload in the message's thread (render: a tar archive; topo generate: the YAML).
import type { RenderResult } from '../../commands/render.js';
import type { TopoGenerateResult } from '../../commands/topo-generate.js';
import { codeSections, context, esc, section, table, type SlackMessage } from './blocks.js';

export function renderRender(r: RenderResult): SlackMessage {
  const rows = table(r.files.map((f) => [f.path, f.kind, `${f.bytes} B`]));
  const where = r.archive ? `attached as \`${esc(r.archive.filename)}\` (\`tar -xf\` it)` : `in \`${esc(r.outDir ?? '')}\``;
  return {
    text: `render: ${r.files.length} files (${r.target}, Cilium ${r.ciliumVersion})`,
    blocks: [
      section(`*render*: ${r.files.length} files for ${r.target === 'lab' ? 'kind + containerlab' : esc(r.target)}, Cilium ${esc(r.ciliumVersion)}, ${where}`),
      ...codeSections([rows], 1).blocks,
    ],
    attachment: r.archive,
  };
}

export function renderTopoGenerate(r: TopoGenerateResult): SlackMessage {
  const s = r.summary;
  const filename = `${r.topology.name}.yaml`;
  return {
    text: `topo generate: ${s.spines} spines, ${s.leaves} leaves, ${s.nodes} nodes`,
    blocks: [
      section(`*topo generate*: ${s.spines} spines, ${s.leaves} leaves, ${s.nodes} nodes, ${s.sessions} BGP sessions`),
      context(`the topology is attached as \`${esc(filename)}\``),
    ],
    attachment: { filename, content: r.yaml },
  };
}
