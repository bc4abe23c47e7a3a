// LB-IPAM as the Cilium operator does it (cilium v1.14 operator/pkg/lbipam/lbipam.go):
// - every CIDR of every pool is a range, in pool order (the lab's list order stands for creation
//   order); a pool whose CIDR overlaps an older pool's is marked conflicting (`io.cilium/conflict`
//   True, reason cidr_overlap, "Pool conflicts since CIDR 'a' overlaps CIDR 'b' from IP Pool 'p'")
//   and none of its ranges allocate (settleConflicts / markPoolConflicting);
// - only Services of type LoadBalancer are handled (isResponsibleForSVC);
// - requested IPs (spec.loadBalancerIP and the `io.cilium/lb-ipam-ips` annotation, getSVCRequestedIPs)
//   come from the first enabled range containing them whose pool's serviceSelector matches; else
//   the Service's `io.cilium/lb-ipam-request-satisfied` condition is False with reason no_pool,
//   pool_selector_mismatch or already_allocated (satisfyService);
// - otherwise the first free address of the first enabled, matching range; none: no_pool, or
//   out_of_ips when matching ranges are full (allocateIPAddress).
// 1.14's allocator (pkg/ipam/service/ipallocator, a CIDR range) never hands out a range's network
// and broadcast addresses; 1.15 added `allowFirstLastIPs`. The condition and annotation names are
// io.cilium/… in 1.14 and cilium.io/… in the 1.18 CRDs (oracle printer columns).
import type { Topology } from '../topology/schema.js';
import type { LbIpPool, Service } from '../topology/services-schema.js';
import { intToIp, ipToInt, overlaps, parsePrefix } from '../topology/ip.js';
import { selectorMatches } from '../cilium/selector.js';
import { versionAtLeast } from '../cilium/version.js';
import { servicesOf } from './endpoints.js';

export interface Condition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export interface PoolState {
  name: string;
  cidrs: string[];
  disabled: boolean;
  conflict?: Condition;
  total: number;
  used: number;
}

export interface Allocation {
  service: string;
  /** The LoadBalancer ingress IP; undefined when LB-IPAM gave none (see condition). */
  ip?: string;
  pool?: string;
  requested: string[];
  /** undefined for Services LB-IPAM does not handle (not type LoadBalancer). */
  condition?: Condition;
}

export interface LbIpam {
  pools: PoolState[];
  allocations: Map<string, Allocation>;
}

const newNames = (version: string) => versionAtLeast(version, 1, 18);
export const requestSatisfiedCondition = (version: string) => (newNames(version) ? 'cilium.io/IPAMRequestSatisfied' : 'io.cilium/lb-ipam-request-satisfied');
export const poolConflictCondition = (version: string) => (newNames(version) ? 'cilium.io/PoolConflict' : 'io.cilium/conflict');
export const LB_IPS_ANNOTATION = 'io.cilium/lb-ipam-ips';

/** The ranges of a pool as its version spells them (`cidrs` in 1.14, `blocks` from 1.15; both read). */
export function poolCidrs(p: LbIpPool): string[] {
  return [...(p.blocks ?? []), ...(p.cidrs ?? [])].map((b) => b.cidr);
}

export function requestedIps(s: Service): string[] {
  const ips = [...(s.loadBalancerIP ? [s.loadBalancerIP] : []), ...(s.annotations[LB_IPS_ANNOTATION] ?? '').split(',').map((x) => x.trim()).filter(Boolean)];
  return [...new Set(ips)];
}

interface Range {
  pool: LbIpPool;
  cidr: string;
  first: number;
  last: number;
  used: Set<number>;
  enabled: boolean;
}

function rangeOf(pool: LbIpPool, cidr: string): Range {
  const p = parsePrefix(cidr);
  const size = 2 ** (32 - p.length);
  // Network and broadcast are not allocatable in 1.14 (no allowFirstLastIPs); /31 and /32 have none.
  const reserve = size > 2 ? 1 : 0;
  return { pool, cidr, first: p.network + reserve, last: p.network + size - 1 - reserve, used: new Set(), enabled: !pool.disabled };
}

export const serviceKey = (s: Service) => `${s.namespace}/${s.name}`;

