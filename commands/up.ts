import { z } from 'zod';
import { defineCommand } from './types.js';
import type { UpResult } from './results.js';

export default defineCommand({
  name: 'up',
  summary: 'Bring the fabric up and wait until it has converged',
  examples: ['up', 'up --fast-connect', 'up --replace', 'up --pods-per-node 2', 'up --driver kind --dry-run'],
  positionals: [],
  args: z.object({
    wait: z.boolean().default(true).describe('wait for sessions, routes and a ping sweep (--no-wait returns once started)'),
    replace: z.boolean().default(false).describe('tear down a running lab of this name first'),
    podsPerNode: z.coerce.number().int().min(1).max(16).optional().describe('demo pods per node (default from the topology)'),
    driver: z.enum(['embedded', 'kind']).default('embedded').describe('embedded (namespaces + FRR + GoBGP) or kind (kind + containerlab + Cilium)'),
    dryRun: z.boolean().default(false).describe('list every program up would run, and run nothing'),
    timeout: z.coerce.number().int().min(1).max(3600).default(60).describe('seconds to wait for convergence'),
    fastConnect: z
      .boolean()
      .default(false)
      .describe("embedded: the leaves open the sessions at once (a listener on each node); by default, as Cilium, each node opens them after GoBGP's 5-10 s connect delay"),
  }),
  permission: 'operate',
  mutating: true,
  long: true,
  cancel: 'rollback',
  async handler(args, ctx): Promise<UpResult> {
    const started = performance.now();
    const driver = await ctx.driver(args.driver);
    // A lab that is up keeps its recorded model; a new one takes the --topology file.
    const { loadTopology } = await import('../lab/topology/load.js');
    const topology = args.replace || !(await driver.record()) ? loadTopology(ctx.topologyFile) : ctx.topology;
    const { steps, plan, converged } = await driver.up(topology, ctx.topologyFile, {
      wait: args.wait,
      replace: args.replace,
      podsPerNode: args.podsPerNode,
      dryRun: args.dryRun,
      timeoutMs: args.timeout * 1000,
      fastConnect: args.fastConnect,
    }, { signal: ctx.signal, progress: ctx.progress });
    const { podsOf } = await import('../lab/topology/model.js');
    if (args.dryRun) {
      const pods = podsOf(topology, args.podsPerNode ?? topology.demo.podsPerNode).map((p) => ({ name: p.name, node: p.node, ip: p.ip }));
      // What each node's BGP agent would announce for Services, and why (agent engineer's block).
      const { serviceAnnouncementSteps } = await import('../lab/cilium/announcements.js');
      const announced = [...(plan ?? []), ...serviceAnnouncementSteps(topology)];
      return { lab: ctx.lab, driver: driver.name, converged: false, durationMs: performance.now() - started, steps, sessions: { established: 0, expected: 0 }, pods, dryRun: true, plan: announced };
    }
    const { fabricGaps } = await import('../lab/inspect/converge.js');
    const state = args.wait ? converged ?? (await fabricGaps(driver, topology)) : undefined;
    const rec = await driver.record();
    return {
      lab: ctx.lab,
      driver: driver.name,
      converged: Boolean(state && !state.gaps.length),
      durationMs: performance.now() - started,
      steps,
      sessions: state?.sessions ?? { established: 0, expected: 0 },
      pods: podsOf(topology, rec?.podsPerNode ?? args.podsPerNode ?? topology.demo.podsPerNode).map((p) => ({ name: p.name, node: p.node, ip: p.ip })),
      notConverged: state?.gaps.length ? state.gaps : undefined,
    };
  },
});
