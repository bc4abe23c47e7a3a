// The kind cluster's API through @kubernetes/client-node: server-side apply of the rendered
// manifests, the demo pods, and exec in them. Over SSH the API server (on the lab host's
// loopback) is reached through a forwarded local port.
import { Exec, KubeConfig, KubernetesObjectApi, CoreV1Api, PatchStrategy, type KubernetesObject, type V1Status } from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import { parseAllDocuments } from 'yaml';
import type { Runner, RunOptions, RunResult } from '../../runners/types.js';
import { LabError } from '../../errors.js';
import { FIELD_MANAGER } from './plan.js';

interface Forwarder {
  forwardLocal(host: string, port: number): Promise<number>;
}

export class Kube {
  private constructor(readonly kc: KubeConfig) {}

  /** From `kind get kubeconfig` output; tunnels through the runner when it is remote. */
  static async open(kubeconfig: string, runner: Runner): Promise<Kube> {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfig);
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new LabError('the kind kubeconfig has no cluster', { hint: 'run `bgp-lab up --driver kind` again' });
    if ('forwardLocal' in runner) {
      const url = new URL(cluster.server);
      const port = await (runner as unknown as Forwarder).forwardLocal(url.hostname, Number(url.port || 443));
      // Same host name (127.0.0.1 is in the API server certificate), local end of the tunnel.
      url.port = String(port);
      (cluster as { server: string }).server = url.toString().replace(/\/$/, '');
    }
    return new Kube(kc);
  }

  /** Server-side apply of every document, as `kubectl apply --server-side --force-conflicts --field-manager=bgp-lab`
   *  (bgp-lab owns these objects: its own edits win over stale managers). */
  async apply(manifests: string): Promise<string[]> {
    const api = KubernetesObjectApi.makeApiClient(this.kc);
    const applied: string[] = [];
    for (const doc of parseAllDocuments(manifests)) {
      const obj = doc.toJS() as KubernetesObject | null;
      if (!obj?.kind) continue;
      try {
        await api.patch(obj, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
      } catch (err) {
        throw new LabError(`applying ${obj.kind} ${obj.metadata?.name}: ${apiMessage(err)}`, {
          hint: obj.kind.startsWith('CiliumBGP') ? 'is Cilium installed with bgpControlPlane.enabled=true (its CRDs)?' : 'see `kubectl get events`',
        });
      }
      applied.push(`${obj.kind}/${obj.metadata?.name}`);
    }
    return applied;
  }

  /** Names of pods with `label` on `node`, oldest first (the order the DaemonSet made them). */
  async podsOn(namespace: string, label: string, node: string): Promise<string[]> {
    const core = this.kc.makeApiClient(CoreV1Api);
    const list = await core.listNamespacedPod({ namespace, labelSelector: label, fieldSelector: `spec.nodeName=${node}` });
    return list.items
      .filter((p) => p.status?.phase === 'Running')
      .sort((a, b) => String(a.metadata?.creationTimestamp).localeCompare(String(b.metadata?.creationTimestamp)))
      .map((p) => p.metadata!.name!);
  }

  async exec(namespace: string, pod: string, container: string, argv: string[], opts: RunOptions = {}): Promise<RunResult> {
    const started = performance.now();
    let stdout = '';
    let stderr = '';
    const sink = (add: (s: string) => void) => new Writable({ write: (chunk: Buffer, _e, cb) => (add(chunk.toString()), cb()) });
    let status: V1Status | undefined;
    let timedOut = false;
    let cancelled = false;
    const done = new Promise<void>((resolve) => {
      void new Exec(this.kc)
        .exec(namespace, pod, container, argv, sink((s) => (stdout += s)), sink((s) => (stderr += s)), null, false, (st) => {
          status = st;
          resolve();
        })
        .then((ws) => {
          ws.on('close', () => resolve());
          const stop = (why: 'timeout' | 'cancel') => {
            if (why === 'timeout') timedOut = true;
            else cancelled = true;
            ws.close();
          };
          if (opts.timeoutMs) setTimeout(() => stop('timeout'), opts.timeoutMs).unref();
          opts.signal?.addEventListener('abort', () => stop('cancel'), { once: true });
        })
        .catch((err: unknown) => {
          stderr += apiMessage(err);
          resolve();
        });
    });
    await done;
    return { argv, stdout, stderr, exitCode: exitCodeOf(status, timedOut || cancelled), timedOut, cancelled, durationMs: performance.now() - started };
  }
}

/** Exec status: Success → 0; NonZeroExitCode carries the code in details.causes. */
function exitCodeOf(status: V1Status | undefined, stopped: boolean): number {
  if (status?.status === 'Success') return 0;
  const cause = status?.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (cause?.message) return Number(cause.message);
  return stopped ? 137 : 1;
}

function apiMessage(err: unknown): string {
  const body = (err as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      return body.split('\n')[0]!;
    }
  }
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}
