import { z } from 'zod';
import { defineCommand } from './types.js';
import type { StatusResult } from './results.js';
import type { Topology } from '../lab/topology/schema.js';

export default defineCommand({
  name: 'status',
  summary: 'Is the lab up: namespaces, daemons and sessions per device, and any drift',
  positionals: [],
  args: z.object({}),
  permission: 'read',
  async handler(_args, ctx): Promise<StatusResult> {
    const driver = await ctx.driver();
    const rec = await driver.record();
    const up = ctx.lab === 'cilium-bgp' ? 'bgp-lab up' : `bgp-lab --lab ${ctx.lab} up`;
    if (!rec) {
      return { ok: false, lab: ctx.lab, driver: driver.name, state: 'down', devices: [], sessions: { established: 0, expected: 0 }, drift: [], hint: `run \`${up}\`` };
    }
    const { collectPeerRows, sessionRows } = await import('../lab/inspect/peers.js');
    const { readDrift } = await import('../lab/inspect/facts.js');
    const [health, peers] = await Promise.all([driver.health(), collectPeerRows(driver, rec.topology)]);
    const rows = sessionRows(rec.topology, peers);
    const present = new Set(health.filter((d) => d.namespace).map((d) => d.name));
    const links = await readDrift(driver, rec.topology, [...rec.topology.routers.map((r) => r.name), ...rec.topology.cluster.nodes.map((n) => n.name)].filter((d) => present.has(d)), ctx.signal);
    const drift: string[] = [];
    const fixes: (string | undefined)[] = [];
    const add = (line: string, fix?: string) => (drift.push(line), fixes.push(fix));
    let rebuild = false;
    if (rec.phase !== 'up') (add('the lab was not finished (an `up` was interrupted)', `${up} --replace`), (rebuild = true));
    for (const d of health) {
      if (!d.namespace) (add(`${d.name}: namespace missing`, `${up} --replace`), (rebuild = true));
      for (const p of d.daemons) {
        if (p.alive) continue;
        const fix = d.kind === 'router' ? `router restart ${d.name}` : d.kind === 'node' ? `agent restart ${d.name}` : undefined;
        add(`${d.name}: ${p.name} is not running${p.pid ? ` (pid ${p.pid} gone)` : ''}`, fix);
      }
    }
    // Interfaces off the model first: they are usually why a session below is down.
    for (const l of links) add(l.what, l.fix);
    for (const r of rows) if (r.state !== 'Established') add(`${r.router} ↔ ${r.peer} (${r.peerAddress}) is ${r.state}`);
    const devices = health.map((d) => {
      const ends = peers.filter((p) => p.router === d.name && p.expected);
      return ends.length ? { ...d, sessionsEstablished: ends.filter((p) => p.state === 'Established').length, sessionsExpected: ends.length } : d;
    });
    const established = rows.filter((r) => r.state === 'Established').length;
    const { readDrill } = await import('../lab/state/drill-state.js');
    const drill = await readDrill(ctx.lab);
    return {
      ok: drift.length === 0,
      lab: ctx.lab,
      driver: driver.name,
      state: drift.length ? 'degraded' : 'up',
      fixes: fixes.some(Boolean) ? fixes : undefined,
      devices,
      sessions: { established, expected: rows.length },
      drift,
      // During a drill the drift is the exercise: rebuilding the lab would only destroy it.
      hint: !drift.length ? undefined
        : drill ? 'a drill is running: investigate with `peers`, `routes <router>`, `check`; `drill hint` if stuck, `drill end` restores the lab'
        : fixes.some(Boolean) && !rebuild ? 'run the command after each line; then `status` again (`peers`, `routes <router>` for the rest)'
        : `investigate with \`peers\` and \`routes <router>\`; \`${up} --replace\` rebuilds the lab`,
      drill: drill ? { id: drill.hidden ? 'random' : drill.id, startedAt: drill.startedAt, startedBy: drill.startedBy } : undefined,
      connectMode: rec.driver === 'embedded' ? await connectModeLine(rec.connectMode ?? 'cilium', rec.topology) : undefined,
    };
  },
});

async function connectModeLine(mode: 'cilium' | 'fast-connect', topo: Topology): Promise<NonNullable<StatusResult['connectMode']>> {
  if (mode === 'cilium') return { mode, description: "sessions: as Cilium (no listener on the nodes; each node opens its sessions after GoBGP's 5-10 s connect delay)" };
  const { configuredAgents } = await import('../lab/cilium/desired.js');
  const { nodeOpenedSessions } = await import('../lab/gobgp/messages.js');
  // One port 179 per node address: a node's further BGP instances have no listener.
  const nodeOpens = nodeOpenedSessions(configuredAgents(topo), mode);
  if (!nodeOpens.length) return { mode, description: 'sessions: fast-connect (a listener on each node; the leaves open the sessions at once; Cilium has none)' };
  const n = nodeOpens.length;
  return {
    mode,
    description:
      "sessions: fast-connect (a listener on each node's first BGP instance; the leaves open those sessions at once; Cilium has none). " +
      `${n} session${n === 1 ? '' : 's'} of further instances ${n === 1 ? 'has' : 'have'} no listener (one port 179 per node address) and open${n === 1 ? 's' : ''} as in Cilium, by the node after GoBGP's 5-10 s: ` +
      nodeOpens.map((x) => `${x.node} AS ${x.localAs} → ${x.peerAddress}`).join(', '),
    nodeOpens,
  };
}
