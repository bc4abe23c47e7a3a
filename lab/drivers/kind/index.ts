// The real lab: kind nodes, a containerlab fabric of VyOS routers, Cilium's BGP control plane.
// Every program runs through the Runner (local or SSH); the Kubernetes API through client-node.
import type { PlannedStep } from '../types.js';
import type { DeviceHealth, Driver, DriverContext, GobgpOptions, LabRecord, StepTiming, UpOptions } from '../types.js';
import type { Runner, RunOptions, RunResult } from '../../runners/types.js';
import type { Topology } from '../../topology/schema.js';
import { LabError, UsageError } from '../../errors.js';
import { labDir, readLabRecord, writeLabRecord } from '../index.js';
import { findNode, findRouter, podsOf } from '../../topology/model.js';
import { clabContainer, kindPlan, kubeconfigOf, workDirOf } from './plan.js';
import { kindDown, kindUp } from './up.js';
import { runOk } from '../../runners/local.js';
import type { Kube } from './kube.js';
import { ciliumPeersAsGobgp } from './cilium-peers.js';
import { versionAtLeast } from '../../cilium/version.js';

export { kindPlan, displayArgv } from './plan.js';
export type { PlanStep } from './plan.js';

export class KindDriver implements Driver {
  readonly name = 'kind' as const;
  private kube?: Promise<Kube>;

  constructor(
    readonly lab: string,
    readonly runner: Runner,
    readonly workDir = workDirOf(lab),
  ) {}

  record(): Promise<LabRecord | undefined> {
    return readLabRecord(this.runner, this.lab);
  }

  private async requireUp(): Promise<LabRecord> {
    const rec = await this.record();
    if (!rec) throw new LabError(`lab ${this.lab} is not up`, { hint: `run \`bgp-lab --lab ${this.lab} up --driver kind\`` });
    return rec;
  }

  private client(kubeconfig?: string): Promise<Kube> {
    this.kube ??= (async () => {
      const text = kubeconfig ?? (await this.runner.readFile(kubeconfigOf(this.workDir)));
      if (!text) throw new LabError(`no kubeconfig for lab ${this.lab}`, { hint: 'run `bgp-lab up --driver kind` to finish bringing it up' });
      const { Kube } = await import('./kube.js');
      return Kube.open(text, this.runner);
    })();
    return this.kube;
  }

  async up(topology: Topology, topologyFile: string, opts: UpOptions, ctx: DriverContext): Promise<{ steps: StepTiming[]; plan?: PlannedStep[] }> {
    if (opts.dryRun) {
      const plan = kindPlan(topology, this.lab, this.workDir);
      return { steps: [], plan: plan.map((s) => ({ label: s.label, argv: s.argv })) };
    }
    const existing = await this.record();
    if (existing?.phase === 'up' && !opts.replace)
      throw new UsageError(`lab ${this.lab} is already up`, `use it, or \`up --replace\` to rebuild it, or \`down\` first`);
    if (existing && opts.replace) await this.down(ctx);
    // Recorded before anything is created, so `down` can always undo a half-built lab.
    const record: LabRecord = {
      lab: this.lab,
      driver: 'kind',
      topologyFile,
      topology,
      podsPerNode: 1, // a DaemonSet: one demo pod per node
      createdAt: existing && !opts.replace ? existing.createdAt : new Date().toISOString(),
      phase: 'creating',
    };
    await writeLabRecord(this.runner, record);
    const run = { runner: this.runner, lab: this.lab, topo: topology, workDir: this.workDir, ctx, timeoutMs: Math.max(opts.timeoutMs ?? 0, 300_000) };
    let steps: StepTiming[];
    try {
      steps = await kindUp(
        run,
        async (kubeconfig) => {
          this.kube = undefined;
          await this.client(kubeconfig);
        },
        async (_path, content) => {
          await (await this.client()).apply(content);
        },
      );
    } catch (err) {
      if (err instanceof LabError && !err.hint)
        throw new LabError(err.message, { hint: `run \`up --driver kind\` again to continue, or \`down\` to remove what was created` });
      throw err;
    }
    await writeLabRecord(this.runner, { ...record, phase: 'up' });
    return { steps };
  }

