// LB-IPAM conflict: a Service is changed to request an IP another Service already holds
// (spec.loadBalancerIP). Cilium's operator releases its old address (no longer requested), cannot
// allocate the requested one (`io.cilium/lb-ipam-request-satisfied` False, reason
// already_allocated) and the Service has no LoadBalancer IP: nothing to advertise, the client's
// requests to its old address go nowhere. (Overlapping pools fail the same way: the newer pool is
// marked `io.cilium/conflict` and allocates nothing; explain reports both.)
import { defineScenario } from './types.js';
import { applyTopology } from './policy.js';
import { editService } from '../services/edit.js';
import { clientReaches, ipOf, serviceWith, spineRoutes } from './service-util.js';
import { verdict } from './util.js';

export default defineScenario({
  id: 'lb-pool-conflict',
  title: 'A Service requests an IP another Service holds: LB-IPAM gives it none',
  target: (t) => {
    const a = serviceWith(t, 'Cluster');
    const b = serviceWith(t, 'Local');
    return { service: b.svc.name, ip: b.ip, taken: a.ip, holder: a.svc.name };
  },
  page: (f) => `[CRITICAL] ${f.service} (${f.ip}) unreachable from outside since someone "pinned its IP"; kubectl shows EXTERNAL-IP <pending>.`,
  hints: (f) => [
    `\`services\`: what IP and condition does ${f.service} have?`,
    `\`explain ${f.service}\`: LB-IPAM's io.cilium/lb-ipam-request-satisfied condition says why it got no address.`,
    `\`service set ${f.service} loadBalancerIP none\` (let LB-IPAM pick a free one).`,
  ],
  cause: (f) => `${f.service} was set to request loadBalancerIP ${f.taken}, which ${f.holder} holds; LB-IPAM released ${f.ip} and reported already_allocated, so ${f.service} had no IP and nothing was advertised.`,
  fix: (f) => [`service set ${f.service} loadBalancerIP none`],
  async inject(ctx, f) {
    const rec = await ctx.record();
    await applyTopology(ctx.d, rec, editService(rec.topology, String(f.service), 'loadBalancerIP', String(f.taken)).topology);
  },
  async isFixed(ctx, f) {
    const t = (await ctx.record()).topology;
    const ip = ipOf(t, String(f.service));
    return verdict([
      [`${f.service} has a LoadBalancer IP`, async () => Boolean(ip)],
      [`both spines route ${ip}/32`, () => spineRoutes(ctx, t, ip!)],
      [`the client reaches ${f.service}`, () => clientReaches(ctx, t, ip!)],
    ]);
  },
  async restore() {
    // The generic restore puts the Service's spec back from the drill's baseline model.
  },
});
