// `check --from client --service <name|ip>`: HTTP requests from the external client to a Service
// IP, one at a time, each answered by a backend pod (its web server serves its own name) and
// entering the fabric through one spine (the spines count the client's SYNs on their client-LAN
// interface; read before and after each request). The client spreads its connections over the
// spines in turn (lab/drivers/embedded/services.ts), so with two or more requests every spine is
// covered by construction, not by hashing luck.
import type { Driver } from '../drivers/types.js';
import type { Topology } from '../topology/schema.js';
import type { PingResult } from '../results.js';
import { LabError, UsageError } from '../errors.js';
import { CLIENT_COUNTER_TABLE } from '../drivers/embedded/services.js';
import { lbIpam, serviceKey } from './lbipam.js';
import { endpointsOf, findService, servicesOf } from './endpoints.js';

export interface ServiceRequest {
  i: number;
  ok: boolean;
  /** The pod that answered. */
  backend?: string;
  /** The node of that pod. */
  node?: string;
  /** The spine the request entered through (undefined: no counter moved). */
  spine?: string;
  ms?: number;
  error?: string;
}

export interface ServiceCheckReport {
  service: string;
  ip: string;
  port: number;
  externalTrafficPolicy: string;
  requests: ServiceRequest[];
  /** Answers per backend pod, per node, and requests per spine. */
  backends: Record<string, number>;
  nodes: Record<string, number>;
  spines: Record<string, number>;
}

async function spineCounters(driver: Driver, topo: Topology): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  await Promise.all(
    (topo.client?.gateways ?? []).map(async (g) => {
      const r = await driver.exec(g.router, ['nft', '-j', 'list', 'table', 'ip', CLIENT_COUNTER_TABLE]);
      let packets = 0;
      try {
        for (const o of (JSON.parse(r.stdout) as { nftables: { rule?: { expr: { counter?: { packets: number } }[] } }[] }).nftables)
          for (const e of o.rule?.expr ?? []) if (e.counter) packets += e.counter.packets;
      } catch {
        /* no table: counted as 0 */
      }
      out.set(g.router, packets);
    }),
  );
  return out;
}

export function resolveServiceTarget(topo: Topology, target: string): { name: string; ip: string; port: number; etp: string } {
  const ipam = lbIpam(topo);
  const svc = findService(topo, target) ?? servicesOf(topo).find((s) => ipam.allocations.get(serviceKey(s))?.ip === target);
  if (!svc) throw new UsageError(`no Service "${target}"`, `valid: ${servicesOf(topo).map((s) => s.name).join(', ') || '(this topology has no Services; try --topology cilium-bgp-lb)'}, or its LoadBalancer IP`);
  const ip = ipam.allocations.get(serviceKey(svc))?.ip;
  if (!ip) throw new LabError(`Service ${svc.name} has no LoadBalancer IP (${ipam.allocations.get(serviceKey(svc))?.condition?.reason ?? 'not LoadBalancer'})`, { hint: `\`explain ${svc.name}\`` });
  return { name: svc.name, ip, port: svc.port, etp: svc.externalTrafficPolicy };
}

export async function checkService(driver: Driver, topo: Topology, target: string, requests: number, podsPerNode: number, signal?: AbortSignal): Promise<{ report: ServiceCheckReport; results: PingResult[] }> {
  const c = topo.client;
  if (!c) throw new UsageError('this topology has no client', 'use a topology with `client:` (e.g. --topology cilium-bgp-lb)');
  const t = resolveServiceTarget(topo, target);
  const pods = new Map<string, string>();
  for (const s of servicesOf(topo)) for (const e of endpointsOf(topo, s, podsPerNode)) pods.set(e.pod, e.node);
  const url = `http://${t.ip}${t.port === 80 ? '' : `:${t.port}`}/`;
  const report: ServiceCheckReport = { service: t.name, ip: t.ip, port: t.port, externalTrafficPolicy: t.etp, requests: [], backends: {}, nodes: {}, spines: {} };
  const results: PingResult[] = [];
  let before = await spineCounters(driver, topo);
  for (let i = 0; i < requests; i++) {
    signal?.throwIfAborted();
    const r = await driver.exec(c.name, ['curl', '-s', '-m', '2', '--noproxy', '*', '-w', '\n%{time_total}', '--', url], { signal, timeoutMs: 4000 });
    const lines = r.stdout.trim().split('\n');
    const seconds = Number(lines.pop());
    const answer = lines.join('\n').trim();
    const after = await spineCounters(driver, topo);
    const spine = [...after].find(([s, n]) => n > (before.get(s) ?? 0))?.[0];
    before = after;
    const ok = r.exitCode === 0 && pods.has(answer);
    const req: ServiceRequest = { i, ok, backend: ok ? answer : undefined, node: ok ? pods.get(answer) : undefined, spine, ms: Number.isFinite(seconds) ? Math.round(seconds * 1000) : undefined, error: ok ? undefined : answer || `curl exit ${r.exitCode}` };
    report.requests.push(req);
    if (req.backend) report.backends[req.backend] = (report.backends[req.backend] ?? 0) + 1;
    if (req.node) report.nodes[req.node] = (report.nodes[req.node] ?? 0) + 1;
    if (spine) report.spines[spine] = (report.spines[spine] ?? 0) + 1;
    results.push({ from: c.name, to: req.backend ?? t.ip, toIp: t.ip, ok, kind: 'http', answer: answer || undefined, rttMs: req.ms });
  }
  return { report, results };
}
