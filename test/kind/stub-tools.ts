// Stand-ins for docker, kind, containerlab, helm, kubectl and ip, first on PATH: each records
// its argv (one line, words separated by \x1f) and answers like the real tool, keeping the
// lab's state as files so `up` after `up` sees what exists.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TOOLS = ['docker', 'kind', 'containerlab', 'helm', 'kubectl', 'ip'];

const SCRIPT = String.raw`#!/bin/sh
S="$STUB_STATE"
me=$(basename "$0")
{ printf '%s' "$me"; for a in "$@"; do printf '\037%s' "$a"; done; printf '\n'; } >> "$S/argv.log"
case "$me $*" in
  "docker version"*) echo "24.0.7" ;;
  "docker ps"*) [ -f "$S/clab" ] && cat "$S/clab-names" ; true ;;
  "docker exec "*" vtysh -c show bgp summary json") cat "$S/bgp-summary.json" ;;
  "docker exec"*) echo "stub exec" ;;
  "kind version") echo "kind v0.20.0 go1.20.4 linux/amd64" ;;
  "kind get clusters") [ -f "$S/kind" ] && cat "$S/kind"; echo "No kind clusters found." >&2 ;;
  "kind create cluster"*)
    if [ -n "$STUB_FAIL_KIND_CREATE" ]; then echo "ERROR: failed to create cluster: node(s) already exist for a cluster with the name" >&2; exit 1; fi
    name=$(echo "$*" | sed 's/.*--name \([^ ]*\).*/\1/'); echo "$name" > "$S/kind" ;;
  "kind get kubeconfig"*) cat "$S/kubeconfig" ;;
  "kind delete cluster"*) rm -f "$S/kind" ;;
  "containerlab version") printf '  version: 0.44.0\n   commit: stub\n' ;;
  "containerlab deploy"*) touch "$S/clab" ;;
  "containerlab destroy"*) rm -f "$S/clab" ;;
  "helm version --short") echo "v3.12.3+g3a31588" ;;
  "helm repo"*) echo "ok" ;;
  "helm status"*) [ -f "$S/helm" ] || { echo "Error: release: not found" >&2; exit 1; } ;;
  "helm install"*) touch "$S/helm" ;;
  "kubectl version --client") echo "Client Version: v1.27.3" ;;
  *"get nodes -o name") cat "$S/nodes" ;;
  *"jsonpath={.spec.taints[*].key}") [ -f "$S/untainted" ] || echo "node-role.kubernetes.io/control-plane" ;;
  *" taint nodes "*) touch "$S/untainted" ;;
  *" rollout status "*) echo 'daemon set "cilium" successfully rolled out' ;;
  "ip link show "*) [ -f "$S/br-$3" ] || { echo "Device \"$3\" does not exist." >&2; exit 1; } ;;
  "ip link add "*) touch "$S/br-$3" ;;
  "ip link set "*) [ -f "$S/br-$3" ] || exit 1 ;;
  "ip link del "*) rm -f "$S/br-$3" ;;
  *) echo "stub: unexpected: $me $*" >&2; exit 3 ;;
esac
`;

export interface Stubs {
  bin: string;
  state: string;
  /** Every call so far, as argv arrays. */
  calls(): string[][];
  reset(): void;
}

export function installStubs(opts: { kubeconfig: string; nodes: string[]; clabNames: string[]; bgpSummary: string }): Stubs {
  const root = mkdtempSync(join(tmpdir(), 'bgp-lab-stubs-'));
  const bin = join(root, 'bin');
  const state = join(root, 'state');
  mkdirSync(bin);
  mkdirSync(state);
  for (const tool of TOOLS) {
    writeFileSync(join(bin, tool), SCRIPT);
    chmodSync(join(bin, tool), 0o755);
  }
  writeFileSync(join(state, 'kubeconfig'), opts.kubeconfig);
  writeFileSync(join(state, 'nodes'), opts.nodes.map((n) => `node/${n}\n`).join(''));
  writeFileSync(join(state, 'clab-names'), opts.clabNames.join('\n') + '\n');
  writeFileSync(join(state, 'bgp-summary.json'), opts.bgpSummary);
  writeFileSync(join(state, 'argv.log'), '');
  return {
    bin,
    state,
    calls: () =>
      existsSync(join(state, 'argv.log'))
        ? readFileSync(join(state, 'argv.log'), 'utf8').split('\n').filter(Boolean).map((l) => l.split('\x1f'))
        : [],
    reset: () => writeFileSync(join(state, 'argv.log'), ''),
  };
}
