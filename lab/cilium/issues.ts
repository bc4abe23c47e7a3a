// What `topo validate` says about the Cilium objects, as the cluster would: refused (an error)
// only what the API server or the CRD schema of the topology's release refuses — a field or
// kind the release does not have (named with the release that brought it), a CRD validation
// rule; accepted with a warning that names the consequence what the agent accepts but that
// breaks peering (a node two policies select, per version, a policy the agent's validation refuses, 1.19
// with only peering policies, an advertisement selector that matches nothing).
import type { Topology } from '../topology/schema.js';
import { addressOf } from '../topology/ip.js';
import { CILIUM_DEFAULT_TIMERS, desiredAgents } from './desired.js';
import { duplicateAsnAt, policyError, policySelects } from './peering-policy.js';
import { advertisementsSelected, clusterConfigSelects, clusterConfigsOf } from './bgp-v2.js';
import { FIELD_SINCE, VALUE_SINCE, atLeast, hasPeeringPolicy, hasBgpV2Objects, ciliumMinor, keepsStateOnPolicyConflict } from './version.js';
import type { LabelSelector } from './selector.js';

export interface CiliumIssue {
  path: string;
  message: string;
  severity?: 'warning';
}

/** Every `cilium.<path>` of the model present, with `[i]` indices, matched against a `[*]` pattern. */
function present(value: unknown, pattern: string[], at: string, out: string[]): void {
  if (value === undefined || value === null) return;
  if (pattern.length === 0) {
    if (!(Array.isArray(value) && value.length === 0)) out.push(at);
    return;
  }
  const [head, ...rest] = pattern;
  const m = /^(.*?)(\[\*\])?$/.exec(head!)!;
  const child = (value as Record<string, unknown>)[m[1]!];
  const path = at ? `${at}.${m[1]}` : m[1]!;
  if (m[2]) (Array.isArray(child) ? child : []).forEach((c, i) => present(c, rest, `${path}[${i}]`, out));
  else present(child, rest, path, out);
}

