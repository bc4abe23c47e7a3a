// Contract over SSH: the kind API server listens on the lab host's loopback, so client-node
// reaches it through a port forwarded by the SSH runner, with TLS still verified end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SshRunner } from '../../lab/runners/ssh.js';
import { Kube } from '../../lab/drivers/kind/kube.js';
import { knownHostsLine, startSshd, type Sshd } from './sshd-fixture.js';
import { startFakeApi, type FakeApi } from '../kind/fake-apiserver.js';

let sshd: Sshd;
let api: FakeApi;
let runner: SshRunner | undefined;

beforeAll(async () => {
  [sshd, api] = await Promise.all([startSshd(), startFakeApi()]);
  writeFileSync(join(sshd.dir, 'known_hosts'), knownHostsLine(sshd));
  runner = await SshRunner.connect(sshd.host, { identity: sshd.identity, knownHosts: join(sshd.dir, 'known_hosts') });
});

afterAll(async () => {
  await runner?.close();
  await api?.close();
  await sshd?.stop();
});

describe('Kubernetes API through the SSH runner (contract)', () => {
  it('server-side applies over a forwarded port', async () => {
    const kube = await Kube.open(api.kubeconfig, runner!);
    const applied = await kube.apply('apiVersion: cilium.io/v2alpha1\nkind: CiliumBGPPeeringPolicy\nmetadata: { name: rack0 }\nspec: { nodeSelector: { matchLabels: { rack: rack0 } } }\n');
    expect(applied).toEqual(['CiliumBGPPeeringPolicy/rack0']);
    const patch = api.requests.find((r) => r.method === 'PATCH')!;
    expect(patch.path).toBe('/apis/cilium.io/v2alpha1/ciliumbgppeeringpolicies/rack0');
    expect(patch.contentType).toBe('application/apply-patch+yaml');
    // It came through sshd, not straight from this process: the kubeconfig was pointed elsewhere.
    expect(kube.kc.getCurrentCluster()!.server).not.toBe(api.url);
  });
});
