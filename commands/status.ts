import { z } from 'zod';
import { defineCommand } from './types.js';
import type { StatusResult } from './results.js';

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
      connectMode: rec.driver === 'embedded' ? connectModeLine(rec.connectMode ?? 'cilium') : undefined,
    };
  },
});

function connectModeLine(mode: 'cilium' | 'fast-connect'): NonNullable<StatusResult['connectMode']> {
  return {
    mode,
    description: mode === 'cilium'
      ? "sessions: as Cilium (no listener on the nodes; each node opens its sessions after GoBGP's 5-10 s connect delay)"
      : 'sessions: fast-connect (a listener on each node; the leaves open the sessions at once; Cilium has none)',
  };
}
