// Plain-text renderers for the one-shot CLI and piped REPL: one per result type,
// keyed by command name. Commands without a renderer print their result as YAML.
import { yaml } from '../../lab/lazy-yaml.js';
import type { ErrorInfo } from '../../lab/errors.js';
import { textRenderers } from './registry.js';

export interface TextOptions {
  color: boolean;
  width: number;
}

/**
 * The width to lay text out for: the terminal's, or when output goes to a pipe or file,
 * $COLUMNS or 160, so a script or a log gets whole lines instead of ones cut at 100.
 */
export function outputWidth(out: { columns?: number; isTTY?: boolean }): number {
  return out.isTTY && out.columns ? out.columns : Number(process.env.COLUMNS) || 160;
}

export function renderText(command: string, result: unknown, opts: TextOptions): string {
  const r = textRenderers[command];
  if (r) return r(result as never, opts);
  return yaml().stringify(result).trimEnd();
}

export function renderErrorText(e: ErrorInfo): string {
  return `error: ${e.message}${e.hint ? ` — ${e.hint}` : ''}`;
}
