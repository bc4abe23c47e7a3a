// The drill lifecycle behind the `drill` commands: start (baseline, prober, inject, measure),
// check (scenario test + the fabric check), end (restore, verify baseline, score). State lives
// in the drill-state file, so each step may run in a different process or surface.
import type { Driver } from '../drivers/types.js';
import type { DrillCtx, FixVerdict, Scenario } from './types.js';
import type { DrillCheckResult, DrillEndResult, DrillStartResult } from './results.js';
import type { CheckResult } from '../results.js';
import { LabError, UsageError } from '../errors.js';
import { connectModeOf, embeddedOnly, requireRecord, restartRouter } from '../drivers/embedded/ops.js';
import { realCost } from '../gameday/cost.js';
import { addParticipant, appendScore, clearDrill, readDrill, updateDrill, writeDrill, type DrillState } from '../state/drill-state.js';
import { findScenario, pickScenario } from './index.js';
import { lastRandom, rememberRandom } from './util.js';
import { leafSignature, leavesLastChange, snapshot, waitBaseline, waitSettled } from './baseline.js';
import { currentPause, planProber, readProber, startProber, stopFlows, stopProber } from './prober.js';
import { identityOf, liveness } from '../state/identity.js';
import { rejectedRouters, restoreLab } from './restore.js';
import { buildTimeline, trafficBackAfterFix } from './timeline.js';
import { buildPostmortem } from '../gameday/postmortem.js';
import { saveReport } from '../gameday/reports.js';
import { startGuard, stopGuard } from '../gameday/guard.js';

