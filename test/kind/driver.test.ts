// The kind driver against stand-in tools on PATH: the seed's steps in the seed's order with the
// seed's flags, resumable after a failure, `down` undoing what exists, `--dry-run` = the plan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installStubs, type Stubs } from './stub-tools.js';
import { startFakeApi, type FakeApi } from './fake-apiserver.js';
import type { Topology } from '../../lab/topology/schema.js';
import type { ProgressEvent } from '../../lab/drivers/types.js';

const root = mkdtempSync(join(tmpdir(), 'bgp-lab-kind-'));
const savedEnv = { ...process.env };
let stubs: Stubs;
let api: FakeApi;
let topo: Topology;
let mod: typeof import('../../lab/drivers/kind/index.js');
let runner: import('../../lab/runners/types.js').Runner;
const lab = `kind-t${process.pid}`;
const workDir = join(root, 'work', lab);
const events: ProgressEvent[] = [];
const ctx = () => ({ signal: new AbortController().signal, progress: (e: ProgressEvent) => events.push(e) });
const upOpts = { wait: true, replace: false, timeoutMs: 20_000 };

beforeAll(async () => {
  process.env.BGP_LAB_RUN_DIR = join(root, 'run');
  process.env.BGP_LAB_WORK_DIR = join(root, 'work');
  process.env.BGP_LAB_STATE_DIR = join(root, 'state');
  const { loadTopology } = await import('../../lab/topology/load.js');
  const { DEFAULT_TOPOLOGY_FILE } = await import('../../lab/paths.js');
  topo = loadTopology(DEFAULT_TOPOLOGY_FILE);
  api = await startFakeApi();
  const peers = Object.fromEntries(topo.routers.flatMap((r) => r.neighbors).map((n) => [n.address, { remoteAs: n.asn, state: 'Established', pfxRcd: 3, pfxSnt: 3 }]));
  stubs = installStubs({
    kubeconfig: api.kubeconfig,
    nodes: topo.cluster.nodes.map((n) => n.name),
    clabNames: [...topo.routers.map((r) => r.name), ...topo.cluster.nodes.map((n) => n.server)].map((d) => `clab-${topo.name}-${d}`),
    bgpSummary: JSON.stringify({ ipv4Unicast: { routerId: '10.1.5.1', as: 65005, peers } }),
  });
  process.env.PATH = `${stubs.bin}:${process.env.PATH}`;
  process.env.STUB_STATE = stubs.state;
  mod = await import('../../lab/drivers/kind/index.js');
  const { LocalRunner } = await import('../../lab/runners/local.js');
  runner = new LocalRunner();
});

afterAll(async () => {
  // Whatever a failed test left: the stand-ins' state lives under root, removed with it.
  await api?.close();
  process.env = savedEnv;
  rmSync(root, { recursive: true, force: true });
  if (stubs) rmSync(join(stubs.bin, '..'), { recursive: true, force: true });
});

const driver = () => new mod.KindDriver(lab, runner, workDir);
const key = (argv: string[]) => JSON.stringify(argv);

