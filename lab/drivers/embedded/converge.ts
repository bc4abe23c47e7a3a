// `up` returns only when the fabric is converged: every expected session Established, every
// pod CIDR on every router with the expected ECMP width, and one clean ping sweep.
import type { Driver, Progress } from '../types.js';
import type { Topology } from '../../topology/schema.js';
import { LabError } from '../../errors.js';
import { fabricGaps, type ConvergeState } from '../../inspect/converge.js';
import { pingMany } from '../../inspect/ping.js';
import { podsOf } from '../../topology/model.js';

export async function waitConverged(
  driver: Driver,
  topo: Topology,
  podsPerNode: number,
  opts: { timeoutMs: number; signal: AbortSignal; progress: Progress },
): Promise<ConvergeState> {
  const deadline = Date.now() + opts.timeoutMs;
  let state: ConvergeState = { sessions: { established: 0, expected: 0 }, gaps: ['not checked yet'] };
  let lastReported = '';
  while (Date.now() < deadline) {
    opts.signal.throwIfAborted();
    state = await fabricGaps(driver, topo, true);
    const line = `${state.sessions.established}/${state.sessions.expected} sessions, ${state.gaps.length ? `${state.gaps.length} not converged yet` : 'converged'}${state.gaps.length && state.gaps.length <= 4 ? `: ${state.gaps.join('; ')}` : ''}`;
    if (line !== lastReported) opts.progress({ type: 'log', message: line });
    lastReported = line;
    if (!state.gaps.length) {
      const pods = podsOf(topo, podsPerNode);
      const sweep = (await Promise.all(pods.map((a) => pingMany(driver, a, pods.filter((b) => b !== a), { signal: opts.signal })))).flat();
      const failed = sweep.filter((r) => !r.ok);
      // The routers see every session, nodes' included (from their leaf): no second read.
      if (!failed.length) return state;
      state = { ...state, gaps: failed.map((f) => `${f.from} cannot ping ${f.to} (${f.toIp})`) };
      opts.progress({ type: 'log', message: `ping sweep: ${failed.length} of ${sweep.length} failed (${state.gaps.slice(0, 2).join('; ')}${failed.length > 2 ? '; …' : ''})` });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new LabError(`not converged after ${Math.round(opts.timeoutMs / 1000)} s: ${state.gaps.slice(0, 6).join('; ')}${state.gaps.length > 6 ? `; …${state.gaps.length - 6} more` : ''}`, {
    hint: 'see `bgp-lab status` and the router logs under /run/bgp-lab/<lab>/<router>/',
  });
}
