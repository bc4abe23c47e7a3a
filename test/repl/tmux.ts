// Driving the real REPL in a real terminal: tmux sessions, keys, and the screen as text.
import { execFileSync } from 'node:child_process';
import { BIN } from '../helpers/lab.js';

export const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });

/** Starts `bgp-lab <args>` in a detached tmux session (160x50 unless told); env via -e (the server may be older). */
export function startTmux(name: string, args: string[], env: Record<string, string> = {}, size = { columns: 160, rows: 50 }): void {
  const e = Object.entries({ BGP_LAB_STATE_DIR: process.env.BGP_LAB_STATE_DIR ?? '', ...env })
    .filter(([, v]) => v)
    .flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  // `sleep` keeps the pane after the REPL exits so its last words can be read.
  tmux('new-session', '-d', '-x', String(size.columns), '-y', String(size.rows), '-s', name, ...e, `${[BIN, ...args].map((a) => `'${a}'`).join(' ')}; sleep 600`);
}

export function screen(name: string): string {
  return tmux('capture-pane', '-p', '-J', '-S', '-500', '-t', name);
}

export function keys(name: string, ...k: string[]): void {
  tmux('send-keys', '-t', name, ...k);
}

export function kill(name: string): void {
  try {
    tmux('kill-session', '-t', name);
  } catch {
    // Already gone.
  }
}

/** Polls the screen until `test` holds; returns ms waited. Fast polling: it is also a stopwatch. */
export async function waitScreen(name: string, test: (s: string) => boolean, timeoutMs = 10_000, stepMs = 10): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const s = screen(name);
    if (test(s)) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs) throw new Error(`screen did not show what was expected in ${timeoutMs} ms:\n${s.trimEnd().split('\n').slice(-25).join('\n')}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** The last non-empty line on screen (where the prompt is when idle). */
export const lastLine = (s: string) => s.trimEnd().split('\n').at(-1) ?? '';
export const PROMPT_IDLE = /› *\S*\s*$/;