const split = (p: string) => p.split('.').flatMap((s) => (s.endsWith('[*]') ? [s] : [s]));
const names = (xs: string[]) => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}` : xs[0] ?? '');

export function ciliumIssues(topo: Topology): CiliumIssue[] {
  const issues: CiliumIssue[] = [];
  const c = topo.cilium;
  const version = c.version;
  const minor = ciliumMinor(version);
  const err = (path: string, message: string) => issues.push({ path: `cilium.${path}`, message });
  const warn = (path: string, message: string) => issues.push({ path: `cilium.${path}`, message, severity: 'warning' });
  if (!minor) return issues; // the schema refused it

  // Fields and kinds the release does not have.
  for (const [field, since] of Object.entries(FIELD_SINCE)) {
    if (atLeast(version, since)) continue;
    const found: string[] = [];
    present(c, split(field), '', found);
    for (const f of found) err(f, `${f.replace(/\[\d+\]/g, '[]').split('.').at(-1)} arrived in Cilium ${since}; this topology is Cilium ${version}: remove it, or set cilium.version to ${since} or later`);
  }
  for (const [spec, since] of Object.entries(VALUE_SINCE)) {
    if (atLeast(version, since)) continue;
    const [field, value] = spec.split('=');
    const found: string[] = [];
    present(c, split(field!), '', found);
    for (const f of found) {
      const v = f.split(/[.[\]]+/).filter(Boolean).reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], c);
      if (v === value) err(f, `${value} arrived in Cilium ${since}; this topology is Cilium ${version}`);
    }
  }
  // Names are unique per kind (the API server: "already exists").
  for (const kind of ['bgpPeeringPolicies', 'bgpClusterConfigs', 'bgpPeerConfigs', 'bgpAdvertisements', 'bgpNodeConfigOverrides'] as const) {
    const seen = new Set<string>();
    (c[kind] as { name: string }[]).forEach((o, i) => {
      if (seen.has(o.name)) err(`${kind}[${i}].name`, `a second ${kind.slice(3, -1)} named "${o.name}"; Kubernetes names are unique per kind`);
      seen.add(o.name);
    });
  }
  if (issues.length) return issues;

  const nodes = topo.cluster.nodes;
  const intents = desiredAgents(topo);
  const intentOfNode = new Map(intents.map((i) => [i.node, i]));

  // Peering policies.
  c.bgpPeeringPolicies.forEach((p, i) => {
    const path = `bgpPeeringPolicies[${i}]`;
    const selected = nodes.filter((n) => policySelects(p, n)).map((n) => n.name);
    if (!hasPeeringPolicy(version)) {
      const ignoredOn = selected.filter((n) => intentOfNode.get(n)?.state === 'unsupported');
      warn(path, `Cilium ${version} has no CiliumBGPPeeringPolicy (removed in 1.19): policy ${p.name} is ignored${ignoredOn.length ? `, and ${names(ignoredOn)} do${ignoredOn.length === 1 ? 'es' : ''} not peer` : ''}; apply the equivalent v2 objects (\`policy migrate\`)`);
      return;
    }
    if (!selected.length) warn(`${path}.nodeSelector`, `policy ${p.name} selects no node; check its nodeSelector against the node labels`);
    const conflicted = selected.filter((n) => intentOfNode.get(n)?.state === 'conflict');
    if (conflicted.length) {
      const others = [...new Set(conflicted.flatMap((n) => ((intentOfNode.get(n) as { sources: string[] }).sources).map((s) => s.split(' ')[1]!)))].filter((x) => x !== p.name);
      const one = conflicted.length === 1;
      const what = keepsStateOnPolicyConflict(version)
        ? `Cilium ${minor}'s agent keeps what it last applied there (${one ? 'its' : 'their'} sessions stay up, and no later edit reaches ${one ? 'it' : 'them'}) and logs the selection error; a restarted agent peers with nothing`
        : `Cilium applies no policy at all there and withdraws all ${one ? 'its' : 'their'} sessions`;
      warn(`${path}.nodeSelector`, `${names(conflicted)} ${one ? 'is' : 'are'} selected by policies ${p.name} and ${names(others)}: ${what}`);
    }
    const dup = duplicateAsnAt(p);
    if (dup >= 0)
      warn(`${path}.virtualRouters[${dup}].localASN`, `virtualRouters[${dup}] repeats localASN ${p.virtualRouters[dup]!.localASN}: Cilium's agent stops at the repeat (one BGP server per local ASN) and runs only virtualRouters[0..${dup - 1}] of policy ${p.name}; give each virtual router its own localASN`);
    const e = policyError(p);
    if (e && selected.length) warn(path, `${e}; Cilium's agent refuses the policy, so ${names(selected)} appl${selected.length === 1 ? 'ies' : 'y'} nothing from it`);
    if (atLeast(version, '1.18')) warn(path, `CiliumBGPPeeringPolicy is deprecated in Cilium 1.18 and removed in 1.19; \`policy migrate\` writes the equivalent v2 objects`);
    if (hasBgpV2Objects(version))
      for (const n of nodes.filter((x) => selected.includes(x.name) && !conflicted.includes(x.name) && clusterConfigsOf(topo, x).length))
        warn(path, `${n.name} is selected by policy ${p.name} and by CiliumBGPClusterConfig ${clusterConfigsOf(topo, n)[0]!.name}: the agent runs the peering policy and ignores the v2 config there`);
  });

  // v2 resources.
  c.bgpClusterConfigs.forEach((cc, i) => {
    const path = `bgpClusterConfigs[${i}]`;
    const selected = nodes.filter((n) => clusterConfigSelects(cc, n));
    if (!selected.length) warn(`${path}.nodeSelector`, `CiliumBGPClusterConfig ${cc.name} selects no node; check its nodeSelector against the node labels`);
    for (const n of selected) {
      const owner = clusterConfigsOf(topo, n)[0]!;
      if (owner !== cc) warn(`${path}.nodeSelector`, `${n.name} is already selected by CiliumBGPClusterConfig ${owner.name}: the operator keeps that one there (ConflictingClusterConfigs) and ${cc.name} configures nothing on it`);
    }
    cc.bgpInstances.forEach((inst, j) => {
      if (inst.localASN === undefined) err(`${path}.bgpInstances[${j}].localASN`, `instance ${inst.name} has no localASN; the agent cannot start a BGP instance without one`);
      inst.peers.forEach((peer, k) => {
        const pp = `${path}.bgpInstances[${j}].peers[${k}]`;
        if (!peer.peerAddress) err(`${pp}.peerAddress`, `peer ${peer.name} has no peerAddress; the lab does not model autoDiscovery: give the leaf's rack-LAN address`);
        if (!peer.peerASN) err(`${pp}.peerASN`, `peer ${peer.name} has no peerASN; ${atLeast(version, '1.18') ? 'the lab does not model learning it from the OPEN: ' : ''}give the leaf's AS`);
        if (peer.peerAddress) {
          const router = topo.routers.find((x) => x.interfaces.some((itf) => addressOf(itf.address) === peer.peerAddress));
          if (!router) err(`${pp}.peerAddress`, `${peer.peerAddress} matches no router address; use the leaf's rack-LAN address`);
          else if (peer.peerASN && router.asn !== peer.peerASN) err(`${pp}.peerASN`, `${router.name} (${peer.peerAddress}) is AS ${router.asn}, not ${peer.peerASN}`);
        }
        if (peer.peerConfigRef && !c.bgpPeerConfigs.some((pc) => pc.name === peer.peerConfigRef!.name))
          warn(`${pp}.peerConfigRef`, `CiliumBGPPeerConfig ${peer.peerConfigRef.name} does not exist: the agent configures no session to ${peer.name} until it does`);
      });
    });
  });
  c.bgpPeerConfigs.forEach((pc, i) => {
    const path = `bgpPeerConfigs[${i}]`;
    const keepalive = pc.timers?.keepAliveTimeSeconds ?? CILIUM_DEFAULT_TIMERS.keepalive;
    const hold = pc.timers?.holdTimeSeconds ?? CILIUM_DEFAULT_TIMERS.holdTime;
    // 1.18+: the CRD's x-kubernetes-validations rule (after defaulting); before: the agent's refusal.
    if (keepalive > hold) {
      if (atLeast(version, '1.18')) err(`${path}.timers`, `keepAliveTimeSeconds can not be larger than holdTimeSeconds (${keepalive} > ${hold}); the API server refuses it`);
      else warn(`${path}.timers`, `keepAliveTimeSeconds can not be larger than holdTimeSeconds (${keepalive} > ${hold}): the agent refuses it, so the nodes using it apply nothing`);
    }
    (pc.families ?? []).forEach((f, j) => {
      if (!f.advertisements) warn(`${path}.families[${j}]`, `family ${f.afi}/${f.safi} has no advertisements selector: nothing is advertised to peers using ${pc.name}`);
      else if (!advertisementsSelected(topo, f.advertisements as LabelSelector).length)
        warn(`${path}.families[${j}].advertisements`, `selects no CiliumBGPAdvertisement: nothing is advertised in ${f.afi}/${f.safi} to peers using ${pc.name}`);
    });
  });
  c.bgpAdvertisements.forEach((adv, i) =>
    adv.advertisements.forEach((a, j) => {
      const path = `bgpAdvertisements[${i}].advertisements[${j}]`;
      if (a.advertisementType === 'Service' && !a.selector) warn(path, `a Service advertisement without a selector advertises no Service (select all with a NotIn expression on a never-used value)`);
      if (a.advertisementType === 'CiliumPodIPPool' || a.advertisementType === 'Interface') warn(path, `the lab has no ${a.advertisementType === 'Interface' ? 'extra interfaces' : 'CiliumPodIPPools'}: this advertises nothing here`);
    }),
  );
  c.bgpNodeConfigOverrides.forEach((o, i) => {
    if (!nodes.some((n) => n.name === o.name)) warn(`bgpNodeConfigOverrides[${i}].name`, `no node is named ${o.name}: a CiliumBGPNodeConfigOverride applies to the node of its name`);
  });
  if (!hasPeeringPolicy(version) && c.bgpPeeringPolicies.length && !c.bgpClusterConfigs.length)
    warn('version', `Cilium ${version} with only CiliumBGPPeeringPolicies: no node peers (${intents.filter((x) => x.state === 'unsupported').length} nodes unsupported)`);
  return issues;
}