/** A drill's own ID (reports, scores): the lab and the UTC minute it started, plus a random tail. */
export function newDrillId(lab: string, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:T]/g, '');
  return `${lab.slice(0, 20)}-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

export function drillCtx(driver: Driver, lab: string): DrillCtx {
  const d = embeddedOnly(driver);
  return { d, lab, record: () => requireRecord(d) };
}

export async function requireDrill(lab: string, opts: { started?: boolean } = {}): Promise<DrillState> {
  const s = await readDrill(lab);
  if (!s) throw new UsageError(`no drill is running on lab ${lab}`, 'start one with `drill start <scenario>` or `drill start --random`');
  if (opts.started && drillPhase(s) !== 'running') {
    const why = startInterrupted(s) ? 'its `drill start` was interrupted' : 'it is still starting';
    throw new UsageError(`the drill on lab ${lab} is not running: ${why}`, startInterrupted(s) ? '`drill end` restores the lab (scored aborted)' : 'wait for `drill start` to finish');
  }
  return s;
}

/** Files from before the journal have no phase: they were running. */
export function drillPhase(s: DrillState): NonNullable<DrillState['phase']> {
  return s.phase ?? 'running';
}

/** A start that stopped before `running` and whose process is gone (killed, crashed, host rebooted). */
export function startInterrupted(s: DrillState): boolean {
  return drillPhase(s) !== 'running' && liveness(s.starter) !== 'alive';
}

/** The fault may be in the lab: injection began (and the start either finished or died during it). */
export function faultMayBeInjected(s: DrillState): boolean {
  return drillPhase(s) !== 'starting' && drillPhase(s) !== 'probing';
}

export async function startDrill(
  driver: Driver,
  lab: string,
  who: { user: string; name?: string; surface: string; thread?: DrillState['thread'] },
  pick: { id?: string; random?: boolean; seed?: number },
  game: { paged?: string[]; pagedNames?: Record<string, string>; limits?: DrillState['limits']; scheduleId?: string; surprise?: boolean; host?: string } = {},
): Promise<DrillStartResult> {
  const running = await readDrill(lab);
  if (running && startInterrupted(running)) throw new UsageError(`the last \`drill start\` on ${lab} (by ${running.startedBy}) was interrupted`, '`drill end` restores the lab and scores it aborted; then start again');
  if (running) throw new UsageError(`drill ${running.hidden ? '(random)' : running.id} is already running on ${lab}, started by ${running.startedBy}`, 'one drill per lab: `drill end` first');
  if (!pick.id && !pick.random) throw new UsageError('`drill start` needs a scenario or --random', 'see `drill list`');
  const seed = pick.random ? pick.seed ?? Math.floor(Math.random() * 2 ** 31) : undefined;
  // A random drill is never the lab's last random one again, and its variant varies the link.
  const last = pick.random ? await lastRandom(lab) : undefined;
  const scenario: Scenario = pick.id ? findScenario(pick.id) : pickScenario(seed!, last?.id);
  const ctx = drillCtx(driver, lab);
  const rec = await ctx.record();
  const baseline = await snapshot(ctx.d, rec.topology);
  const down = baseline.sessions.filter((s) => !s.endsWith(' Established'));
  if (down.length) throw new LabError(`the lab is not converged (${down[0]})`, { hint: 'a drill starts from a healthy lab: `status`, or `up --replace`' });
  const fault = scenario.target(rec.topology, pick.random ? seed : undefined);
  const prober = planProber(ctx.d, rec.topology, rec.podsPerNode);
  const state: DrillState = {
    lab, id: scenario.id, title: scenario.title, startedAt: new Date().toISOString(), startedBy: who.user, surface: who.surface,
    hintsUsed: 0, seed, thread: who.thread, fault, hidden: pick.random || undefined, baseline, baselineTopology: rec.topology, actions: [],
    phase: 'starting', starter: identityOf(process.pid), prober,
  };
  // The game: who runs it (game master), who is paged, the abort rules. A scheduled drill is a
  // surprise: like --random, nobody sees the scenario until `drill end`.
  if (game.surprise) state.hidden = true;
  state.drillId = newDrillId(lab);
  state.gameMaster = { user: who.user, name: who.name ?? who.user };
  state.paged = game.paged?.length ? game.paged : undefined;
  state.limits = game.limits && (game.limits.abortAfterMs || game.limits.abortIfOutageMs) ? game.limits : undefined;
  state.scheduleId = game.scheduleId;
  addParticipant(state, { user: who.user, name: who.name, role: 'game master', surface: who.surface, at: state.startedAt });
  for (const id of game.paged ?? []) if (/^[UW]/.test(id)) addParticipant(state, { user: id, name: game.pagedNames?.[id], paged: true, surface: 'slack', at: state.startedAt });
  // The journal (see DrillPhase): each step is recorded before it begins, so a crash at any
  // step leaves a state that says what may be in the lab, and `drill end` restores from it.
  // Intent first, with the prober's pid files named: nothing started yet.
  await writeDrill(state);
  try {
    await startProber(ctx.d, prober);
    await updateDrill(lab, (d) => void (d.phase = 'probing'));
    await new Promise((r) => setTimeout(r, 500)); // a few clean probes before the fault
    const before = await leafSignature(ctx.d, rec.topology);
    const injected = Date.now();
    state.injectedAt = new Date(injected).toISOString();
    await updateDrill(lab, (d) => {
      d.phase = 'injecting';
      d.injectedAt = state.injectedAt;
    });
    const settled = await scenario.inject(ctx, fault);
    if (settled) Object.assign(fault, settled);
    await updateDrill(lab, (d) => {
      d.phase = 'injected';
      if (settled) Object.assign(d.fault, settled);
    });
    if (pick.random) await rememberRandom(lab, { id: scenario.id, target: [fault.spine, fault.leaf, fault.iface].filter(Boolean).join(' ') });
    const settle = await waitSettled(ctx.d, rec.topology, { quietMs: 2000, timeoutMs: 12_000, initial: before });
    state.injectConvergenceMs = settle.lastChange !== undefined ? settle.lastChange - injected : undefined;
    await updateDrill(lab, (d) => {
      d.injectConvergenceMs = state.injectConvergenceMs;
      d.phase = 'running';
      delete d.starter;
    });
    // The abort rules hold without a bot too: the drill's guard (lab/gameday/guard.ts) enforces them.
    if (state.limits) await startGuard(lab, state.drillId, game.host);
    return {
      lab, id: state.hidden ? undefined : scenario.id, title: state.hidden ? undefined : scenario.title, page: scenario.page(fault),
      drillId: state.drillId, paged: state.paged, gameMaster: state.gameMaster?.name, limits: state.limits,
      startedAt: state.startedAt, startedBy: who.name ?? who.user, seed, hintsAvailable: 3, injectConvergenceMs: state.injectConvergenceMs, settled: settle.settled,
    };
  } catch (err) {
    // Injection failed half-way: put the lab back and forget the drill.
    await endDrill(driver, lab, { abort: true }).catch(() => {});
    throw err;
  }
}

