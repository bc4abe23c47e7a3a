// REPL figures in a real terminal (tmux), on a lab that is already up:
//   ready  — process start to the prompt drawn (the REPL's own mark, and tmux wall time);
//   answer — Enter on `routes leaf0` to the table drawn (REPL mark, and tmux wall time),
//            typed `thinkMs` after the prompt showed the lab's health (a person needs longer
//            than 300 ms to type it; 0 = typed the instant the prompt appears).
// The lead's test/bench/bench.ts calls benchRepl(); alone: node dist/test/bench/repl-bench.js LAB.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keys, kill, lastLine, startTmux, waitScreen } from '../repl/tmux.js';

export interface ReplBench {
  runs: number;
  readyMs: { median: number; all: number[]; wallMedian: number };
  /** runMedian: the part spent in Session.run (the command itself), the rest is the REPL. */
  answerMs: { median: number; all: number[]; wallMedian: number; runMedian: number };
  targets: { readyMs: 800; answerMs: 100 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(((s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2) * 10) / 10 : NaN;
};

export async function benchRepl(lab: string, runs = 5, thinkMs = 300): Promise<ReplBench> {
  const dir = mkdtempSync(join(tmpdir(), 'repl-bench-'));
  const ready: number[] = [];
  const readyWall: number[] = [];
  const answer: number[] = [];
  const answerWall: number[] = [];
  const runOnly: number[] = [];
  for (let i = 0; i < runs; i++) {
    const name = `repl-bench-${process.pid}-${i}`;
    const timing = join(dir, `t${i}.jsonl`);
    const t0 = performance.now();
    startTmux(name, ['--lab', lab, 'repl'], { BGP_LAB_REPL_TIMING: timing, BGP_LAB_STATE_DIR: dir });
    try {
      await waitScreen(name, (s) => lastLine(s).includes('›'), 10_000, 5);
      readyWall.push(performance.now() - t0);
      await waitScreen(name, (s) => /sessions ›/.test(lastLine(s)), 10_000, 20);
      await new Promise((r) => setTimeout(r, thinkMs));
      keys(name, 'routes leaf0');
      await waitScreen(name, (s) => lastLine(s).endsWith('routes leaf0'), 5000, 5);
      const t1 = performance.now();
      keys(name, 'Enter');
      // Polled every 20 ms: tmux capture-pane in a tight loop takes CPU from the REPL it
      // measures (the figure is the REPL's own mark; wall time is only a cross-check).
      await waitScreen(name, (s) => s.includes('via 10.1.12.2'), 10_000, 20);
      answerWall.push(performance.now() - t1);
      keys(name, 'exit', 'Enter');
      await waitScreen(name, (s) => s.includes('bye'), 5000, 20);
    } finally {
      kill(name);
    }
    const marks = readFileSync(timing, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; ms: number; runMs?: number });
    ready.push(marks.find((m) => m.event === 'ready')!.ms);
    answer.push(marks.find((m) => m.event === 'answer')!.ms);
    runOnly.push(marks.find((m) => m.event === 'answer')!.runMs ?? NaN);
  }
  return {
    runs,
    readyMs: { median: median(ready), all: ready, wallMedian: median(readyWall) },
    answerMs: { median: median(answer), all: answer, wallMedian: median(answerWall), runMedian: median(runOnly) },
    targets: { readyMs: 800, answerMs: 100 },
  };
}

if (process.argv[1]?.endsWith('repl-bench.js') && process.argv[2]) {
  benchRepl(process.argv[2], Number(process.argv[3] ?? 5), Number(process.argv[4] ?? 300)).then((r) => console.log(JSON.stringify(r, null, 2)));
}
