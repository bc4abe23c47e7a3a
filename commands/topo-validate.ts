import { z } from 'zod';
import { defineCommand } from './types.js';
import { parseTopology, readTopologyFile, topologyPath } from '../lab/topology/load.js';
import type { TopologyIssue } from '../lab/topology/validate.js';

export interface TopoValidateResult {
  ok: boolean;
  file: string;
  issues: TopologyIssue[];
  summary?: { routers: number; links: number; racks: number; nodes: number; sessions: number };
}

export default defineCommand({
  name: 'topo validate',
  summary: 'Check a topology file: schema, addresses, subnets, links, peering policies',
  examples: ['topo validate', 'topo validate cilium-bgp', 'topo validate ./my-fabric.yaml'],
  positionals: [{ name: 'file' }],
  args: z.object({ file: z.string().optional().describe('built-in topology name, or (not from Slack) a topology YAML file (default: --topology, else the seed)') }),
  hostPaths: { file: 'topology' },
  permission: 'read',
  offline: true,
  async handler(args, ctx): Promise<TopoValidateResult> {
    const file = topologyPath(args.file ?? ctx.topologyFile);
    const { topology, issues } = parseTopology(readTopologyFile(file), file);
    if (!topology) return { ok: false, file, issues };
    const { sessions } = await import('../lab/topology/model.js');
    return {
      ok: true,
      file,
      issues,
      summary: {
        routers: topology.routers.length,
        links: topology.links.length,
        racks: topology.racks.length,
        nodes: topology.cluster.nodes.length,
        sessions: sessions(topology).length,
      },
    };
  },
});
