// What the Service drills share: the lab's Services by policy, whether a Service is routed from
// outside (a spine has its /32), and whether the client gets an answer.
import type { Topology } from '../topology/schema.js';
import type { Service } from '../topology/services-schema.js';
import type { DrillCtx } from './types.js';
import { UsageError } from '../errors.js';
import { lbIpam, serviceKey } from '../services/lbipam.js';
import { servicesOf } from '../services/endpoints.js';
import { nexthops } from './util.js';

/** The first Service with this externalTrafficPolicy and an IP; the drills need cilium-bgp-lb's. */
export function serviceWith(t: Topology, etp: Service['externalTrafficPolicy']): { svc: Service; ip: string } {
  const ipam = lbIpam(t);
  const svc = servicesOf(t).find((s) => s.externalTrafficPolicy === etp && ipam.allocations.get(serviceKey(s))?.ip);
  if (!svc || !t.client) throw new UsageError(`this drill needs a LoadBalancer Service with externalTrafficPolicy ${etp} and a client`, 'bring the lab up with `--topology cilium-bgp-lb`');
  return { svc, ip: ipam.allocations.get(serviceKey(svc))!.ip! };
}

export const ipOf = (t: Topology, name: string) => lbIpam(t).allocations.get(`default/${name}`)?.ip;

export async function spineRoutes(ctx: DrillCtx, t: Topology, ip: string): Promise<boolean> {
  const spines = t.routers.filter((r) => r.role === 'spine');
  for (const s of spines) if (!(await nexthops(ctx, s.name, `${ip}/32`)).length) return false;
  return true;
}

/** The client's HTTP request to the IP is answered (a few tries: a fix may still be converging). */
export async function clientReaches(ctx: DrillCtx, t: Topology, ip: string): Promise<boolean> {
  for (let i = 0; i < 3; i++) {
    const r = await ctx.d.exec(t.client!.name, ['curl', '-s', '-m', '2', '--noproxy', '*', '--', `http://${ip}/`]);
    if (r.exitCode === 0 && r.stdout.trim()) return true;
  }
  return false;
}
