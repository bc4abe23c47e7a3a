import { z } from 'zod';
import { defineCommand } from './types.js';
import type { ServicesResult } from './service-results.js';

export default defineCommand({
  name: 'services',
  summary: 'Every Service: type, externalTrafficPolicy, LoadBalancer IP and pool, backends, and the nodes that announce it now',
  examples: ['services', 'services --json', 'explain web'],
  positionals: [],
  args: z.object({}),
  permission: 'read',
  async handler(_args, ctx): Promise<ServicesResult> {
    const { servicesTable, agentRibs } = await import('../lab/services/explain.js');
    const driver = await ctx.driver();
    const rec = await driver.record();
    // advertisedBy from the running agents when the lab is up; the model's answer otherwise.
    const ribs = rec ? await agentRibs(driver, ctx.topology) : undefined;
    return servicesTable(ctx.topology, rec?.podsPerNode ?? ctx.topology.demo.podsPerNode, ribs);
  },
});
