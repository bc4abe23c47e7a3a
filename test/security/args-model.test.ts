// Every string of the model is checked against what it becomes, numbers are ranged, sizes are
// capped before the expensive checks: `topo validate` (the CLI, a child process) names the field.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { cli, labName, session } from '../helpers/lab.js';
import type { TopoValidateResult } from '../../commands/topo-validate.js';
import { DEFAULT_TOPOLOGY_FILE } from '../../lab/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'bgp-lab-args-model-'));
const seedText = readFileSync(DEFAULT_TOPOLOGY_FILE, 'utf8');
const LAB = labName('args-model');
let n = 0;

afterAll(async () => {
  await cli(['--lab', LAB, 'down']);
  rmSync(dir, { recursive: true, force: true });
});

/** The seed with one change, written to a file of its own. */
function variant(change: (t: any) => void): string {
  const t = parse(seedText);
  change(t);
  const file = join(dir, `v${++n}.yaml`);
  writeFileSync(file, stringify(t));
  return file;
}

/** `topo validate FILE` through the core, in this process (one CLI start-up per variant would cost ~1 s each). */
async function validate(file: string): Promise<{ exitCode: number; issues: { path: string; message: string }[]; ms: number }> {
  const o = await session(LAB).run(['topo', 'validate', file]);
  return { exitCode: o.exitCode, issues: (o.result as TopoValidateResult | undefined)?.issues ?? [], ms: o.durationMs };
}

const paths = (r: { issues: { path: string }[] }) => r.issues.map((i) => i.path);

describe('strings are checked against what they become', () => {
  it('a demo.name with a newline and `netns exec … touch` is refused, and `up` runs nothing', async () => {
    const marker = join(dir, 'pwned');
    const file = variant((t) => (t.demo.name = `app\nnetns exec bgplab.${LAB}.leaf0 /usr/bin/touch ${marker}`));
    const r = await cli(['--json', 'topo', 'validate', file]);
    expect(r.exitCode).toBe(1);
    expect(paths(JSON.parse(r.stdout))).toContain('demo.name');
    const up = await cli(['--lab', LAB, '--topology', file, 'up', '--pods-per-node', '1']);
    expect(up.exitCode).toBe(2);
    expect(up.stderr).toMatch(/demo\.name/);
    expect(existsSync(marker)).toBe(false);
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(`bgplab.${LAB}.`);
  });

  it('../../ in demo.name, a router name, a node server name and the topology name is refused', async () => {
    for (const [change, path] of [
      [(t: any) => (t.demo.name = '../../etc'), 'demo.name'],
      [(t: any) => (t.routers[0].name = '../../x'), 'routers[0].name'],
      [(t: any) => (t.cluster.nodes[0].server = '../srv'), 'cluster.nodes[0].server'],
      [(t: any) => (t.name = '../../lab'), 'name'],
      [(t: any) => (t.demo.containerName = 'a/../b'), 'demo.containerName'],
    ] as const) {
      const r = await validate(variant(change));
      expect(r.exitCode, path).toBe(1);
      expect(paths(r), path).toContain(path);
    }
  });

  it('labels, images, helm values, the Cilium version and a bridge name follow their rules', async () => {
    for (const [change, path] of [
      [(t: any) => (t.cluster.nodes[0].labels = { rack: 'rack0 x' }), 'cluster.nodes[0].labels.rack'],
      [(t: any) => (t.cluster.nodes[0].labels = { 'bad key\n': 'rack0' }), 'cluster.nodes[0].labels.bad key\n'],
      [(t: any) => (t.cilium.bgpPeeringPolicies[0].nodeSelector.matchLabels = { rack: 'x'.repeat(64) }), 'cilium.bgpPeeringPolicies[0].nodeSelector.matchLabels.rack'],
      [(t: any) => (t.demo.image = 'burlyluo/nettool; touch /tmp/x'), 'demo.image'],
      [(t: any) => (t.cluster.image = 'kindest/node:v1.27.3 --config=/etc/passwd'), 'cluster.image'],
      [(t: any) => (t.routers[0].image = '../vyos'), 'routers[0].image'],
      [(t: any) => (t.cilium.helmValues = { 'a b': 1 }), 'cilium.helmValues.a b'],
      [(t: any) => (t.cilium.helmValues = { debug: { verbose: "x' ; touch /tmp/y; '" } }), 'cilium.helmValues.debug'],
      [(t: any) => (t.cilium.version = '1.14.0; rm -rf /'), 'cilium.version'],
      [(t: any) => (t.racks[0].bridge = 'br-' + 'x'.repeat(20)), 'racks[0].bridge'],
      [(t: any) => (t.routers[0].interfaces[0].description = 'to leaf0\n neighbor 1.1.1.1 shutdown'), 'routers[0].interfaces[0].description'],
    ] as const) {
      const r = await validate(variant(change));
      expect(r.exitCode, path).toBe(1);
      expect(paths(r).some((p) => p.startsWith(path.split('.').slice(0, path.startsWith('cilium.helmValues') ? 2 : 99).join('.'))), `${path}: ${JSON.stringify(r.issues)}`).toBe(true);
    }
  });
});

