// A node seen as Cilium shows it: what its BGP agent advertises (`cilium bgp routes
// advertised`) and its kernel routes (it installs no learned BGP routes).
import type { Driver } from '../drivers/types.js';
import type { Topology } from '../topology/schema.js';
import type { AdvertisedRoute, Route, RoutesResult } from '../results.js';
import { findNode, ownerOfAddress } from '../topology/model.js';
import { parseGobgpRib } from '../parsers/gobgp.js';
import { intentOf, pathPeers, type DesiredInstance } from '../cilium/desired.js';
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
  const intent = intentOf(topo, n);
  const instances = intent.state === 'configured' ? intent.agent.instances : [];
  // Every BGP instance's own RIB (embedded: one gobgpd each; a driver that cannot read it: none).
  const [ipJson, ...ribs] = await Promise.all([
    driver.exec(node, ['ip', '-j', 'route', 'show']),
    ...instances.map((_, i) => driver.gobgp(node, ['-j', 'global', 'rib'], { instance: i }).catch(() => '{}')),
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
  const advertised = instances.flatMap((inst, i) => advertisedBy(inst, ribs[i]!, instances.length > 1));
  const raw = opts.raw ? (await driver.exec(node, ['ip', 'route', 'show'])).stdout : undefined;
  return { router: node, kind: 'node', routes, advertised, raw };
}

/** An instance's locally originated paths, each to the neighbors its export sends it to (from the desired state). */
function advertisedBy(inst: DesiredInstance, rib: string, tag: boolean): AdvertisedRoute[] {
  return parseGobgpRib(rib)
    .filter((p) => p.local)
    .map((p) => ({ prefix: p.prefix, nexthop: p.nexthop, peers: pathPeers(inst, p.prefix), ...(tag ? { instance: inst.name, localAs: inst.localASN } : {}) }));
}
