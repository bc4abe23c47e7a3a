// `services` and `explain`: what Cilium allocated and advertises, read from the model the way the
// operator and the agents decide it, checked against what the running lab really does (each
// agent's gobgpd RIB, each router's best path). explain answers "why is my LoadBalancer IP (or
// pod CIDR) not advertised / not routed?" as a chain: pool → Service → selector → advertisement
// → nodes → routers, and names the first link that breaks.
import type { Driver } from '../drivers/types.js';
import type { KubeNode, Topology } from '../topology/schema.js';
import type { Service } from '../topology/services-schema.js';
import { contains, isValidIp } from '../topology/ip.js';
import { podCidrOf, policyForNode } from '../topology/model.js';
import { intentOf } from '../cilium/desired.js';
import { parseRouteTable } from '../parsers/frr.js';
import { selectorMatches, selectorText, type LabelSelector } from '../cilium/selector.js';
import { serviceDecisions } from '../cilium/services.js';
import { lbIpam, serviceKey, type LbIpam } from './lbipam.js';
import { endpointsOf, findService, servicesOf } from './endpoints.js';

export interface ServiceRow {
  name: string;
  namespace: string;
  type: Service['type'];
  externalTrafficPolicy: Service['externalTrafficPolicy'];
  loadBalancerIP: string | null;
  pool: string | null;
  port: number;
  backends: { pod: string; node: string; ip: string }[];
  /** The nodes whose agent announces the IP now (their gobgpd RIB), or the model's when the lab is not up. */
  advertisedBy: string[];
  /** The nodes the model says should announce it (differs from advertisedBy while an agent is down). */
  expectedAdvertisedBy: string[];
  condition?: { type: string; status: string; reason: string; message: string };
}

export interface ServicesResult {
  services: ServiceRow[];
  pools: { name: string; cidrs: string[]; disabled: boolean; conflicting: boolean; conflict?: string; used: number; total: number }[];
  /** `agents`: advertisedBy read from the running agents; `model`: from the model only. */
  advertisedFrom: 'agents' | 'model';
}

/** Each node's locally originated prefixes in its gobgpd (undefined when it could not be read). */
export async function agentRibs(driver: Driver | undefined, topo: Topology): Promise<Map<string, Set<string>> | undefined> {
  if (!driver) return undefined;
  const out = new Map<string, Set<string>>();
  let read = 0;
  await Promise.all(
    topo.cluster.nodes.map(async (n) => {
      if (!policyForNode(topo, n)) return out.set(n.name, new Set());
      const intent = intentOf(topo, n);
      const count = intent.state === 'configured' ? Math.max(1, intent.agent.instances.length) : 1;
      try {
        // Every BGP instance's RIB (one gobgpd each): a node announces what any of them announces.
        const raws = await Promise.all(Array.from({ length: count }, (_, i) => driver.gobgp(n.name, ['global', 'rib', '-a', 'ipv4', '-j'], { instance: i })));
        const local = raws.flatMap((raw) => {
          const rib = JSON.parse(raw || '{}') as Record<string, { 'neighbor-ip'?: string }[]>;
          // Local paths only (no neighbor-ip): what the node announces, not what it learned from its leaf.
          return Object.entries(rib).filter(([, paths]) => paths.some((p) => !p['neighbor-ip'])).map(([prefix]) => prefix);
        });
        out.set(n.name, new Set(local));
        read++;
      } catch {
        out.set(n.name, new Set());
      }
    }),
  );
  // No agent could be read (a driver without gobgp access): the model's answer, said as such.
  return read || !topo.cluster.nodes.some((n) => policyForNode(topo, n)) ? out : undefined;
}

function expectedAnnouncers(topo: Topology, svc: Service, ipam: LbIpam): string[] {
  return topo.cluster.nodes
    .filter((n) => {
      const p = policyForNode(topo, n);
      // Any of its virtual routers (one BGP instance each) may announce it.
      return p?.virtualRouters.some((vr) => serviceDecisions(topo, n, { selector: vr.serviceSelector, addresses: ['LoadBalancerIP'], source: `CiliumBGPPeeringPolicy ${p.name}` }, ipam).find((d) => d.service === serviceKey(svc))?.announced);
    })
    .map((n) => n.name);
}