describe('numbers are range-checked, with the field named', () => {
  it('octets over 255, prefixes over 32, ports over 65535, an ASN of 2^32-1', async () => {
    for (const [change, path] of [
      [(t: any) => (t.routers[0].routerId = '999.1.1.1'), 'routers[0].routerId'],
      [(t: any) => (t.cilium.bgpPeeringPolicies[0].virtualRouters[0].neighbors[0].peerAddress = '999.1.1.1/99'), 'cilium.bgpPeeringPolicies[0].virtualRouters[0].neighbors[0].peerAddress'],
      [(t: any) => (t.cilium.bgpPeeringPolicies[0].virtualRouters[0].neighbors[0].peerASN = 4294967295), 'cilium.bgpPeeringPolicies[0].virtualRouters[0].neighbors[0].peerASN'],
      [(t: any) => (t.demo.service.targetPort = 70000), 'demo.service.targetPort'],
      [(t: any) => (t.demo.service.port = 0), 'demo.service.port'],
      [(t: any) => (t.cluster.podSubnet = '10.0.0.0/33'), 'cluster.podSubnet'],
    ] as const) {
      const r = await validate(variant(change));
      expect(r.exitCode, path).toBe(1);
      expect(paths(r), path).toContain(path);
    }
  });

  it('policy set with 999.1.1.1/99 or peerASN 4294967295: refused in one line naming the field', async () => {
    // The CLI once (what a person sees on stderr), the rest through the core.
    const r = await cli(['--lab', LAB, 'policy', 'set', 'rack1', 'peerASN', '4294967295']);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    expect(r.stderr).toMatch(/peerASN.*4294967294/);
    expect(r.stderr).not.toMatch(/ZodError|"code"|\[\s*\{/);
    for (const [field, value] of [['peerAddress', '999.1.1.1/99'], ['holdTimeSeconds', '70000'], ['keepAliveTimeSeconds', '70000']]) {
      const o = await session(LAB).run(['policy', 'set', 'rack1', field!, value!]);
      expect(o.exitCode, o.error?.message).toBe(2);
      expect(o.error!.message).not.toContain('\n');
      expect(o.error!.message).toMatch(new RegExp(`${field}: `));
    }
  });
});

describe('sizes are capped before the expensive checks', () => {
  const withNodes = (count: number) => {
    const t = parse(seedText);
    const nodes = t.cluster.nodes as unknown[];
    for (let i = 0; i < count - 4; i++) nodes.push({ name: `n${i}`, role: 'worker', ip: `10.1.5.${(i % 240) + 12}`, labels: { rack: 'rack0' }, rack: 'rack0', server: `s${i}` });
    const file = join(dir, `nodes-${count}.yaml`);
    writeFileSync(file, stringify(t, { collectionStyle: 'flow', lineWidth: 0 }));
    return file;
  };

  it('a 10,000-node file is refused in under a second, from the CLI too', async () => {
    const file = withNodes(10_000);
    const o = await session(LAB).run(['topo', 'validate', file]);
    expect(o.exitCode).toBe(2);
    expect(o.error!.message).toMatch(/over 256 KiB/);
    expect(o.durationMs).toBeLessThan(1000);
    const r = await cli(['topo', 'validate', file]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/over 256 KiB/);
  });

  it('300 nodes in a small file: refused by the node limit (before the schema), naming cluster.nodes', async () => {
    const r = await validate(withNodes(300));
    expect(r.exitCode).toBe(1);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ path: 'cluster.nodes', message: '300 nodes; at most 96' });
  });
});
