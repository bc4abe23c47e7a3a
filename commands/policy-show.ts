import { z } from 'zod';
import { defineCommand } from './types.js';
import type { PolicyShowResult } from './drill-results.js';

export default defineCommand({
  name: 'policy show',
  summary: 'The CiliumBGPPeeringPolicies the running lab uses, and the nodes each selects',
  examples: ['policy show', 'policy show rack1'],
  positionals: [{ name: 'policy', complete: 'policy' }],
  args: z.object({ policy: z.string().optional().describe('only this policy') }),
  permission: 'read',
  async handler(args, ctx): Promise<PolicyShowResult> {
    const { findPolicy, selectedNodes } = await import('../lab/drills/policy.js');
    const list = args.policy ? [findPolicy(ctx.topology, args.policy)] : ctx.topology.cilium.bgpPeeringPolicies;
    return {
      policies: list.map((p) => {
        const vr = p.virtualRouters[0]!;
        return {
          name: p.name, nodeSelector: p.nodeSelector.matchLabels, nodes: selectedNodes(ctx.topology, p), localASN: vr.localASN, exportPodCIDR: vr.exportPodCIDR,
          neighbors: vr.neighbors.map((n) => ({ peerAddress: n.peerAddress, peerASN: n.peerASN })),
        };
      }),
    };
  },
});
