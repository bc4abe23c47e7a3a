// The one message a long command updates in place: its steps so far, the running one last.
import type { ProgressEvent } from '../../lab/drivers/types.js';
import { clip, context, esc, section, type SlackMessage } from './blocks.js';

export interface StepView {
  label: string;
  state: 'running' | 'ok' | 'fail' | 'skip';
  detail?: string;
  elapsedMs?: number;
}

/** Folds progress events into the steps to show (by id, order of first appearance). */
export class ProgressView {
  readonly steps = new Map<string, StepView>();
  lastLog?: string;
  readonly started = Date.now();

  constructor(readonly line: string) {}

  add(ev: ProgressEvent): void {
    if (ev.type === 'log') this.lastLog = ev.message;
    else this.steps.set(ev.id, { label: ev.label, state: ev.state, detail: ev.detail, elapsedMs: ev.elapsedMs });
  }

  render(): SlackMessage {
    const mark = { running: ':hourglass_flowing_sand:', ok: ':white_check_mark:', fail: ':x:', skip: ':heavy_minus_sign:' };
    const all = [...this.steps.values()];
    const lines = all.slice(-25).map((s) => {
      const t = s.elapsedMs !== undefined ? ` (${(s.elapsedMs / 1000).toFixed(1)} s)` : '';
      return `${mark[s.state]} ${esc(s.label)}${t}${s.detail ? ` — ${esc(s.detail)}` : ''}`;
    });
    if (all.length > 25) lines.unshift(`…${all.length - 25} earlier steps`);
    const secs = Math.round((Date.now() - this.started) / 1000);
    return {
      text: `running \`${esc(this.line)}\`…`,
      blocks: [
        section(`:gear: *running \`${esc(this.line)}\`* — ${secs} s`),
        ...(lines.length ? [section(clip(lines.join('\n')))] : []),
        ...(this.lastLog ? [context(esc(clip(this.lastLog, 300)))] : []),
      ],
    };
  }
}
