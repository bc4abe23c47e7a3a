import { z } from 'zod';
import { defineCommand } from './types.js';
import type { DrillStatusResult } from './drill-results.js';

export default defineCommand({
  name: 'drill status',
  summary: 'The running drill: page, time elapsed, hints used, what was done, prober losses so far',
  positionals: [],
  args: z.object({}),
  permission: 'read',
  async handler(_args, ctx): Promise<DrillStatusResult> {
    const { readDrill } = await import('../lab/state/drill-state.js');
    const s = await readDrill(ctx.lab);
    if (!s) return { lab: ctx.lab, running: false };
    const { findScenario } = await import('../lab/drills/index.js');
    const { readProber } = await import('../lab/drills/prober.js');
    const { drillPhase, faultMayBeInjected, startInterrupted } = await import('../lab/drills/run.js');
    const { embeddedOnly } = await import('../lab/drivers/embedded/ops.js');
    const phase = drillPhase(s);
    const interrupted = startInterrupted(s);
    // Says only what the journal knows: no page (a fault's symptoms) before it was injected.
    const faultInjected = phase === 'running' || phase === 'injected' ? 'yes' : faultMayBeInjected(s) ? 'maybe' : 'no';
    const driver = embeddedOnly(await ctx.driver());
    const prober = phase === 'starting' ? undefined : await readProber(driver, s.prober).catch(() => undefined);
    const { currentPause } = await import('../lab/drills/prober.js');
    const { labTimers } = await import('../lab/gameday/cost.js');
    const { connectModeOf } = await import('../lab/drivers/embedded/ops.js');
    const paused = currentPause(s.prober);
    const rec = await driver.record().catch(() => undefined);
    const lab = rec ? labTimers(connectModeOf(rec), rec.topology) : undefined;
    return {
      lab: ctx.lab, running: true, phase, interrupted: interrupted || undefined, faultInjected,
      id: s.hidden ? undefined : s.id, title: s.hidden ? undefined : s.title, page: faultInjected === 'no' ? undefined : findScenario(s.id).page(s.fault),
      startedAt: s.startedAt, startedBy: s.gameMaster?.name ?? s.startedBy, elapsedMs: s.injectedAt && faultInjected !== 'no' ? Date.now() - Date.parse(s.injectedAt) : undefined, hintsUsed: s.hintsUsed,
      resolved: Boolean(s.resolvedAt), actions: s.actions ?? [], prober,
      drillId: s.drillId, gameMaster: s.gameMaster?.name, participants: s.participants?.map((p) => ({ name: p.name, roles: p.roles, paged: p.paged })), notes: s.notes?.length, limits: s.limits,
      proberPaused: paused ? { by: paused.name, since: paused.at } : undefined, proberPauses: s.prober?.pauses?.length || undefined,
      connectMode: lab?.connectModeText, timers: lab?.timersText,
    };
  },
});