describe('kind driver on stand-in tools', () => {
  it('a failed `kind create cluster` stops with a clear error; `down` removes what was created', async () => {
    process.env.STUB_FAIL_KIND_CREATE = '1';
    try {
      const err = await driver().up(topo, 'seed.yaml', upOpts, ctx()).catch((e) => e);
      expect(err.message).toMatch(/^`kind create cluster` failed \(exit 1\): ERROR: failed to create cluster/);
      expect(err.message).not.toContain('\n');
      expect(err.hint).toMatch(/up --driver kind.*again.*down/);
    } finally {
      delete process.env.STUB_FAIL_KIND_CREATE;
    }
    expect((await driver().record())?.phase).toBe('creating');
    const made = stubs.calls().filter((c) => c[0] === 'ip' && c[2] === 'add');
    expect(made.map((c) => c[3])).toEqual(['br-leaf0', 'br-leaf1']);
    expect(stubs.calls().some((c) => c[0] === 'containerlab' && c[1] === 'deploy')).toBe(false);

    stubs.reset();
    const { removed } = await driver().down(ctx());
    expect(removed).toEqual(['br-leaf0', 'br-leaf1']);
    const calls = stubs.calls().map(key);
    expect(calls).toContain(key(['ip', 'link', 'del', 'br-leaf0']));
    expect(calls).toContain(key(['ip', 'link', 'del', 'br-leaf1']));
    expect(calls.some((c) => c.includes('"destroy"') || c.includes('"delete"'))).toBe(false);
    expect(await driver().record()).toBeUndefined();
    expect(existsSync(workDir)).toBe(false);
  });

  it('up runs the seed steps in order with the seed flags, then records the lab', async () => {
    stubs.reset();
    api.requests.length = 0;
    const { steps } = await driver().up(topo, 'seed.yaml', upOpts, ctx());
    const plan = mod.kindPlan(topo, lab, workDir);
    const ran = new Set(plan.map((s) => key(s.argv)));
    const executed = stubs.calls().filter((c) => ran.has(key(c)));
    expect(executed).toEqual(plan.filter((s) => s.action !== 'apply' && s.action !== 'write' || s.id === 'kubeconfig').map((s) => s.argv));

    const calls = stubs.calls().map(key);
    const at = (argv: string[]) => calls.indexOf(key(argv));
    const seed = {
      bridge: ['ip', 'link', 'add', 'br-leaf0', 'type', 'bridge'],
      kind: ['kind', 'create', 'cluster', '--name', 'cilium-bgp', '--image', 'kindest/node:v1.27.3', '--config', `${workDir}/kind-config.yaml`],
      clab: ['containerlab', 'deploy', '-t', `${workDir}/clab.yaml`],
      taint: ['kubectl', '--kubeconfig', `${workDir}/kubeconfig`, 'taint', 'nodes', 'cilium-bgp-control-plane', 'node-role.kubernetes.io/control-plane:NoSchedule-'],
      repo: ['helm', 'repo', 'add', 'cilium', 'https://helm.cilium.io/'],
      update: ['helm', 'repo', 'update'],
      helm: ['helm', 'install', 'cilium', 'cilium/cilium', '--version', '1.14.0-rc.0', '--namespace', 'kube-system', '-f', `${workDir}/cilium-values.yaml`, '--kubeconfig', `${workDir}/kubeconfig`],
      bgp: ['docker', 'exec', 'clab-cilium-bgp-leaf0', 'vtysh', '-c', 'show bgp summary json'],
    };
    const order = Object.values(seed).map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    // The rendered artifacts the tools were pointed at.
    expect(readFileSync(`${workDir}/kind-config.yaml`, 'utf8')).toContain('node-ip: 10.1.5.10');
    expect(readFileSync(`${workDir}/cilium-values.yaml`, 'utf8')).toMatch(/bgpControlPlane:\s+enabled: true/);
    expect(existsSync(`${workDir}/startup-conf/spine0-boot.cfg`)).toBe(true);
    // Policies and demo app went through the API with server-side apply, after Cilium was up.
    const patches = api.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((p) => p.path.split('/').at(-1))).toEqual(['rack0', 'rack1', 'app', 'app']);
    expect(steps.map((s) => s.id)).toContain('apply-bgp');
    expect((await driver().record())).toMatchObject({ driver: 'kind', phase: 'up', lab });
    const { readLabRecord } = await import('../../lab/drivers/index.js');
    expect((await readLabRecord(runner, lab))?.driver).toBe('kind');
  });

  it('the primitives reach the routers through docker exec', async () => {
    stubs.reset();
    const out = await driver().vtysh('leaf0', 'show bgp summary json');
    expect(JSON.parse(out).ipv4Unicast.peers['10.1.10.2'].state).toBe('Established');
    expect(stubs.calls()).toEqual([['docker', 'exec', 'clab-cilium-bgp-leaf0', 'vtysh', '-c', 'show bgp summary json']]);
    const r = await driver().exec('spine1', ['ip', '-j', 'route']);
    expect(r.argv).toEqual(['docker', 'exec', 'clab-cilium-bgp-spine1', 'ip', '-j', 'route']);
    // A demo pod: found on its node through the API, reached with the exec API.
    const p = await driver().exec('app-worker2', ['ping', '-c', '1', '10.98.0.10']);
    expect(p.stdout).toBe('ran: ping -c 1 10.98.0.10\n');
    expect(api.requests.filter((x) => x.method === 'UPGRADE').at(-1)!.path).toBe('/api/v1/namespaces/default/pods/app-on-cilium-bgp-worker2/exec');
  });

  it('up again refuses (already up); up after a partial run skips what exists', async () => {
    const err = await driver().up(topo, 'seed.yaml', upOpts, ctx()).catch((e) => e);
    expect(err.message).toMatch(/already up/);
    // Back to 'creating', as if the last run had stopped: nothing is created twice.
    const { writeLabRecord } = await import('../../lab/drivers/index.js');
    await writeLabRecord(runner, { ...(await driver().record())!, phase: 'creating' });
    stubs.reset();
    await driver().up(topo, 'seed.yaml', upOpts, ctx());
    const verbs = stubs.calls().map((c) => c.slice(0, 3).join(' '));
    for (const v of ['ip link add', 'kind create cluster', 'containerlab deploy -t', 'helm install cilium']) expect(verbs).not.toContain(v);
    expect(stubs.calls().some((c) => c.includes('taint') && c.at(-1)!.endsWith('NoSchedule-'))).toBe(false);
    expect(events.some((e) => e.type === 'step' && e.id === 'kind-create' && e.state === 'skip')).toBe(true);
  });

  it('down destroys the fabric, deletes the cluster, removes the bridges', async () => {
    stubs.reset();
    const { removed } = await driver().down(ctx());
    const calls = stubs.calls().map(key);
    const order = [
      ['containerlab', 'destroy', '-t', `${workDir}/clab.yaml`, '--cleanup'],
      ['kind', 'delete', 'cluster', '--name', 'cilium-bgp'],
      ['ip', 'link', 'del', 'br-leaf0'],
      ['ip', 'link', 'del', 'br-leaf1'],
    ].map((a) => calls.indexOf(key(a)));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(removed).toContain('kind cluster cilium-bgp');
    expect(await driver().record()).toBeUndefined();
    expect(existsSync(workDir)).toBe(false);
  });

  it('--dry-run gives the plan and runs nothing', async () => {
    stubs.reset();
    const seen: ProgressEvent[] = [];
    const { steps, plan: planned } = await driver().up(topo, 'seed.yaml', { ...upOpts, dryRun: true }, { signal: new AbortController().signal, progress: (e) => seen.push(e) });
    const plan = mod.kindPlan(topo, lab, workDir);
    expect(steps).toEqual([]); // nothing ran
    expect(planned!.map((s) => s.argv)).toEqual(plan.map((s) => s.argv));
    expect(planned!.map((s) => s.label)).toEqual(plan.map((s) => s.label));
    const shown = planned!.map((s) => mod.displayArgv(s.argv));
    expect(shown.some((l) => l.endsWith("vtysh -c 'show bgp summary json'"))).toBe(true);
    expect(shown.some((l) => l.includes("--format '{{.Server.Version}}'"))).toBe(true);
    expect(stubs.calls()).toEqual([]);
    expect(await driver().record()).toBeUndefined();
  });

  it('`up --driver kind --dry-run` through the command core returns the same plan', async () => {
    const { Session } = await import('../../commands/execute.js');
    const session = new Session({ lab, caller: { surface: 'test', user: 't', level: 'admin' } });
    const out = await session.run(['up', '--driver', 'kind', '--dry-run']);
    await session.close();
    expect(out.error).toBeUndefined();
    const plan = mod.kindPlan(topo, lab);
    const result = out.result as { dryRun: boolean; plan: { argv: string[] }[] };
    expect(result.dryRun).toBe(true);
    expect(result.plan.map((s) => s.argv)).toEqual(plan.map((s) => s.argv));
    expect(stubs.calls()).toEqual([]);
  });

  it('preflight names a missing tool with how to install it', async () => {
    const { preflight } = await import('../../lab/drivers/kind/preflight.js');
    rmSync(join(stubs.bin, 'containerlab'));
    const path = process.env.PATH;
    // Only the stand-ins and the basics: no real containerlab can be found either.
    process.env.PATH = `${stubs.bin}:/usr/bin:/bin`;
    try {
      const err = await preflight(runner).catch((e) => e);
      expect(err.message).toMatch(/containerlab not installed/);
      expect(err.hint).toMatch(/^containerlab: .*get\.containerlab\.dev/);
    } finally {
      process.env.PATH = path;
    }
  });
});