export function servicesTable(topo: Topology, podsPerNode: number, ribs: Map<string, Set<string>> | undefined): ServicesResult {
  const ipam = lbIpam(topo);
  const services = servicesOf(topo).map((s): ServiceRow => {
    const a = ipam.allocations.get(serviceKey(s));
    const expected = expectedAnnouncers(topo, s, ipam);
    const ip = a?.ip;
    return {
      name: s.name,
      namespace: s.namespace,
      type: s.type,
      externalTrafficPolicy: s.externalTrafficPolicy,
      loadBalancerIP: ip ?? null,
      pool: a?.pool ?? null,
      port: s.port,
      backends: endpointsOf(topo, s, podsPerNode),
      advertisedBy: ribs ? (ip ? topo.cluster.nodes.filter((n) => ribs.get(n.name)?.has(`${ip}/32`)).map((n) => n.name) : []) : expected,
      expectedAdvertisedBy: expected,
      condition: a?.condition,
    };
  });
  return {
    services,
    pools: ipam.pools.map((p) => ({ name: p.name, cidrs: p.cidrs, disabled: p.disabled, conflicting: Boolean(p.conflict), conflict: p.conflict?.message, used: p.used, total: p.total })),
    advertisedFrom: ribs ? 'agents' : 'model',
  };
}

export interface ExplainStep {
  /** pool, service, selector, advertisement, node, router, podcidr */
  kind: string;
  ok: boolean;
  text: string;
}

export interface ExplainResult {
  subject: string;
  kind: 'service' | 'pod-cidr' | 'address';
  prefix?: string;
  ok: boolean;
  /** The first broken link of the chain, one line (undefined when nothing is broken). */
  cause?: string;
  /** What is working as designed yet surprises (a Local Service announced by some nodes only). */
  notes: string[];
  steps: ExplainStep[];
}

/** The label of a selector the Service does not carry (or carries with another value). */
function missingLabel(sel: LabelSelector, labels: Record<string, string>): string {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return labels[k] === undefined ? `${k}=${v} (the Service has no label ${k})` : `${k}=${v} (the Service has ${k}=${labels[k]})`;
  for (const r of sel.matchExpressions ?? []) if (!selectorMatches({ matchExpressions: [r] }, labels)) return `${r.key} ${r.operator} ${(r.values ?? []).join(',')}`.trim();
  return selectorText(sel);
}

/** Which subject a word names: a Service, an address or prefix inside a Service IP or a pod CIDR. */
export function resolveSubject(topo: Topology, subject: string): { kind: 'service'; svc: Service } | { kind: 'pod-cidr'; node: KubeNode; prefix: string } | { kind: 'address'; prefix: string } | undefined {
  const svc = findService(topo, subject);
  if (svc) return { kind: 'service', svc };
  const [addr, len] = subject.split('/');
  if (!addr || !isValidIp(addr) || (len !== undefined && !/^\d{1,2}$/.test(len))) return undefined;
  const prefix = len === undefined ? `${addr}/32` : subject;
  const ipam = lbIpam(topo);
  for (const s of servicesOf(topo)) {
    const a = ipam.allocations.get(serviceKey(s));
    if (a?.ip === addr || a?.requested.includes(addr)) return { kind: 'service', svc: s };
  }
  for (const n of topo.cluster.nodes) if (contains(podCidrOf(topo, n), addr)) return { kind: 'pod-cidr', node: n, prefix: podCidrOf(topo, n) };
  return { kind: 'address', prefix };
}

async function routerSteps(driver: Driver | undefined, topo: Topology, prefix: string): Promise<ExplainStep[]> {
  if (!driver) return [{ kind: 'router', ok: false, text: 'the lab is not up: no router to ask' }];
  return Promise.all(
    topo.routers.map(async (r): Promise<ExplainStep> => {
      try {
        const routes = parseRouteTable(await driver.vtysh(r.name, `show ip route ${prefix} json`));
        const best = routes.find((x) => x.selected && x.prefix === prefix);
        if (!best) return { kind: 'router', ok: false, text: `${r.name}: no route to ${prefix}` };
        const hops = best.nexthops.filter((n) => n.active).map((n) => n.ip ?? n.interface ?? 'blackhole');
        return { kind: 'router', ok: hops.length > 0, text: `${r.name}: ${prefix} via ${hops.join(', ') || 'no active next hop'} (${best.protocol})` };
      } catch (err) {
        return { kind: 'router', ok: false, text: `${r.name}: could not read its routes (${(err as Error).message.split('\n')[0]})` };
      }
    }),
  );
}

