// `graph` in the terminal: the export's text as it is (pipe it to a file or a renderer), or
// where the picture was written, then what is down and the trace's path.
import type { GraphResult } from '../../commands/graph.js';
import type { TextOptions } from './text.js';

export function graphText(r: GraphResult, _o?: TextOptions): string {
  if (r.text !== undefined && !r.file) return r.text.trimEnd();
  return [`✓ ${r.summary}`, ...r.notes.map((n) => `  • ${n}`)].join('\n');
}