export function lbIpam(t: Topology): LbIpam {
  const version = t.cilium.version;
  const pools = t.lbIPPools ?? [];
  const ranges: Range[] = pools.flatMap((p) => poolCidrs(p).map((c) => rangeOf(p, c)));
  const conflicts = new Map<string, Condition>();
  // settleConflicts: the newer of two overlapping pools is marked (list order = creation order).
  pools.forEach((p, i) => {
    const mine = poolCidrs(p);
    for (let a = 0; a < mine.length; a++)
      for (let b = a + 1; b < mine.length; b++)
        if (!conflicts.has(p.name) && overlaps(mine[a]!, mine[b]!))
          conflicts.set(p.name, { type: poolConflictCondition(version), status: 'True', reason: 'cidr_overlap', message: `Pool conflicts since CIDR '${mine[a]}' overlaps CIDR '${mine[b]}' from IP Pool '${p.name}'` });
    for (const older of pools.slice(0, i)) {
      if (conflicts.has(p.name) || conflicts.has(older.name)) continue;
      for (const c of mine) {
        const o = poolCidrs(older).find((x) => overlaps(x, c));
        if (o && !conflicts.has(p.name))
          conflicts.set(p.name, { type: poolConflictCondition(version), status: 'True', reason: 'cidr_overlap', message: `Pool conflicts since CIDR '${c}' overlaps CIDR '${o}' from IP Pool '${older.name}'` });
      }
    }
  });
  for (const r of ranges) if (conflicts.has(r.pool.name)) r.enabled = false;
  const selects = (p: LbIpPool, s: Service) => !p.serviceSelector || selectorMatches(p.serviceSelector, s.labels);
  const cond = (satisfied: boolean, reason: string, message: string): Condition => ({ type: requestSatisfiedCondition(version), status: satisfied ? 'True' : 'False', reason, message });

  const allocations = new Map<string, Allocation>();
  for (const s of servicesOf(t)) {
    const key = serviceKey(s);
    const requested = requestedIps(s);
    if (s.type !== 'LoadBalancer') {
      allocations.set(key, { service: key, requested });
      continue;
    }
    if (requested.length) {
      // 1.14 allocates every requested IP it can; the lab's Services have one IPv4 each.
      let got: { ip: string; pool: string } | undefined;
      let failed: Condition | undefined;
      for (const ip of requested) {
        const n = ipToInt(ip);
        const containing = ranges.filter((r) => r.enabled && n >= r.first && n <= r.last);
        const r = containing.find((x) => selects(x.pool, s));
        if (!r) {
          failed = containing.length
            ? cond(false, 'pool_selector_mismatch', `The pool with the CIDR containing '${ip}', doesn't select this service`)
            : cond(false, 'no_pool', `No pool exists with a CIDR containing '${ip}'`);
          continue;
        }
        if (r.used.has(n)) {
          failed = cond(false, 'already_allocated', `IP '${ip}' has already been allocated to another service`);
          continue;
        }
        r.used.add(n);
        got ??= { ip, pool: r.pool.name };
      }
      allocations.set(key, { service: key, ip: got?.ip, pool: got?.pool, requested, condition: failed && !got ? failed : cond(true, 'satisfied', '') });
      continue;
    }
    let full = false;
    let got: { ip: string; pool: string } | undefined;
    for (const r of ranges) {
      if (!r.enabled || !selects(r.pool, s)) continue;
      let n = r.first;
      while (n <= r.last && r.used.has(n)) n++;
      if (n > r.last) {
        full = true;
        continue;
      }
      r.used.add(n);
      got = { ip: intToIp(n), pool: r.pool.name };
      break;
    }
    allocations.set(key, {
      service: key,
      ip: got?.ip,
      pool: got?.pool,
      requested,
      condition: got
        ? cond(true, 'satisfied', '')
        : full
          ? cond(false, 'out_of_ips', 'All enabled CiliumLoadBalancerIPPools that match this service ran out of allocatable IPs')
          : cond(false, 'no_pool', 'There are no enabled CiliumLoadBalancerIPPools that match this service'),
    });
  }
  const poolStates: PoolState[] = pools.map((p) => {
    const mine = ranges.filter((r) => r.pool === p);
    return {
      name: p.name,
      cidrs: poolCidrs(p),
      disabled: p.disabled,
      conflict: conflicts.get(p.name),
      total: mine.reduce((n, r) => n + (r.last - r.first + 1), 0),
      used: mine.reduce((n, r) => n + r.used.size, 0),
    };
  });
  return { pools: poolStates, allocations };
}
