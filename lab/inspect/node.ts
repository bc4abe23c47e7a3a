// A node seen as Cilium shows it: what its BGP agent advertises (`cilium bgp routes
// advertised`) and its kernel routes (it installs no learned BGP routes).
import type { Driver } from '../drivers/types.js';
import type { Topology } from '../topology/schema.js';
import type { Route, RoutesResult } from '../results.js';
import { findNode, ownerOfAddress, policyForNode } from '../topology/model.js';
import { parseGobgpRib } from '../parsers/gobgp.js';
import { contains } from '../topology/ip.js';

interface IpRoute {
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  scope?: string;
  prefsrc?: string;
}

export async function nodeRoutes(driver: Driver, topo: Topology, node: string, opts: { prefix?: string; protocol?: string; raw?: boolean }): Promise<RoutesResult> {
  const n = findNode(topo, node)!;
  const policy = policyForNode(topo, n);
  const [ipJson, rib] = await Promise.all([
    driver.exec(node, ['ip', '-j', 'route', 'show']),
    policy ? driver.gobgp(node, ['-j', 'global', 'rib']).catch(() => '{}') : Promise.resolve('{}'),
  ]);
  const kernel = JSON.parse(ipJson.stdout || '[]') as IpRoute[];
  let routes: Route[] = kernel.map((r) => {
    const prefix = r.dst === 'default' ? '0.0.0.0/0' : r.dst.includes('/') ? r.dst : `${r.dst}/32`;
    return {
      prefix,
      // `proto kernel` is the connected subnet; `proto boot` routes are the agent's (pods, default).
      protocol: r.protocol === 'kernel' ? 'connected' : r.protocol === 'boot' ? 'static' : r.protocol ?? 'kernel',
      selected: true,
      installed: true,
      nexthops: [{ ip: r.gateway, interface: r.dev, active: true, fib: true, directlyConnected: r.gateway ? undefined : true, device: r.gateway ? ownerOfAddress(topo, r.gateway)?.name : undefined }],
    };
  });
  if (opts.prefix) routes = routes.filter((r) => contains(r.prefix, opts.prefix!.includes('/') ? opts.prefix! : `${opts.prefix}/32`));
  if (opts.protocol) routes = routes.filter((r) => r.protocol === opts.protocol);
  const advertised = parseGobgpRib(rib)
    .filter((p) => p.local)
    .map((p) => ({ prefix: p.prefix, nexthop: p.nexthop, peers: policy?.virtualRouters.flatMap((v) => v.neighbors.map((x) => x.peerAddress.split('/')[0]!)) ?? [] }));
  const raw = opts.raw ? (await driver.exec(node, ['ip', 'route', 'show'])).stdout : undefined;
  return { router: node, kind: 'node', routes, advertised, raw };
}
