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
      return { lab: ctx.lab, driver: driver.name, state: 'down', devices: [], sessions: { established: 0, expected: 0 }, drift: [], hint: `run \`${up}\`` };
    }
    const { collectPeerRows, sessionRows } = await import('../lab/inspect/peers.js');
    const [health, peers] = await Promise.all([driver.health(), collectPeerRows(driver, rec.topology)]);
    const rows = sessionRows(rec.topology, peers);
    const drift: string[] = [];
    if (rec.phase !== 'up') drift.push('the lab was not finished (an `up` was interrupted)');
    for (const d of health) {
      if (!d.namespace) drift.push(`${d.name}: namespace missing`);
      for (const p of d.daemons) if (!p.alive) drift.push(`${d.name}: ${p.name} is not running${p.pid ? ` (pid ${p.pid} gone)` : ''}`);
    }
    for (const r of rows) if (r.state !== 'Established') drift.push(`${r.router} ↔ ${r.peer} (${r.peerAddress}) is ${r.state}`);
    const devices = health.map((d) => {
      const ends = peers.filter((p) => p.router === d.name && p.expected);
      return ends.length ? { ...d, sessionsEstablished: ends.filter((p) => p.state === 'Established').length, sessionsExpected: ends.length } : d;
    });
    const established = rows.filter((r) => r.state === 'Established').length;
    const { readDrill } = await import('../lab/state/drill-state.js');
    const drill = await readDrill(ctx.lab);
    return {
      lab: ctx.lab,
      driver: driver.name,
      state: drift.length ? 'degraded' : 'up',
      devices,
      sessions: { established, expected: rows.length },
      drift,
      // During a drill the drift is the exercise: rebuilding the lab would only destroy it.
      hint: !drift.length ? undefined
        : drill ? 'a drill is running: investigate with `peers`, `routes <router>`, `check`; `drill hint` if stuck, `drill end` restores the lab'
        : `investigate with \`peers\` and \`routes <router>\`; \`${up} --replace\` rebuilds the lab`,
      drill: drill ? { id: drill.hidden ? 'random' : drill.id, startedAt: drill.startedAt, startedBy: drill.startedBy } : undefined,
    };
  },
});