export async function explain(driver: Driver | undefined, topo: Topology, subject: string, podsPerNode: number): Promise<ExplainResult | undefined> {
  const what = resolveSubject(topo, subject);
  if (!what) return undefined;
  const ribs = await agentRibs(driver, topo);
  const steps: ExplainStep[] = [];
  let prefix: string | undefined;
  if (what.kind === 'service') {
    const s = what.svc;
    const ipam = lbIpam(topo);
    const a = ipam.allocations.get(serviceKey(s));
    steps.push({ kind: 'service', ok: true, text: `Service ${serviceKey(s)}: type ${s.type}, externalTrafficPolicy ${s.externalTrafficPolicy}, labels ${Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(',') || '(none)'}` });
    if (s.type !== 'LoadBalancer') steps.push({ kind: 'pool', ok: false, text: `type ${s.type}: LB-IPAM gives IPs to type LoadBalancer only` });
    for (const p of ipam.pools) if (p.conflict) steps.push({ kind: 'pool', ok: false, text: `CiliumLoadBalancerIPPool ${p.name}: ${p.conflict.type} True (${p.conflict.reason}): ${p.conflict.message}; it allocates nothing` });
    if (a?.ip) {
      const pool = ipam.pools.find((p) => p.name === a.pool);
      steps.push({ kind: 'pool', ok: true, text: `LB-IPAM: ${a.ip} from CiliumLoadBalancerIPPool ${a.pool} (${pool?.cidrs.join(', ')})${a.requested.length ? `, as requested (${a.requested.join(', ')})` : ', its first free address'}` });
      prefix = `${a.ip}/32`;
    } else if (a?.condition) {
      steps.push({ kind: 'pool', ok: false, text: `LB-IPAM gave no IP: condition ${a.condition.type} False, reason ${a.condition.reason}: ${a.condition.message}` });
    }
    const eps = endpointsOf(topo, s, podsPerNode);
    steps.push({ kind: 'service', ok: eps.length > 0, text: eps.length ? `endpoints (${Object.entries(s.selector).map(([k, v]) => `${k}=${v}`).join(',')}): ${eps.map((e) => `${e.pod} on ${e.node}`).join(', ')}` : `no endpoints: no pod has ${Object.entries(s.selector).map(([k, v]) => `${k}=${v}`).join(',')}` });
    for (const p of topo.cilium.bgpPeeringPolicies) {
      const vr = p.virtualRouters[0]!;
      const sel = vr.serviceSelector;
      if (!sel) steps.push({ kind: 'selector', ok: false, text: `CiliumBGPPeeringPolicy ${p.name}: no serviceSelector (nil advertises no Service in 1.14)` });
      else if (!selectorMatches(sel, s.labels)) steps.push({ kind: 'selector', ok: false, text: `CiliumBGPPeeringPolicy ${p.name}: serviceSelector ${selectorText(sel)} does not match: ${missingLabel(sel, s.labels)}` });
      else steps.push({ kind: 'selector', ok: true, text: `CiliumBGPPeeringPolicy ${p.name}: serviceSelector ${selectorText(sel)} matches` });
    }
    for (const n of topo.cluster.nodes) {
      const p = policyForNode(topo, n);
      if (!p?.virtualRouters.length) {
        steps.push({ kind: 'node', ok: false, text: `${n.name}: no CiliumBGPPeeringPolicy selects it: no BGP` });
        continue;
      }
      // The virtual router (BGP instance) that announces it, else the first one's reason.
      const per = p.virtualRouters.map((vr) => serviceDecisions(topo, n, { selector: vr.serviceSelector, addresses: ['LoadBalancerIP'], source: `CiliumBGPPeeringPolicy ${p.name}` }, ipam).find((x) => x.service === serviceKey(s))!);
      const d = per.find((x) => x.announced) ?? per[0]!;
      const live = prefix && ribs ? ribs.get(n.name)?.has(prefix) : undefined;
      const drift = live !== undefined && live !== d.announced ? ` — but its agent ${live ? 'announces it' : 'does not announce it'} (agent down or not reconciled?)` : '';
      steps.push({ kind: 'node', ok: d.announced && !drift, text: `${n.name}: ${d.announced ? 'announces' : 'does not announce'} ${prefix ?? 'it'}: ${d.why}${drift}` });
    }
  } else if (what.kind === 'pod-cidr') {
    prefix = what.prefix;
    const n = what.node;
    const p = policyForNode(topo, n);
    steps.push({ kind: 'podcidr', ok: true, text: `${prefix}: pod CIDR of ${n.name} (${n.rack})` });
    if (!p) steps.push({ kind: 'advertisement', ok: false, text: `no CiliumBGPPeeringPolicy selects ${n.name} (labels ${Object.entries(n.labels).map(([k, v]) => `${k}=${v}`).join(',')})` });
    else {
      // Any virtual router (BGP instance) exporting it announces it; the text names each when several.
      const exported = p.virtualRouters.some((vr) => vr.exportPodCIDR);
      const each = p.virtualRouters.length > 1 ? p.virtualRouters.map((vr) => `AS ${vr.localASN} ${vr.exportPodCIDR}`).join(', ') : String(exported);
      steps.push({ kind: 'advertisement', ok: exported, text: `CiliumBGPPeeringPolicy ${p.name} selects ${n.name}: exportPodCIDR ${each}` });
      const live = ribs?.get(n.name)?.has(prefix);
      if (live !== undefined) steps.push({ kind: 'node', ok: live === exported && live, text: `${n.name}: its agent ${live ? 'announces' : 'does not announce'} ${prefix}` });
    }
  } else {
    prefix = what.prefix;
    steps.push({ kind: 'service', ok: false, text: `${subject} is no Service IP, requested IP or pod CIDR of this lab` });
  }
  if (prefix) steps.push(...(await routerSteps(driver, topo, prefix)));
  const firstBad = (kind: string, also: (x: ExplainStep) => boolean = () => true) => steps.find((x) => x.kind === kind && !x.ok && also(x));
  let cause: ExplainStep | undefined;
  if (what.kind === 'service') {
    // A Local Service announced by only some nodes is healthy; the chain breaks when LB-IPAM
    // gave no IP, no node announces (the selector, or no local endpoint), an agent disagrees
    // with the model, or a router lacks the route.
    const announcing = steps.some((x) => x.kind === 'node' && x.text.includes(': announces '));
    // Local: a node without a local endpoint is right not to announce while another one does.
    if (announcing) for (const x of steps) if (x.kind === 'node' && !x.ok && x.text.endsWith('no ready local endpoint on this node')) x.ok = true;
    const allSelectorsFail = steps.filter((x) => x.kind === 'selector').every((x) => !x.ok);
    cause =
      firstBad('pool') ??
      (!announcing ? (allSelectorsFail ? firstBad('selector') : firstBad('service') ?? firstBad('node')) : undefined) ??
      firstBad('node', (x) => x.text.includes(' — but ')) ??
      firstBad('router');
  } else cause = steps.find((x) => !x.ok);
  const notes: string[] = [];
  if (what.kind === 'service' && what.svc.externalTrafficPolicy === 'Local') {
    const yes = steps.filter((x) => x.kind === 'node' && x.text.includes(': announces ')).map((x) => x.text.split(':')[0]!);
    const no = steps.filter((x) => x.kind === 'node' && x.text.endsWith('no ready local endpoint on this node')).map((x) => x.text.split(':')[0]!);
    if (no.length) notes.push(`externalTrafficPolicy Local: announced only by nodes with a ready local endpoint (${yes.join(', ') || 'none'}); not by ${no.join(', ')}`);
  }
  return { subject, kind: what.kind, prefix, notes, ok: !cause, cause: cause?.text, steps };
}