  async down(ctx: DriverContext): Promise<{ removed: string[] }> {
    const rec = await this.record();
    if (!rec) return { removed: [] };
    const removed = await kindDown({ runner: this.runner, lab: this.lab, topo: rec.topology, workDir: this.workDir, ctx });
    await runOk(this.runner, ['rm', '-rf', '--', this.workDir, `${labDir(this.lab)}/lab.json`]);
    this.kube = undefined;
    return { removed };
  }

  async health(): Promise<DeviceHealth[]> {
    const rec = await this.requireUp();
    const topo = rec.topology;
    const ps = await this.runner.run(['docker', 'ps', '-a', '--format', '{{.Names}}\t{{.State}}']);
    const state = new Map(ps.stdout.split('\n').filter(Boolean).map((l) => l.split('\t') as [string, string]));
    const alive = (c: string) => state.get(c) === 'running';
    return [
      ...topo.routers.map((r): DeviceHealth => ({ name: r.name, kind: 'router', namespace: false, daemons: [{ name: clabContainer(topo, r.name), alive: alive(clabContainer(topo, r.name)) }] })),
      ...topo.cluster.nodes.map((n): DeviceHealth => ({ name: n.name, kind: 'node', namespace: false, daemons: [{ name: n.name, alive: alive(n.name) }] })),
      ...topo.racks.map((r): DeviceHealth => ({ name: r.bridge, kind: 'bridge', namespace: false, daemons: [] })),
    ];
  }

  async vtysh(router: string, command: string, opts?: RunOptions): Promise<string> {
    const topo = (await this.requireUp()).topology;
    if (!findRouter(topo, router)) throw new UsageError(`no router ${router}`, `routers: ${topo.routers.map((r) => r.name).join(', ')}`);
    return (await runOk(this.runner, ['docker', 'exec', clabContainer(topo, router), 'vtysh', '-c', command], opts)).stdout;
  }

  /** Cilium embeds GoBGP without its CLI; `-j neighbor` is answered from `cilium bgp peers`. */
  async gobgp(node: string, args: string[], opts?: GobgpOptions): Promise<string> {
    const topo = (await this.requireUp()).topology;
    if (!findNode(topo, node)) throw new UsageError(`no node ${node}`, `nodes: ${topo.cluster.nodes.map((n) => n.name).join(', ')}`);
    if (args.join(' ') !== '-j neighbor')
      throw new LabError(`gobgp ${args.join(' ')} is not available on the kind lab`, { hint: 'Cilium embeds GoBGP without its CLI; use `peers`' });
    const kube = await this.client();
    const [pod] = await kube.podsOn('kube-system', 'k8s-app=cilium', node);
    if (!pod) throw new LabError(`no running Cilium agent on ${node}`, { hint: 'see `kubectl -n kube-system get pods -o wide`' });
    // The agent's CLI was renamed cilium-dbg in 1.15.
    const cli = versionAtLeast(topo.cilium.version, 1, 15) ? 'cilium-dbg' : 'cilium';
    // One agent serves every instance: `cilium bgp peers` lists them all, whichever is asked.
    const { instance: _all, ...run } = opts ?? {};
    const r = await kube.exec('kube-system', pod, 'cilium-agent', [cli, 'bgp', 'peers', '-o', 'json'], run);
    if (r.exitCode !== 0) throw new LabError(`cilium bgp peers on ${node} failed: ${r.stderr.trim().split('\n').at(-1)}`);
    return ciliumPeersAsGobgp(r.stdout);
  }

  async exec(device: string, argv: string[], opts?: RunOptions): Promise<RunResult> {
    const topo = (await this.requireUp()).topology;
    if (findRouter(topo, device)) return this.runner.run(['docker', 'exec', clabContainer(topo, device), ...argv], opts);
    if (findNode(topo, device)) return this.runner.run(['docker', 'exec', device, ...argv], opts);
    const pod = podsOf(topo, 1).find((p) => p.name === device);
    if (!pod) throw new UsageError(`no device ${device}`, 'see `bgp-lab topo show` for routers, nodes and pods');
    const kube = await this.client();
    const [real] = await kube.podsOn('default', `app=${topo.demo.name}`, pod.node);
    if (!real) throw new LabError(`no running ${topo.demo.name} pod on ${pod.node}`, { hint: 'see `kubectl get pods -o wide`' });
    return kube.exec('default', real, topo.demo.containerName, argv, opts);
  }
}