export async function checkDrill(driver: Driver, lab: string, runCheck: () => Promise<CheckResult>, waitMs: number): Promise<DrillCheckResult> {
  const state = await requireDrill(lab, { started: true });
  const scenario = findScenario(state.id);
  const ctx = drillCtx(driver, lab);
  const topo = (await ctx.record()).topology;
  let verdict: FixVerdict = { fixed: false, detail: '' };
  const settle = await waitSettled(ctx.d, topo, {
    quietMs: 1000,
    timeoutMs: waitMs,
    until: async () => (verdict = await scenario.isFixed(ctx, state.fault)).fixed,
  });
  // Seen changing while we polled, or else (the fix converged before `drill check` ran) the
  // age of the leaves' newest route, which FRR keeps with 1 s resolution.
  const fixedAt = settle.lastChange ?? (await leavesLastChange(ctx.d, topo)) ?? Date.now();
  const check = await runCheck();
  const ok = verdict.fixed && check.ok;
  // The responder may have run their fix while this check waited (another surface): read again.
  const latest = (await readDrill(lab)) ?? state;
  const lastAction = latest.actions?.at(-1);
  const fixConvergenceMs = ok && lastAction ? Math.max(0, fixedAt - Date.parse(lastAction.at)) : undefined;
  if (ok && !latest.resolvedAt) {
    const resolvedAt = new Date().toISOString();
    await updateDrill(lab, (d) => {
      d.resolvedAt ??= resolvedAt;
      d.fixConvergenceMs ??= fixConvergenceMs;
    });
  }
  // Until it is fixed, the scenario's own test says only how far along the responder is: its
  // wording ("no netem on spine1 eth2") would name the fault, which hints are there to give.
  const detail = verdict.fixed ? verdict.detail : `${verdict.met ?? 0} of ${verdict.total ?? '?'} of the scenario's conditions hold`;
  return { ok, fixed: verdict.fixed, detail, check, elapsedMs: Date.now() - Date.parse(state.injectedAt ?? state.startedAt), fixConvergenceMs, hintsUsed: latest.hintsUsed };
}

