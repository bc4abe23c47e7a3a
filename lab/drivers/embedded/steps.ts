// Runs named steps with progress events and keeps their timings for the result and the bench.
import type { Progress, StepTiming } from '../types.js';

export class Steps {
  readonly timings: StepTiming[] = [];
  constructor(private readonly progress: Progress) {}

  async run<T>(id: string, label: string, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    this.progress({ type: 'step', id, label, state: 'running' });
    try {
      const value = await fn();
      const ms = performance.now() - started;
      this.timings.push({ id, label, ms });
      this.progress({ type: 'step', id, label, state: 'ok', elapsedMs: ms });
      return value;
    } catch (err) {
      this.progress({ type: 'step', id, label, state: 'fail', elapsedMs: performance.now() - started, detail: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  }
}
