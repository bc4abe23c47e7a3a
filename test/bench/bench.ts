// `npm run bench [seed|load|big|max]` (or `-- --only up-large`; max ≈ 3 ups + a full check of 8×16×6: about 5-10 min on 2 cores): the embedded lab's speed, measured (median/min/max of several runs),
// printed as a table and written to bench-results.json. Not a test: nothing here fails
// the suite; targets are printed next to the figures.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../commands/execute.js';
import type { CheckResult, UpResult } from '../../commands/results.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
process.env.BGP_LAB_STATE_DIR ??= mkdtempSync(join(tmpdir(), 'bgp-lab-bench-'));

interface Figure {
  name: string;
  unit: string;
  runs: number[];
  target?: number;
  note?: string;
}

const figures: Figure[] = [];
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s.at(-1)! };
};

function session(lab: string, topologyFile?: string): Session {
  return new Session({ lab, topologyFile, caller: { surface: 'test', user: 'bench', level: 'admin' } });
}

async function timed(s: Session, line: string): Promise<number> {
  const o = await s.run(line);
  if (o.error) throw new Error(`${line}: ${o.error.message}`);
  return o.durationMs;
}

/** Resident memory of every process inside the lab's namespaces, in MiB. */
function labRssMiB(lab: string): number {
  const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n.startsWith(`bgplab.${lab}.`));
  let kib = 0;
  for (const ns of namespaces) {
    for (const pid of execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
      try {
        kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      } catch {
        /* exited meanwhile */
      }
    }
  }
  return kib / 1024;
}

async function seed(): Promise<void> {
  const lab = 'bench-seed';
  const s = session(lab);
  await s.run('down');
  const up: number[] = [];
  const fast: number[] = [];
  const down: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    up.push(await timed(s, 'up'));
    down.push(await timed(s, 'down'));
    fast.push(await timed(s, 'up --fast-connect'));
    down.push(await timed(s, 'down'));
  }
  // The default is Cilium's: no listener on the nodes, each opens its session after GoBGP's
  // first connect delay (5-10 s); --fast-connect lets the leaves connect at once.
  figures.push({ name: 'seed up (to converged, as Cilium)', unit: 'ms', runs: up, target: 10000 });
  figures.push({ name: 'seed up --fast-connect', unit: 'ms', runs: fast, target: 1500 });
  figures.push({ name: 'seed down', unit: 'ms', runs: down, target: 500 });
  await timed(s, 'up --fast-connect');
  const routes: number[] = [];
  for (let i = 0; i < RUNS * 4; i++) routes.push(await timed(s, 'routes leaf0'));
  figures.push({ name: 'routes leaf0 (command core)', unit: 'ms', runs: routes, target: 50 });
  const check: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const o = await s.run('check');
    if (!(o.result as CheckResult).ok) throw new Error('check failed on a converged lab');
    check.push(o.durationMs);
  }
  figures.push({ name: 'check (12-pair ping matrix)', unit: 'ms', runs: check, target: 1000 });
  try {
    const { benchRepl } = await import('./repl-bench.js');
    const r = await benchRepl(lab, RUNS);
    figures.push({ name: 'REPL ready (prompt drawn, tmux)', unit: 'ms', runs: r.readyMs.all, target: r.targets.readyMs });
    figures.push({ name: 'REPL routes leaf0 (Enter → drawn)', unit: 'ms', runs: r.answerMs.all, target: r.targets.answerMs });
    // The same, typed the instant the prompt appears: the REPL is still warming up then.
    const hasty = await benchRepl(lab, RUNS, 0);
    figures.push({ name: '  … typed at once, no pause', unit: 'ms', runs: hasty.answerMs.all });
  } catch (err) {
    figures.push({ name: 'REPL', unit: 'ms', runs: [], note: `not measured: ${(err as Error).message}` });
  }
  const { benchBot } = await import('./bot-bench.js');
  const bot = await benchBot(lab, RUNS * 2);
  figures.push({ name: 'Slack ack (/routes leaf0 → HTTP 200)', unit: 'ms', runs: bot.ackMs, target: 300 });
  figures.push({ name: 'Slack answer posted (slash → chat.postMessage)', unit: 'ms', runs: bot.answerMs });
  await timed(s, 'down');
}

/** The bot under issue 17's two loads, on a seed lab with one pod per node (as test/security/load.test.ts). */
async function botLoad(): Promise<void> {
  const lab = 'bench-load';
  const s = session(lab);
  await s.run('down');
  await timed(s, 'up --fast-connect --pods-per-node 1');
  try {
    // Issue 17's two loads: the runs are the rounds' p50 and p99 (and failures per round).
    const { benchBotLoad } = await import('./bot-bench.js');
    const { percentile } = await import('./load-client.js');
    const load = await benchBotLoad(lab, Math.max(1, Math.min(RUNS, 3)));
    const p = (rounds: { ackMs: number[] }[], q: number) => rounds.map((r) => percentile(r.ackMs, q));
    figures.push({ name: 'Slack ack, 100 concurrent /routes: p50', unit: 'ms', runs: p(load.routes, 50), target: 300 });
    figures.push({ name: '  … p99', unit: 'ms', runs: p(load.routes, 99), target: 300 });
    figures.push({ name: '  … not answered correctly (of 100)', unit: '', runs: load.routes.map((r) => r.unanswered), target: 0 });
    figures.push({ name: 'Slack ack, 40 check + 20 /routes: p50', unit: 'ms', runs: p(load.mixed, 50), target: 1000 });
    figures.push({ name: '  … p99', unit: 'ms', runs: p(load.mixed, 99), target: 1000 });
    figures.push({ name: '  … not answered (of 60)', unit: '', runs: load.mixed.map((r) => r.unanswered), target: 0 });
  } finally {
    await timed(s, 'down');
  }
}

