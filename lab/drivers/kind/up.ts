// Executes the kind plan: each step checks the lab host first and skips what is already done,
// so `up` after a failure continues where it stopped. `down` undoes what exists, nothing more.
import type { DriverContext, StepTiming } from '../types.js';
import { runOk } from '../../runners/local.js';
import type { Runner } from '../../runners/types.js';
import type { Topology } from '../../topology/schema.js';
import { LabError } from '../../errors.js';
import { renderAll } from '../../render/index.js';
import { parseBgpSummary } from '../../parsers/frr.js';
import { Steps } from '../embedded/steps.js';
import { preflight } from './preflight.js';
import { kindDownPlan, kindPlan, kubeconfigOf, type PlanStep } from './plan.js';

export interface KindRun {
  runner: Runner;
  lab: string;
  topo: Topology;
  workDir: string;
  ctx: DriverContext;
  /** For the BGP wait; the cluster steps have their own generous limits. */
  timeoutMs: number;
}

const exists = async (runner: Runner, argv: string[]) => (await runner.run(argv)).exitCode === 0;

async function poll(what: string, ms: number, signal: AbortSignal, fn: () => Promise<string | undefined>): Promise<void> {
  const deadline = Date.now() + ms;
  let missing: string | undefined = 'not checked';
  while (Date.now() < deadline) {
    signal.throwIfAborted();
    missing = await fn();
    if (!missing) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new LabError(`${what} not reached after ${Math.round(ms / 1000)} s: ${missing}`);
}

/** Each leaf's neighbors from the topology, all Established in `show bgp summary json`. */
export async function leafSessionsMissing(run: KindRun, leaf: string, argv: string[]): Promise<string | undefined> {
  const router = run.topo.routers.find((r) => r.name === leaf)!;
  const r = await run.runner.run(argv, { timeoutMs: 15_000 });
  if (r.exitCode !== 0) return `${leaf}: vtysh not answering`;
  const peers = parseBgpSummary(r.stdout).peers;
  const down = router.neighbors.filter((n) => peers.find((p) => p.peerAddress === n.address)?.state !== 'Established');
  return down.length ? `${leaf} ↔ ${down.map((n) => n.address).join(', ')} not Established` : undefined;
}

export async function kindUp(run: KindRun, onKubeconfig: (text: string) => Promise<void>, applyFile: (path: string, content: string) => Promise<void>): Promise<StepTiming[]> {
  const { runner, topo, workDir, ctx } = run;
  const steps = new Steps(ctx.progress);
  const plan = kindPlan(topo, run.lab, workDir);
  const files = renderAll(topo);
  const sig = ctx.signal;
  await steps.run('preflight', 'Check docker, kind, containerlab, helm, kubectl', async () => {
    const tools = await preflight(runner, sig);
    ctx.progress({ type: 'log', message: tools.map((t) => `${t.tool} ${t.version}`).join(', ') });
  });
  const skip = (s: PlanStep, why: string) => ctx.progress({ type: 'step', id: s.id, label: s.label, state: 'skip', detail: why });
  for (const s of plan) {
    sig.throwIfAborted();
    const id = s.id;
    if (id.startsWith('preflight-')) continue;
    if (id === 'render') {
      await steps.run(id, s.label, async () => {
        for (const f of files) await runner.writeFile(`${workDir}/${f.path}`, f.content, f.mode);
      });
    } else if (id.startsWith('bridge-') && s.argv[2] === 'add') {
      if (await exists(runner, ['ip', 'link', 'show', s.argv[3]!])) skip(s, 'exists');
      else await steps.run(id, s.label, () => runOk(runner, s.argv));
    } else if (id === 'kind-create') {
      const clusters = (await runOk(runner, ['kind', 'get', 'clusters'])).stdout.split('\n').map((l) => l.trim());
      if (clusters.includes(topo.cluster.name)) skip(s, 'cluster exists');
      else await steps.run(id, s.label, () => runOk(runner, s.argv, { signal: sig, timeoutMs: 600_000 }));
    } else if (id === 'kubeconfig') {
      await steps.run(id, s.label, async () => {
        const text = (await runOk(runner, s.argv)).stdout;
        await runner.writeFile(kubeconfigOf(workDir), text, 0o600);
        await onKubeconfig(text);
      });
    } else if (id === 'nodes') {
      await steps.run(id, s.label, () =>
        poll('all nodes registered', 180_000, sig, async () => {
          const names = (await runner.run(s.argv)).stdout.split('\n').filter(Boolean);
          const want = topo.cluster.nodes.length;
          return names.length >= want ? undefined : `${names.length}/${want} nodes`;
        }),
      );
    } else if (id === 'clab-deploy') {
      const want = topo.routers.length + topo.cluster.nodes.length;
      const running = (await runOk(runner, ['docker', 'ps', '--filter', `label=containerlab=${topo.name}`, '--format', '{{.Names}}'])).stdout.split('\n').filter(Boolean);
      if (running.length >= want) skip(s, `${running.length} containers running`);
      else await steps.run(id, s.label, () => runOk(runner, s.argv, { signal: sig, timeoutMs: 600_000 }));
    } else if (id.startsWith('untaint-')) {
      const node = s.argv[5]!;
      const taints = (await runOk(runner, [...s.argv.slice(0, 3), 'get', 'node', node, '-o', 'jsonpath={.spec.taints[*].key}'])).stdout;
      if (!taints.includes('node-role.kubernetes.io/control-plane')) skip(s, 'no taint');
      else await steps.run(id, s.label, () => runOk(runner, s.argv));
    } else if (id === 'helm-install') {
      if (await exists(runner, ['helm', 'status', 'cilium', '--namespace', 'kube-system', '--kubeconfig', kubeconfigOf(workDir)])) skip(s, 'release exists');
      else await steps.run(id, s.label, () => runOk(runner, s.argv, { signal: sig, timeoutMs: 600_000 }));
    } else if (s.action === 'apply') {
      const path = s.files![0]!;
      const file = files.find((f) => `${workDir}/${f.path}` === path)!;
      await steps.run(id, s.label, () => applyFile(path, file.content));
    } else if (id.startsWith('bgp-')) {
      const leaf = id.slice(4);
      await steps.run(id, s.label, () => poll(`BGP on ${leaf}`, run.timeoutMs, sig, () => leafSessionsMissing(run, leaf, s.argv)));
    } else {
      await steps.run(id, s.label, () => runOk(runner, s.argv, { signal: sig, timeoutMs: 600_000 }));
    }
  }
  return steps.timings;
}

export async function kindDown(run: Omit<KindRun, 'timeoutMs'>): Promise<string[]> {
  const { runner, topo, workDir, ctx } = run;
  const steps = new Steps(ctx.progress);
  const removed: string[] = [];
  for (const s of kindDownPlan(topo, run.lab, workDir)) {
    if (s.id === 'clab-destroy') {
      const running = (await runner.run(['docker', 'ps', '-a', '--filter', `label=containerlab=${topo.name}`, '--format', '{{.Names}}'])).stdout.split('\n').filter(Boolean);
      if (!running.length) continue;
      // destroy reads the topology file; re-render it when the work dir is gone.
      if ((await runner.readFile(`${workDir}/clab.yaml`)) === undefined) {
        const clab = renderAll(topo).find((f) => f.path === 'clab.yaml')!;
        await runner.writeFile(`${workDir}/clab.yaml`, clab.content);
      }
      await steps.run(s.id, s.label, () => runOk(runner, s.argv, { timeoutMs: 300_000 }));
      removed.push(...running);
    } else if (s.id === 'kind-delete') {
      const clusters = (await runner.run(['kind', 'get', 'clusters'])).stdout.split('\n').map((l) => l.trim());
      if (!clusters.includes(topo.cluster.name)) continue;
      await steps.run(s.id, s.label, () => runOk(runner, s.argv, { timeoutMs: 300_000 }));
      removed.push(`kind cluster ${topo.cluster.name}`);
    } else {
      const bridge = s.argv[3]!;
      if (!(await exists(runner, ['ip', 'link', 'show', bridge]))) continue;
      await steps.run(s.id, s.label, () => runOk(runner, s.argv));
      removed.push(bridge);
    }
  }
  return removed;
}
