// A LoadBalancer Service stops being advertised: someone relabelled it, and the peering
// policies' serviceSelector (1.14 virtualRouters[].serviceSelector) no longer matches it. LB-IPAM
// still gives it its IP, the pods are fine, every session is up; no node announces the /32.
// The most common "my LB IP is not advertised" report (cilium#35121 and its relatives).
import { defineScenario } from './types.js';
import { applyTopology } from './policy.js';
import { labelService } from '../services/edit.js';
import { findService } from '../services/endpoints.js';
import { clientReaches, serviceWith, spineRoutes } from './service-util.js';
import { selectorMatches } from '../cilium/selector.js';
import { verdict } from './util.js';

export default defineScenario({
  id: 'service-not-advertised',
  title: "A LoadBalancer Service's labels no longer match the advertisement's serviceSelector",
  target: (t) => {
    const { svc, ip } = serviceWith(t, 'Cluster');
    const sel = t.cilium.bgpPeeringPolicies.map((p) => p.virtualRouters[0]!.serviceSelector).find((s) => s && selectorMatches(s, svc.labels));
    const [key, value] = Object.entries(sel?.matchLabels ?? {})[0] ?? ['advertise', 'bgp'];
    return { service: svc.name, ip, key, value, wrong: value === 'public' ? 'internal' : 'public' };
  },
  page: (f) => `[CRITICAL] ${f.service} (${f.ip}) unreachable from outside the cluster since the last deploy; pods Running, BGP sessions Established.`,
  hints: (f) => [
    `\`services\`: does ${f.service} still have its IP, and who advertises it? \`routes spine0 --prefix ${f.ip}/32\`.`,
    `\`explain ${f.service}\`: which serviceSelector should pick it up, and which label does it miss?`,
    `\`service label ${f.service} ${f.key}=${f.value}\`.`,
  ],
  cause: (f) => `${f.service} was relabelled ${f.key}=${f.wrong}; the peering policies' serviceSelector ${f.key}=${f.value} stopped matching it, so no node announced ${f.ip}/32 although LB-IPAM kept its IP.`,
  fix: (f) => [`service label ${f.service} ${f.key}=${f.value}`],
  async inject(ctx, f) {
    const rec = await ctx.record();
    await applyTopology(ctx.d, rec, labelService(rec.topology, String(f.service), `${f.key}=${f.wrong}`).topology);
  },
  async isFixed(ctx, f) {
    const t = (await ctx.record()).topology;
    const ip = String(f.ip);
    return verdict([
      [`a serviceSelector matches ${f.service}`, async () => t.cilium.bgpPeeringPolicies.some((p) => { const s = p.virtualRouters[0]!.serviceSelector; const svc = findService(t, String(f.service)); return Boolean(s && svc && selectorMatches(s, svc.labels)); })],
      [`both spines route ${ip}/32`, () => spineRoutes(ctx, t, ip)],
      [`the client reaches ${f.service}`, () => clientReaches(ctx, t, ip)],
    ]);
  },
  async restore() {
    // The generic restore puts the Service's labels back from the drill's baseline model.
  },
});
