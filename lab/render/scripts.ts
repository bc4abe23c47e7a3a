// The seed's four setup scripts, regenerated from the model. They run from the render output
// directory (clab.yaml, startup-conf/ and the manifests beside them). The seed's `help repo
// update` slip is fixed.
import type { Topology } from '../topology/schema.js';
import { renderKindConfig } from './kind.js';

export interface ScriptInputs {
  ciliumVersion: string;
  helmValues: Record<string, unknown>;
  /** File with the BGP objects (peering policies, or the 1.16+ objects). */
  bgpFile: string;
}

/**
 * One word of a rendered shell script. The model's patterns already keep its strings to plain
 * words; anything else (a helm value with a space) is single-quoted, so no value can end a word,
 * a command or the heredoc it sits in.
 */
export function shWord(word: string): string {
  return /^[A-Za-z0-9_.,:=\/@%+{}-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `--set a.b=c` pairs, the seed's way of passing helm values. */
export function helmSetPairs(values: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(values).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? helmSetPairs(v as Record<string, unknown>, `${prefix}${k}.`)
      : [`${prefix}${k}=${Array.isArray(v) ? `{${v.join(',')}}` : String(v)}`],
  );
}

export function setupK8s(topo: Topology): string {
  const config = renderKindConfig(topo).trimEnd();
  if (/^EOF$/m.test(config)) throw new Error('kind config contains the heredoc delimiter');
  return [
    '#!/bin/bash',
    'date',
    'set -v',
    '',
    '# 1.prep noCNI env',
    `cat <<'EOF' | kind create cluster ${shWord(`--name=${topo.cluster.name}`)} ${shWord(`--image=${topo.cluster.image}`)} --config=-`,
    config,
    'EOF',
    '',
  ].join('\n');
}

export function setupClab(topo: Topology): string {
  // iproute2 instead of the seed's brctl/ifconfig: Debian 12 ships neither by default.
  const bridges = topo.racks.map((r) => `ip link show ${shWord(r.bridge)} >/dev/null 2>&1 || ip link add ${shWord(r.bridge)} type bridge; ip link set ${shWord(r.bridge)} up`);
  return ['#!/bin/bash', 'set -v', '', ...bridges, '', 'clab deploy -t clab.yaml', ''].join('\n');
}

export function installCilium(topo: Topology, s: ScriptInputs): string {
  const sets = helmSetPairs(s.helmValues).map((p) => `  --set ${shWord(p)} \\`);
  const lastSet = sets.length ? [...sets.slice(0, -1), sets.at(-1)!.replace(/ \\$/, '')] : [];
  return [
    '#!/bin/bash',
    'set -v',
    '',
    '# 1.remove taints',
    'kubectl taint nodes $(kubectl get nodes -o name | grep control-plane) node-role.kubernetes.io/control-plane:NoSchedule-',
    'kubectl get nodes -o wide',
    '',
    '# 2.install cilium cni',
    'helm repo add cilium https://helm.cilium.io/ > /dev/null 2>&1',
    'helm repo update > /dev/null 2>&1',
    '',
    '# No k8sServiceHost/k8sServicePort: the control plane node IP was changed to the rack LAN.',
    `helm install cilium cilium/cilium --version ${shWord(s.ciliumVersion)} --namespace kube-system \\`,
    ...lastSet,
    '',
    '# 3. wait all pods ready',
    'kubectl wait --timeout=100s --for=condition=Ready=true pods --all -A',
    '',
    '# 4. cilium status',
    'kubectl -nkube-system exec ds/cilium -- cilium status',
    '',
    '# 5. cgroup v2 verify',
    `for container in $(docker ps -a --format "{{.Names}}" | grep ${shWord(topo.cluster.name)}); do docker exec $container ls -al /proc/self/ns/cgroup; done`,
    '',
  ].join('\n');
}

export function enableBgpPeer(_topo: Topology, s: ScriptInputs): string {
  return ['#!/bin/bash', 'set -v', '', `kubectl apply -f ${shWord(s.bgpFile)}`, ''].join('\n');
}