export async function endDrill(driver: Driver, lab: string, opts: { abort?: boolean; reason?: string; by?: string; drillId?: string } = {}): Promise<DrillEndResult> {
  const started = Date.now();
  const state = await requireDrill(lab);
  // An automatic end names its drill: one that ended meanwhile (and a new one started) is not its business.
  if (opts.drillId && state.drillId !== opts.drillId) throw new UsageError(`drill ${opts.drillId} is no longer running on lab ${lab}`, 'nothing to do');
  const scenario = findScenario(state.id);
  const ctx = drillCtx(driver, lab);
  // A start that never reached `running` (killed, or failed half-way): whatever the scenario's
  // test says now, nobody solved anything: restore and score it aborted.
  const unfinished = drillPhase(state) !== 'running';
  if (unfinished) opts = { ...opts, abort: true };
  // Fixed but never `drill check`ed still counts as resolved: the scenario's own test decides.
  if (!state.resolvedAt && !opts.abort) {
    // A fix run just before `drill end` gets the time to converge a `drill check` would give it
    // (10 s); with no operator command since the fault there is nothing to wait for.
    const deadline = Date.now() + (state.actions?.length ? 10_000 : 0);
    let verdict = await scenario.isFixed(ctx, state.fault).catch(() => ({ fixed: false }));
    while (!verdict.fixed && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      verdict = await scenario.isFixed(ctx, state.fault).catch(() => ({ fixed: false }));
    }
    if (verdict.fixed) {
      state.resolvedAt = new Date().toISOString();
      state.resolvedBy = 'end';
    }
  }
  // What traffic saw during the drill, before the restore adds its own blips (those are in the timeline).
  const incident = await readProber(ctx.d, state.prober);
  const restored: string[] = [];
  const restoreAt = Date.now();
  // A fault never injected is not undone (its restore could itself change the lab).
  if (faultMayBeInjected(state)) await scenario.restore(ctx, state.fault).catch((e: Error) => restored.push(`scenario restore failed: ${e.message}`));
  if (unfinished) restored.push(`\`drill start\` had stopped at ${drillPhase(state)}${faultMayBeInjected(state) ? '' : ' (no fault injected)'}: scored aborted`);
  restored.push(...(await restoreLab(ctx.d, state.baselineTopology)));
  const rec = await ctx.record();
  let diff = state.baseline ? await waitBaseline(ctx.d, rec.topology, state.baseline, 30_000) : [];
  const rejected = rejectedRouters(diff);
  if (rejected.length) {
    for (const r of rejected) await restartRouter(ctx.d, r);
    restored.push(`${rejected.join(', ')}: FRR restarted (routes rejected by the kernel after the flap, FRRouting/frr#14160)`);
    diff = await waitBaseline(ctx.d, rec.topology, state.baseline!, 30_000);
  }
  const all = await readProber(ctx.d, state.prober);
  await stopProber(ctx.d, state.prober);
  const timeline = buildTimeline(state, all, restoreAt);
  const outcome = opts.abort ? 'aborted' : state.resolvedAt ? 'resolved' : 'gave-up';
  const timeToResolveMs = state.resolvedAt ? Date.parse(state.resolvedAt) - Date.parse(state.injectedAt ?? state.startedAt) : undefined;
  if (opts.abort && opts.reason) {
    state.abortReason = opts.reason.slice(0, 200);
    timeline.push({ at: new Date(restoreAt).toISOString(), kind: 'event', event: 'abort', name: opts.by, text: `aborted${opts.by ? ` by ${opts.by}` : ''}: ${state.abortReason}` });
    timeline.sort((a, b) => a.at.localeCompare(b.at));
  }
  const endedAt = new Date().toISOString();
  const postmortem = buildPostmortem(state, { cause: scenario.cause(state.fault), fix: scenario.fix(state.fault), outcome, prober: incident, timeline, endedAt });
  // What the same fault costs in the real lab: the mode and timers here, Cilium's defaults (computed).
  postmortem.realLab = realCost(state.id, connectModeOf(rec), rec.topology, { mitigationMs: postmortem.mitigation.ms, trafficBackMs: trafficBackAfterFix(timeline), outageMs: postmortem.impact.outageMs });
  await saveReport(postmortem).catch(() => {});
  await appendScore({
    lab, id: state.id, title: state.title, user: state.startedBy, surface: state.surface, startedAt: state.startedAt, endedAt, timeToResolveMs, hintsUsed: state.hintsUsed, outcome,
    drillId: postmortem.drillId, timeToDetectMs: postmortem.detection.ms, timeToMitigateMs: postmortem.mitigation.ms, abortReason: state.abortReason,
    participants: postmortem.participants.map((p) => ({ user: p.user, name: p.name, roles: p.roles, detectMs: p.detectMs, mitigateMs: p.mitigateMs, hints: p.hints, commands: p.commands })),
  });
  await clearDrill(lab);
  await stopGuard(lab).catch(() => {});
  return {
    ok: diff.length === 0, lab, id: state.id, title: state.title, cause: scenario.cause(state.fault), fix: scenario.fix(state.fault), outcome, timeToResolveMs,
    hintsUsed: state.hintsUsed, actions: state.actions ?? [], prober: incident, convergence: { injectMs: state.injectConvergenceMs, fixMs: state.fixConvergenceMs, trafficBackMs: trafficBackAfterFix(timeline) },
    restored, diff, timeline, durationMs: Date.now() - started, postmortem,
  };
}


