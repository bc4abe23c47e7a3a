// Results that are files: from Slack nothing is written on the lab host, the files come back
// as one upload in the message's thread (render: a tar archive; topo generate: the YAML).
import type { RenderResult } from '../../commands/render.js';
import type { TopoGenerateResult } from '../../commands/topo-generate.js';
import type { PolicyMigrateResult } from '../../commands/policy-migrate.js';
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

/** `policy migrate`: the v2 objects as an upload (a file to `kubectl apply -f`). */
export function renderPolicyMigrate(r: PolicyMigrateResult): SlackMessage {
  const filename = `bgp-v2-objects-${r.version}.yaml`;
  return {
    text: `policy migrate: ${r.objects.length} v2 objects${r.applied ? ', applied' : ''}`,
    blocks: [
      section(`*policy migrate*: ${r.objects.length} objects for Cilium ${esc(r.version)}${r.applied ? ' — :white_check_mark: applied to the lab, the peering policies are gone' : ''}`),
      ...codeSections([table(r.objects.map((o) => [o.kind, o.name]))], 1).blocks,
      context(`attached as \`${esc(filename)}\`${r.note ? ` — ${esc(r.note)}` : ''}`),
    ],
    attachment: { filename, content: r.yaml },
  };
}
