// Every artifact of the real lab, rendered from one topology. Drivers write these files into a
// per-lab work directory; `bgp-lab render` writes them to --out.
import type { Topology } from '../topology/schema.js';
import { renderKindConfig } from './kind.js';
import { bootConfigPath, renderClab } from './containerlab.js';
import { renderVyosConfig } from './vyos.js';
import { renderFrrConf } from './frr.js';
import { ciliumBgpObjects, helmValues, usesBgpV2Objects } from './cilium.js';
import { demoObjects } from './demo.js';
import { serviceObjects } from './services.js';
import { enableBgpPeer, installCilium, setupClab, setupK8s } from './scripts.js';
import { clabernetesObjects } from './clabernetes.js';
import { yamlDocs } from './yaml-docs.js';
import { stringify } from 'yaml';

export interface RenderedFile {
  path: string;
  content: string;
  mode?: number;
  kind: 'kind-config' | 'containerlab' | 'vyos' | 'frr' | 'helm-values' | 'cilium-policy' | 'demo-app' | 'script' | 'clabernetes' | 'readme';
}

export interface RenderOptions {
  ciliumVersion?: string;
  fastTimers?: boolean;
  target?: 'lab' | 'clabernetes';
}

/** 1.14/1.15: CiliumBGPPeeringPolicy; 1.16+: CiliumBGPClusterConfig & co. */
export const bgpObjectsFile = (version: string) => (usesBgpV2Objects(version) ? 'bgp-cluster-config.yaml' : 'bgp-peering-policies.yaml');

export function renderAll(topo: Topology, opts: RenderOptions = {}): RenderedFile[] {
  const version = opts.ciliumVersion ?? topo.cilium.version;
  const vyos: RenderedFile[] = topo.routers.map((r) => ({ path: bootConfigPath(r.name), content: renderVyosConfig(topo, r), kind: 'vyos' }));
  if (opts.target === 'clabernetes') {
    return [
      { path: 'clabernetes.yaml', content: yamlDocs(clabernetesObjects(topo)), kind: 'clabernetes' },
      ...vyos,
      { path: 'README.md', content: readme(topo, version, 'clabernetes'), kind: 'readme' },
    ];
  }
  const values = helmValues(topo, version);
  const bgpFile = bgpObjectsFile(version);
  const inputs = { ciliumVersion: version, helmValues: values, bgpFile };
  const exec = 0o755;
  return [
    { path: 'kind-config.yaml', content: renderKindConfig(topo), kind: 'kind-config' },
    { path: 'clab.yaml', content: renderClab(topo), kind: 'containerlab' },
    ...vyos,
    ...topo.routers.map((r): RenderedFile => ({ path: `frr/${r.name}.conf`, content: renderFrrConf(topo, r, { fastTimers: opts.fastTimers ?? false }), kind: 'frr' })),
    { path: 'cilium-values.yaml', content: stringify(values, { lineWidth: 0 }), kind: 'helm-values' },
    { path: bgpFile, content: yamlDocs(ciliumBgpObjects(topo, version)), kind: 'cilium-policy' },
    { path: 'demo-app.yaml', content: yamlDocs(demoObjects(topo)), kind: 'demo-app' },
    ...(serviceObjects(topo, version).length ? [{ path: 'lb-services.yaml', content: yamlDocs(serviceObjects(topo, version)), kind: 'demo-app' as const }] : []),
    { path: '1-setup-k8s.sh', content: setupK8s(topo), mode: exec, kind: 'script' },
    { path: '2-setup-clab.sh', content: setupClab(topo), mode: exec, kind: 'script' },
    { path: '3-install-cilium.sh', content: installCilium(topo, inputs), mode: exec, kind: 'script' },
    { path: '4-enable-bgp-peer.sh', content: enableBgpPeer(topo, inputs), mode: exec, kind: 'script' },
    { path: 'README.md', content: readme(topo, version, 'lab'), kind: 'readme' },
  ];
}

function readme(topo: Topology, version: string, target: 'lab' | 'clabernetes'): string {
  const lines = [`# ${topo.name}: rendered by bgp-lab`, '', `Cilium ${version}; ${topo.routers.length} routers, ${topo.cluster.nodes.length} kind nodes.`, ''];
  if (target === 'clabernetes') lines.push('Apply with `kubectl apply -f clabernetes.yaml` on a cluster running clabernetes.', '');
  else
    lines.push(
      'Run from this directory, in order: `./1-setup-k8s.sh`, `./2-setup-clab.sh`, `./3-install-cilium.sh`,',
      '`./4-enable-bgp-peer.sh`, then `kubectl apply -f demo-app.yaml`. `frr/` holds the same BGP as FRR',
      'configs (what the embedded lab runs); `cilium-values.yaml` is the helm values the script passes with --set.',
      '',
    );
  return lines.join('\n');
}
