// Command history persisted in stateDir()/history, one line per entry, newest last.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '../../lab/paths.js';
import { appendPrivate } from '../../lab/state/dir.js';

const KEEP = 1000;

export class History {
  entries: string[];
  constructor(readonly file = join(stateDir(), 'history')) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // No history yet.
    }
    this.entries = text.split('\n').filter(Boolean).slice(-KEEP);
  }

  add(line: string): void {
    const l = line.trim();
    if (!l || this.entries.at(-1) === l) return;
    this.entries.push(l);
    try {
      // What was typed can name hosts and users: the owner's alone (0600 in a 0700 dir).
      appendPrivate(this.file, `${l.replace(/\n/g, ' ')}\n`);
    } catch {
      // History is a convenience: a read-only state dir must not break the REPL.
    }
  }

  /** Newest entry before index `before` containing `query` (Ctrl-R); -1 when none. */
  search(query: string, before = this.entries.length): number {
    for (let i = Math.min(before, this.entries.length) - 1; i >= 0; i--) if (this.entries[i]!.includes(query)) return i;
    return -1;
  }
}
