import { z } from 'zod';
import { defineCommand } from './types.js';
import type { PolicyShowResult, PolicyView } from './drill-results.js';

export default defineCommand({
  name: 'policy show',
  summary: "The lab's Cilium BGP objects (peering policies or v2 cluster configs), what each node's agent runs, and its timers",
  examples: ['policy show', 'policy show rack1'],
  positionals: [{ name: 'policy', complete: 'policy' }],
  args: z.object({ policy: z.string().optional().describe('only this policy or cluster config') }),
  permission: 'read',
  async handler(args, ctx): Promise<PolicyShowResult> {
    const { findPolicyObject, selectedNodes } = await import('../lab/drills/policy.js');
    const { desiredAgents, effectiveTimers } = await import('../lab/cilium/desired.js');
    const { ciliumIssues } = await import('../lab/cilium/issues.js');
    const { selectorText } = await import('../lab/cilium/selector.js');
    const { clusterConfigSelects } = await import('../lab/cilium/bgp-v2.js');
    const t = ctx.topology;
    const only = args.policy ? findPolicyObject(t, args.policy) : undefined;
    const policies: PolicyView[] = [
      ...t.cilium.bgpPeeringPolicies.filter((p) => !only || only === p).map((p) => {
        const vr = p.virtualRouters[0]!;
        return {
          name: p.name, kind: 'CiliumBGPPeeringPolicy', nodeSelector: p.nodeSelector?.matchLabels ?? {}, selector: selectorText(p.nodeSelector as never), nodes: selectedNodes(t, p),
          localASN: vr.localASN, exportPodCIDR: vr.exportPodCIDR, neighbors: p.virtualRouters.flatMap((v) => v.neighbors.map((n) => ({ peerAddress: n.peerAddress, peerASN: n.peerASN }))),
        };
      }),
      ...t.cilium.bgpClusterConfigs.filter((c) => !only || only === c).map((c) => {
        const nodes = t.cluster.nodes.filter((n) => clusterConfigSelects(c, n)).map((n) => n.name);
        const intents = desiredAgents(t).filter((i) => nodes.includes(i.node));
        return {
          name: c.name, kind: 'CiliumBGPClusterConfig', nodeSelector: c.nodeSelector?.matchLabels ?? {}, selector: selectorText(c.nodeSelector as never), nodes,
          localASN: c.bgpInstances[0]?.localASN ?? 0,
          exportPodCIDR: intents.some((i) => i.state === 'configured' && i.agent.instances.some((x) => x.paths.some((p) => p.reason === 'PodCIDR'))),
          neighbors: c.bgpInstances.flatMap((i) => i.peers.map((p) => ({ peerAddress: p.peerAddress ?? '(auto)', peerASN: p.peerASN ?? 0 }))),
        };
      }),
    ];
    const shown = new Set(policies.flatMap((p) => p.nodes));
    const nodes = desiredAgents(t)
      .filter((i) => !only || shown.has(i.node))
      .map((i) => {
        if (i.state !== 'configured') return { node: i.node, state: i.state, reason: i.reason, sources: i.sources, neighbors: [] };
        return {
          node: i.node, state: i.state, sources: i.agent.sources,
          neighbors: i.agent.instances.flatMap((inst) =>
            inst.neighbors.map((n) => ({
              instance: inst.name, localASN: inst.localASN, peerAddress: n.peerAddress, peerASN: n.peerASN,
              timers: effectiveTimers(n, 'lab'), ciliumTimers: effectiveTimers(n, 'cilium'),
              explicit: Object.keys(n.explicitTimers),
              advertised: inst.paths.filter((p) => !p.toNeighbors || p.toNeighbors.includes(n.name)).map((p) => p.prefix),
            })),
          ),
        };
      });
    const warnings = ciliumIssues(t).filter((x) => x.severity === 'warning').map((x) => x.message);
    return { policies, version: t.cilium.version, nodes, warnings };
  },
});
