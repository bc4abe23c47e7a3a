// The default topology renders the seed guide's own YAML, compared parsed and key by key.
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadTopology } from '../../lab/topology/load.js';
import { renderAll, type RenderedFile } from '../../lab/render/index.js';
import { seedClab, seedCiliumVersion, seedDemoApp, seedHelmValues, seedKindConfig, seedPeeringPolicies } from './seed.js';

const topo = loadTopology();
const files = renderAll(topo);
const file = (path: string): RenderedFile => {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`renderAll has no ${path}; it has ${files.map((x) => x.path).join(', ')}`);
  return f;
};
const docs = (path: string) => parseAllDocuments(file(path).content).map((d) => d.toJS());

/** kubeadm patches are YAML inside a string: compare them parsed too. */
function withParsedPatches(cfg: { nodes: { kubeadmConfigPatches?: string[] }[] }) {
  return { ...cfg, nodes: cfg.nodes.map((n) => ({ ...n, kubeadmConfigPatches: n.kubeadmConfigPatches?.map((p) => parse(p)) })) };
}

describe('render of the default topology equals the seed guide', () => {
  it('kind cluster config', () => {
    const seed = seedKindConfig();
    expect(seed.nodes).toHaveLength(4);
    expect(withParsedPatches(parse(file('kind-config.yaml').content))).toEqual(withParsedPatches(seed));
  });

  it('containerlab topology, links in the seed order', () => {
    const seed = seedClab();
    expect(Object.keys(seed.topology.nodes)).toHaveLength(10);
    const rendered = parse(file('clab.yaml').content);
    expect(rendered).toEqual(seed);
    expect(rendered.topology.links).toEqual(seed.topology.links);
  });

  it('both CiliumBGPPeeringPolicies', () => {
    const seed = seedPeeringPolicies();
    expect(seed).toHaveLength(2);
    expect(docs('bgp-peering-policies.yaml')).toEqual(seed);
  });

  it('demo app DaemonSet and NodePort Service', () => {
    const seed = seedDemoApp();
    expect(seed.map((d: { kind: string }) => d.kind)).toEqual(['DaemonSet', 'Service']);
    expect(docs('demo-app.yaml')).toEqual(seed);
  });

  it('helm values are the seed --set flags, monitorAggregation moved under bpf where the chart reads it', () => {
    const seed = seedHelmValues();
    expect(seed.monitorAggregation).toBe('none');
    const { monitorAggregation, ...rest } = seed;
    expect(parse(file('cilium-values.yaml').content)).toEqual({ ...rest, bpf: { monitorAggregation } });
    expect(file('3-install-cilium.sh').content).toContain(`--version ${seedCiliumVersion()} `);
  });

  it('scripts: four, executable, slip fixed, each file they use is rendered', () => {
    const scripts = files.filter((f) => f.kind === 'script');
    expect(scripts.map((s) => s.path)).toEqual(['1-setup-k8s.sh', '2-setup-clab.sh', '3-install-cilium.sh', '4-enable-bgp-peer.sh']);
    for (const s of scripts) {
      expect(s.mode).toBe(0o755);
      expect(s.content.startsWith('#!/bin/bash\n')).toBe(true);
    }
    const install = file('3-install-cilium.sh').content;
    expect(install).toContain('helm repo update');
    expect(install).not.toMatch(/^help /m);
    expect(file('2-setup-clab.sh').content).toContain('clab deploy -t clab.yaml');
    expect(file('4-enable-bgp-peer.sh').content).toContain('kubectl apply -f bgp-peering-policies.yaml');
    // The kind config inside script 1 is the rendered one.
    const k8s = file('1-setup-k8s.sh').content;
    const body = k8s.slice(k8s.indexOf('\n', k8s.indexOf('kind create cluster')) + 1, k8s.lastIndexOf('\nEOF'));
    expect(parse(body)).toEqual(parse(file('kind-config.yaml').content));
    expect(k8s).toContain('--name=cilium-bgp --image=kindest/node:v1.27.3');
  });

  it('every clab bind names a rendered startup config', () => {
    const clab = parse(file('clab.yaml').content);
    for (const [name, node] of Object.entries(clab.topology.nodes as Record<string, { binds?: string[] }>)) {
      for (const b of node.binds ?? []) {
        const src = b.split(':')[0]!;
        if (src.startsWith('./')) expect(files.map((f) => f.path), `${name} bind ${b}`).toContain(src.slice(2));
      }
    }
  });
});
