import { z } from 'zod';
import { defineCommand } from './types.js';
import type { ExplainResult } from './service-results.js';

export default defineCommand({
  name: 'explain',
  summary: 'Why a Service IP or pod CIDR is (not) advertised and routed: pool → Service → selector → advertisement → nodes → routers',
  examples: ['explain web', 'explain 10.1.100.2', 'explain 10.98.2.0/24'],
  positionals: [{ name: 'subject' }],
  args: z.object({
    subject: z.string().max(80).regex(/^[A-Za-z0-9./-]+$/, 'a Service name, an IPv4 address or a prefix').describe('Service name, IP or prefix'),
  }),
  permission: 'read',
  async handler(args, ctx): Promise<ExplainResult> {
    const { explain } = await import('../lab/services/explain.js');
    const { UsageError } = await import('../lab/errors.js');
    const driver = await ctx.driver();
    const rec = await driver.record();
    const r = await explain(rec ? driver : undefined, ctx.topology, args.subject, rec?.podsPerNode ?? ctx.topology.demo.podsPerNode);
    if (!r) {
      const names = (ctx.topology.services ?? []).map((s) => s.name);
      throw new UsageError(`"${args.subject}" is no Service, IPv4 address or prefix`, `give a Service (${names.join(', ') || 'this topology has none'}), an address such as 10.1.100.1, or a pod CIDR`);
    }
    return r;
  },
});