async function big(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bgp-lab-bench-topo-'));
  const file = join(dir, 'big.yaml');
  const gen = await session('bench-gen').run(['topo', 'generate', '--spines', '4', '--leaves', '8', '--nodes-per-rack', '4', '--out', file]);
  if (gen.error) throw new Error(gen.error.message);
  const lab = 'bench-big';
  const s = session(lab, file);
  await s.run('down');
  const up: number[] = [];
  const rss: number[] = [];
  const runs = Math.max(3, Math.min(RUNS, 5));
  for (let i = 0; i < runs; i++) {
    up.push(await timed(s, 'up --timeout 120'));
    rss.push(labRssMiB(lab));
    await timed(s, 'down');
  }
  figures.push({ name: '4×8×4 up (to converged)', unit: 'ms', runs: up, target: 15000 });
  figures.push({ name: '4×8×4 summed RSS', unit: 'MiB', runs: rss, target: 2048 });
}

/**
 * The documented maximum, 8 spines × 16 leaves × 8 nodes per rack (96 nodes, LIMITS.nodes): `up` to converged
 * (median of BENCH_MAX_RUNS, default 3; 1 for a quick run), the summed RSS of the lab's processes,
 * and one full `check` (9,120 pairs) with its verdict.
 */
async function max(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bgp-lab-bench-topo-'));
  const file = join(dir, 'max.yaml');
  const gen = await session('bench-gen').run(['topo', 'generate', '--spines', '8', '--leaves', '16', '--nodes-per-rack', '6', '--out', file]);
  if (gen.error) throw new Error(gen.error.message);
  const lab = 'bench-max';
  const s = session(lab, file);
  await s.run('down');
  const up: number[] = [];
  const rss: number[] = [];
  const runs = Math.max(1, Number(process.env.BENCH_MAX_RUNS ?? 3));
  try {
    const phases = new Map<string, number[]>();
    for (let i = 0; i < runs; i++) {
      const o = await s.run('up --timeout 300');
      if (o.error) throw new Error(`up: ${o.error.message}`);
      up.push(o.durationMs);
      // Phase by phase (wiring, daemons, the convergence proof): where the minute goes.
      for (const st of (o.result as UpResult).steps) phases.set(st.id, [...(phases.get(st.id) ?? []), st.ms]);
      rss.push(labRssMiB(lab));
      if (i < runs - 1) await timed(s, 'down');
    }
    figures.push({ name: '8×16×6 up (to converged)', unit: 'ms', runs: up, target: 60000 });
    for (const [id, ms] of phases) figures.push({ name: `  … ${id}`, unit: 'ms', runs: ms });
    figures.push({ name: '8×16×6 summed RSS', unit: 'MiB', runs: rss, target: 8192 });
    const o = await s.run('check');
    const r = o.result as CheckResult | undefined;
    const verdict = o.error ? `error: ${o.error.message}` : r?.ok ? `✓ ${r.passed} pairs` : `✗ ${r?.failed} of ${(r?.passed ?? 0) + (r?.failed ?? 0)} pairs failed${r?.coverage?.notes.length ? `; ${r.coverage.notes[0]}` : ''}`;
    figures.push({ name: '8×16×6 full check', unit: 'ms', runs: [o.durationMs], note: verdict });
  } finally {
    await s.run('down');
  }
}

async function main(): Promise<void> {
  // `npm run bench -- --only max` (or `up-large`), or the bare name: one part alone.
  const arg = process.argv[2] === '--only' ? process.argv[3] : process.argv[2];
  const only = arg === 'up-large' ? 'max' : arg;
  if (!only || only === 'seed') await seed();
  if (!only || only === 'load') await botLoad();
  if (!only || only === 'big') await big();
  if (!only || only === 'max') await max();
  const rows = figures.map((f) => {
    const st = f.runs.length ? stats(f.runs) : undefined;
    return {
      name: f.name,
      unit: f.unit,
      runs: f.runs.length,
      median: st ? Math.round(st.median * 10) / 10 : undefined,
      min: st ? Math.round(st.min * 10) / 10 : undefined,
      max: st ? Math.round(st.max * 10) / 10 : undefined,
      target: f.target,
      met: st && f.target !== undefined ? st.median <= f.target : undefined,
      note: f.note,
    };
  });
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${'figure'.padEnd(w)}  ${'median'.padStart(9)}  ${'min'.padStart(9)}  ${'max'.padStart(9)}  target`);
  for (const r of rows) {
    const f = (x?: number) => (x === undefined ? '-' : `${x} ${r.unit}`).padStart(9);
    console.log(`${r.name.padEnd(w)}  ${f(r.median)}  ${f(r.min)}  ${f(r.max)}  ${r.target !== undefined ? `≤ ${r.target} ${r.unit} ${r.met ? '✓' : '✗'}` : ''}${r.note ? ` ${r.note}` : ''}`);
  }
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  writeFileSync('bench-results.json', JSON.stringify({ at: new Date().toISOString(), loadavg: load, runs: RUNS, figures: rows }, null, 2));
  console.log(`\n(load average ${load}; written to bench-results.json)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