export interface ProberPauseResult {
  lab: string;
  action: 'pause' | 'resume';
  /** Who paused (or resumed) it, and when. */
  name: string;
  at: string;
  /** Resume: the pause it ended (from, by). */
  pausedAt?: string;
  pausedBy?: string;
  /** Probe processes of the drill running after the command (0 while paused). */
  running: number;
  flows: number;
}

/**
 * The game master's pause of the prober: its pings are stopped (nothing probes while paused)
 * and the pause is on the timeline; the figures leave the paused span out. Recorded before the
 * pings stop, so a pause killed half-way is still a pause: `resume` or `drill end` clean up.
 */
export async function pauseProber(driver: Driver, lab: string, who: { user: string; name: string }): Promise<ProberPauseResult> {
  const state = await requireDrill(lab, { started: true });
  const ctx = drillCtx(driver, lab);
  const open = currentPause(state.prober);
  if (open) throw new UsageError(`the prober of lab ${lab} is already paused (by ${open.name} since ${open.at.slice(11, 19)} UTC)`, '`drill prober resume` starts it again');
  if (!state.prober) throw new LabError(`the drill on lab ${lab} has no prober`, { hint: '`drill end` restores the lab' });
  const at = new Date().toISOString();
  const s = await updateDrill(lab, (d) => {
    if (!d.prober || currentPause(d.prober)) return;
    d.prober.pauses = [...(d.prober.pauses ?? []), { at, user: who.user, name: who.name }];
    d.events = [...(d.events ?? []), { at, kind: 'prober-paused', user: who.user, name: who.name, text: `${who.name} paused the prober` }];
  });
  await stopFlows(ctx.d, (s ?? state).prober!);
  return { lab, action: 'pause', name: who.name, at, running: await runningFlows(ctx.d, (s ?? state).prober!), flows: state.prober.flows.length };
}

export async function resumeProber(driver: Driver, lab: string, who: { user: string; name: string }): Promise<ProberPauseResult> {
  const state = await requireDrill(lab, { started: true });
  const ctx = drillCtx(driver, lab);
  const open = currentPause(state.prober);
  if (!open) throw new UsageError(`the prober of lab ${lab} is not paused`, '`drill prober pause` pauses it');
  const at = new Date().toISOString();
  const s = await updateDrill(lab, (d) => {
    const p = currentPause(d.prober);
    if (!p) return;
    p.resumedAt = at;
    p.resumedBy = who.name;
    d.prober!.run = (d.prober!.run ?? 0) + 1;
    const mins = Math.round((Date.parse(at) - Date.parse(p.at)) / 1000);
    d.events = [...(d.events ?? []), { at, kind: 'prober-resumed', user: who.user, name: who.name, text: `${who.name} resumed the prober (paused ${mins} s by ${p.name})` }];
  });
  const prober = (s ?? state).prober!;
  // A pause killed before its pings stopped left them running: stopped first, so each flow runs once.
  await stopFlows(ctx.d, prober);
  await startProber(ctx.d, prober, prober.run ?? 0);
  return { lab, action: 'resume', name: who.name, at, pausedAt: open.at, pausedBy: open.name, running: await runningFlows(ctx.d, prober), flows: prober.flows.length };
}

/** How many of the prober's pings run now (their pid files name a live process). */
export async function runningFlows(d: ReturnType<typeof embeddedOnly>, prober: NonNullable<DrillState['prober']>): Promise<number> {
  let n = 0;
  for (const f of prober.flows) {
    const r = await d.runner.run(['start-stop-daemon', '--status', '--pidfile', f.pidFile]);
    if (r.exitCode === 0) n++;
  }
  return n;
}
