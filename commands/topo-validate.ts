import { z } from 'zod';
import { readFileSync } from 'node:fs';
import { defineCommand } from './types.js';
import { parseTopology } from '../lab/topology/load.js';
import type { TopologyIssue } from '../lab/topology/validate.js';
import { UsageError } from '../lab/errors.js';

export interface TopoValidateResult {
  ok: boolean;
  file: string;
  issues: TopologyIssue[];
  summary?: { routers: number; links: number; racks: number; nodes: number; sessions: number };
}

export default defineCommand({
  name: 'topo validate',
  summary: 'Check a topology file: schema, addresses, subnets, links, peering policies',
  examples: ['topo validate', 'topo validate my-fabric.yaml'],
  positionals: [{ name: 'file' }],
  args: z.object({ file: z.string().optional().describe('topology YAML (default: --topology, else the seed)') }),
  permission: 'read',
  offline: true,
  async handler(args, ctx): Promise<TopoValidateResult> {
    const file = args.file ?? ctx.topologyFile;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'give the path of a topology YAML file');
    }
    const { topology, issues } = parseTopology(text, file);
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
