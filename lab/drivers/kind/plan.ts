// The real lab's bring-up as data, in the seed's order (1-setup-k8s → 4-enable-bgp-peer, then
// the demo app). Pure: `up --dry-run` prints it, `up` executes it step by step.
import type { Topology } from '../../topology/schema.js';
import { bgpObjectsFile } from '../../render/index.js';

export interface PlanStep {
  id: string;
  label: string;
  /** The program run on the lab host. For `apply` steps: the kubectl equivalent of what the
   *  Kubernetes client does (server-side apply), shown so the plan reads like the seed. */
  argv: string[];
  action: 'run' | 'write' | 'apply' | 'wait';
  /** For `write` and `apply`: the work-dir file(s) involved. */
  files?: string[];
}

export const WORK_ROOT = process.env.BGP_LAB_WORK_DIR ?? '/var/lib/bgp-lab/work';
export const workDirOf = (lab: string) => `${WORK_ROOT}/${lab}`;
export const FIELD_MANAGER = 'bgp-lab';
export const CILIUM_HELM_REPO = 'https://helm.cilium.io/';

/** containerlab names containers clab-<topology name>-<node>. */
export const clabContainer = (topo: Topology, device: string) => `clab-${topo.name}-${device}`;
export const kubeconfigOf = (workDir: string) => `${workDir}/kubeconfig`;

export const PREFLIGHT: { tool: string; argv: string[]; install: string }[] = [
  { tool: 'docker', argv: ['docker', 'version', '--format', '{{.Server.Version}}'], install: 'install Docker Engine (https://docs.docker.com/engine/install/debian/) and start it' },
  { tool: 'kind', argv: ['kind', 'version'], install: 'go install sigs.k8s.io/kind@v0.20.0, or the release binary from https://kind.sigs.k8s.io/' },
  { tool: 'containerlab', argv: ['containerlab', 'version'], install: 'bash -c "$(curl -sL https://get.containerlab.dev)"' },
  { tool: 'helm', argv: ['helm', 'version', '--short'], install: 'https://helm.sh/docs/intro/install/ (get-helm-3 script)' },
  { tool: 'kubectl', argv: ['kubectl', 'version', '--client'], install: 'https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/ (v1.27 to match the nodes)' },
];

export function kindPlan(topo: Topology, lab: string, workDir = workDirOf(lab)): PlanStep[] {
  const kc = kubeconfigOf(workDir);
  const cluster = topo.cluster.name;
  const controlPlane = topo.cluster.nodes.filter((n) => n.role === 'control-plane').map((n) => n.name);
  const bgpFile = bgpObjectsFile(topo.cilium.version);
  const steps: PlanStep[] = PREFLIGHT.map((p) => ({ id: `preflight-${p.tool}`, label: `Check ${p.tool}`, argv: p.argv, action: 'run' }));
  steps.push({ id: 'render', label: `Write the lab artifacts into ${workDir}`, argv: ['mkdir', '-p', workDir], action: 'write' });
  for (const rack of topo.racks) {
    steps.push({ id: `bridge-${rack.bridge}`, label: `Create bridge ${rack.bridge}`, argv: ['ip', 'link', 'add', rack.bridge, 'type', 'bridge'], action: 'run' });
    steps.push({ id: `bridge-${rack.bridge}-up`, label: `Set ${rack.bridge} up`, argv: ['ip', 'link', 'set', rack.bridge, 'up'], action: 'run' });
  }
  steps.push(
    { id: 'kind-create', label: `Create kind cluster ${cluster}`, argv: ['kind', 'create', 'cluster', '--name', cluster, '--image', topo.cluster.image, '--config', `${workDir}/kind-config.yaml`], action: 'run' },
    { id: 'kubeconfig', label: 'Fetch the cluster kubeconfig', argv: ['kind', 'get', 'kubeconfig', '--name', cluster], action: 'write', files: [kc] },
    { id: 'nodes', label: `Wait for ${topo.cluster.nodes.length} nodes to register`, argv: ['kubectl', '--kubeconfig', kc, 'get', 'nodes', '-o', 'name'], action: 'wait' },
    { id: 'clab-deploy', label: `Deploy the containerlab fabric ${topo.name}`, argv: ['containerlab', 'deploy', '-t', `${workDir}/clab.yaml`], action: 'run' },
    ...controlPlane.map((n): PlanStep => ({
      id: `untaint-${n}`,
      label: `Remove the control-plane taint of ${n}`,
      argv: ['kubectl', '--kubeconfig', kc, 'taint', 'nodes', n, 'node-role.kubernetes.io/control-plane:NoSchedule-'],
      action: 'run',
    })),
    { id: 'helm-repo-add', label: 'Add the cilium helm repo', argv: ['helm', 'repo', 'add', 'cilium', CILIUM_HELM_REPO], action: 'run' },
    { id: 'helm-repo-update', label: 'Update helm repos', argv: ['helm', 'repo', 'update'], action: 'run' },
    {
      id: 'helm-install',
      label: `Install Cilium ${topo.cilium.version}`,
      argv: ['helm', 'install', 'cilium', 'cilium/cilium', '--version', topo.cilium.version, '--namespace', 'kube-system', '-f', `${workDir}/cilium-values.yaml`, '--kubeconfig', kc],
      action: 'run',
    },
    { id: 'cilium-ready', label: 'Wait for Cilium to be ready', argv: ['kubectl', '--kubeconfig', kc, '-n', 'kube-system', 'rollout', 'status', 'ds/cilium', '--timeout=300s'], action: 'wait' },
    { id: 'apply-bgp', label: 'Apply the BGP peering policies', argv: applyArgv(kc, `${workDir}/${bgpFile}`), action: 'apply', files: [`${workDir}/${bgpFile}`] },
    { id: 'apply-demo', label: 'Apply the demo app', argv: applyArgv(kc, `${workDir}/demo-app.yaml`), action: 'apply', files: [`${workDir}/demo-app.yaml`] },
    ...topo.routers
      .filter((r) => r.role === 'leaf')
      .map((r): PlanStep => ({
        id: `bgp-${r.name}`,
        label: `Wait for every BGP session of ${r.name} to be Established`,
        argv: ['docker', 'exec', clabContainer(topo, r.name), 'vtysh', '-c', 'show bgp summary json'],
        action: 'wait',
      })),
  );
  return steps;
}

/** argv for people to read and paste: bare words stay bare, others single-quoted (display only). */
export { displayArgv } from '../../argv.js';

function applyArgv(kc: string, file: string): string[] {
  return ['kubectl', '--kubeconfig', kc, 'apply', '--server-side', '--force-conflicts', `--field-manager=${FIELD_MANAGER}`, '-f', file];
}

/** Teardown, newest first: the fabric, the cluster, the bridges. */
export function kindDownPlan(topo: Topology, lab: string, workDir = workDirOf(lab)): PlanStep[] {
  return [
    { id: 'clab-destroy', label: `Destroy the containerlab fabric ${topo.name}`, argv: ['containerlab', 'destroy', '-t', `${workDir}/clab.yaml`, '--cleanup'], action: 'run' },
    { id: 'kind-delete', label: `Delete kind cluster ${topo.cluster.name}`, argv: ['kind', 'delete', 'cluster', '--name', topo.cluster.name], action: 'run' },
    ...topo.racks.map((r): PlanStep => ({ id: `bridge-${r.bridge}-del`, label: `Remove bridge ${r.bridge}`, argv: ['ip', 'link', 'del', r.bridge], action: 'run' })),
  ];
}
