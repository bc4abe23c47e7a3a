// A local HTTPS endpoint that speaks just enough of the Kubernetes API for client-node:
// discovery, server-side apply (PATCH), pod lists. It records every request it gets.
import { createServer, type Server } from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// client-node's own WebSocket library, for the exec sub-protocol (channel.k8s.io).
import { WebSocketServer } from 'ws';

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType?: string;
  body: string;
}

const RESOURCES: Record<string, { name: string; kind: string; namespaced: boolean }[]> = {
  '/api/v1': [
    { name: 'pods', kind: 'Pod', namespaced: true },
    { name: 'services', kind: 'Service', namespaced: true },
    { name: 'nodes', kind: 'Node', namespaced: false },
  ],
  '/apis/apps/v1': [{ name: 'daemonsets', kind: 'DaemonSet', namespaced: true }],
  '/apis/cilium.io/v2alpha1': [
    { name: 'ciliumbgppeeringpolicies', kind: 'CiliumBGPPeeringPolicy', namespaced: false },
  ],
};

export interface FakeApi {
  url: string;
  requests: Recorded[];
  kubeconfig: string;
  close(): Promise<void>;
}

export async function startFakeApi(): Promise<FakeApi> {
  const dir = mkdtempSync(join(tmpdir(), 'bgp-lab-api-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' });
  const cert = readFileSync(join(dir, 'cert.pem'));
  const requests: Recorded[] = [];
  const server: Server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://x');
      requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, contentType: req.headers['content-type'], body });
      res.setHeader('content-type', 'application/json');
      const group = RESOURCES[url.pathname];
      if (req.method === 'GET' && group) {
        const groupVersion = url.pathname.replace(/^\/apis?\//, '');
        return res.end(JSON.stringify({ kind: 'APIResourceList', groupVersion, resources: group.map((r) => ({ ...r, singularName: '', verbs: ['get', 'list', 'patch'] })) }));
      }
      if (req.method === 'PATCH') {
        let obj: unknown = {};
        try {
          obj = JSON.parse(body);
        } catch {}
        return res.end(JSON.stringify(obj));
      }
      if (req.method === 'GET' && /\/pods$/.test(url.pathname)) {
        // One running pod per node, named like a DaemonSet's: <label value>-on-<node>.
        const node = /spec\.nodeName=(.+)/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1];
        const app = (url.searchParams.get('labelSelector') ?? '').split('=')[1];
        const items = node && app ? [{ metadata: { name: `${app}-on-${node}`, creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { nodeName: node }, status: { phase: 'Running' } }] : [];
        return res.end(JSON.stringify({ kind: 'PodList', apiVersion: 'v1', items }));
      }
      res.statusCode = 404;
      res.end(JSON.stringify({ kind: 'Status', status: 'Failure', message: `no ${url.pathname}`, code: 404 }));
    });
  });
  // exec: answers `echo`-like on stdout (channel 1), then the status (channel 3) with the exit code
  // given as the last word when the command is `exit N`.
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => (p.has('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : false) });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'https://x');
    requests.push({ method: 'UPGRADE', path: url.pathname, query: url.searchParams, body: '' });
    wss.handleUpgrade(req, socket, head, (ws) => {
      const argv = url.searchParams.getAll('command');
      const code = argv[0] === 'exit' ? Number(argv[1]) : 0;
      ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(`ran: ${argv.join(' ')}\n`)]));
      const status = code === 0 ? { metadata: {}, status: 'Success' } : { metadata: {}, status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] } };
      ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify(status))]));
      ws.close();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- cluster: { certificate-authority-data: ${cert.toString('base64')}, server: "${url}" }`,
    '  name: kind-test',
    'contexts:',
    '- context: { cluster: kind-test, user: kind-test }',
    '  name: kind-test',
    'current-context: kind-test',
    'users:',
    '- name: kind-test',
    '  user: { token: test-token }',
    '',
  ].join('\n');
  return {
    url,
    requests,
    kubeconfig,
    close: () =>
      new Promise((resolve) => {
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
        rmSync(dir, { recursive: true, force: true });
      }),
  };
}
