// Benchmark hooks: with BGP_LAB_REPL_TIMING=<file>, the REPL appends {event, ms} lines
// (ready: since process start; answer: Enter to the answer drawn).
import { appendFileSync } from 'node:fs';

export function mark(event: string, ms: number, extra: Record<string, number> = {}): void {
  const file = process.env.BGP_LAB_REPL_TIMING;
  if (file) appendFileSync(file, `${JSON.stringify({ event, ms: Math.round(ms * 10) / 10, ...extra })}\n`);
}
