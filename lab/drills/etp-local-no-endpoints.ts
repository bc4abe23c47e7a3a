// externalTrafficPolicy Local: only nodes with a ready local endpoint announce the Service IP
// (1.14 LBServiceReconciler, hasLocalEndpoints). The Deployment behind it is scaled down and the
// endpoint on one of the two announcing nodes goes: that node withdraws its /32, the leaf loses
// half its next hops and the client's connections that hashed onto that node shift to the other
// (in flight ones break). Nothing is "down", which is what makes it confusing.
import { defineScenario } from './types.js';
import { applyTopology } from './policy.js';
import { scaleWorkload } from '../services/edit.js';
import { endpointsOf, workloadsOf } from '../services/endpoints.js';
import { clientReaches, serviceWith } from './service-util.js';
import { labelsMatch } from '../services/endpoints.js';
import { nexthops, verdict } from './util.js';
import { UsageError } from '../errors.js';

export default defineScenario({
  id: 'etp-local-no-endpoints',
  title: 'A Local Service loses the endpoint on one of its nodes: that node withdraws the IP',
  target: (t) => {
    const { svc, ip } = serviceWith(t, 'Local');
    const w = workloadsOf(t).find((x) => labelsMatch(svc.selector, x.labels));
    const nodes = [...new Set(endpointsOf(t, svc).map((e) => e.node))];
    if (!w || nodes.length < 2) throw new UsageError(`this drill needs ${svc.name}'s Deployment on two nodes or more`, 'bring the lab up with `--topology cilium-bgp-lb`');
    const rack = t.racks.find((r) => r.name === t.cluster.nodes.find((n) => n.name === nodes[0])!.rack)!;
    return { service: svc.name, ip, workload: w.name, replicas: w.replicas, to: w.replicas - 1, leaf: rack.leaf, lost: nodes.at(-1)!, kept: nodes[0]!, width: nodes.length };
  },
  page: (f) => `[WARNING] ${f.service} (${f.ip}): ${f.leaf} has fewer next hops for it than this morning; some client connections were reset. No alert on the pods.`,
  hints: (f) => [
    `\`routes ${f.leaf} --prefix ${f.ip}/32\` and \`services\`: which nodes advertise ${f.ip} now?`,
    `\`explain ${f.service}\`: ${f.service} has externalTrafficPolicy Local — a node announces it only while it has a ready local endpoint. Where are the endpoints?`,
    `\`workload scale ${f.workload} ${f.replicas}\` (or \`service set ${f.service} externalTrafficPolicy Cluster\`, which trades the client's source address for every node announcing).`,
  ],
  cause: (f) => `${f.workload} was scaled from ${f.replicas} to ${f.to}; ${f.lost} lost its only endpoint of ${f.service} (externalTrafficPolicy Local) and withdrew ${f.ip}/32, so ${f.leaf} kept one next hop and the client's connections through ${f.lost} moved to ${f.kept}.`,
  fix: (f) => [`workload scale ${f.workload} ${f.replicas}`],
  async inject(ctx, f) {
    const rec = await ctx.record();
    await applyTopology(ctx.d, rec, scaleWorkload(rec.topology, String(f.workload), Number(f.to)).topology);
  },
  async isFixed(ctx, f) {
    const t = (await ctx.record()).topology;
    const ip = String(f.ip);
    return verdict([
      [`${f.leaf} has ${f.width} next hops for ${ip}/32`, async () => (await nexthops(ctx, String(f.leaf), `${ip}/32`)).length >= Number(f.width)],
      [`the client reaches ${f.service}`, () => clientReaches(ctx, t, ip)],
    ]);
  },
  async restore() {
    // The generic restore scales the Deployment back from the drill's baseline model.
  },
});
