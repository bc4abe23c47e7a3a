// The prompt line's state and its keys: editing, ↑/↓ history, Tab completion (a second Tab
// lists the candidates) and Ctrl-R reverse search. Plain state, applied one key at a time in
// the order typed, so nothing depends on when React re-renders; the prompt only draws it.
import type { History } from './history.js';
import { commonPrefix, type Completed } from './complete.js';
import type { Key } from './keys.js';

export type EditorAction =
  | { kind: 'submit'; line: string }
  /** Ctrl-C; `empty` when the line was already empty. */
  | { kind: 'interrupt'; empty: boolean }
  | { kind: 'eof' }
  /** Ctrl-L: clear the screen, keep the line being typed. */
  | { kind: 'clear' };

export class LineEditor {
  text = '';
  cursor = 0;
  /** Candidates shown after a second Tab. */
  listing: string[] = [];
  search: { query: string; index: number } | null = null;
  private histPos: number;
  private draft = '';
  private lastTab = false;

  constructor(
    private readonly history: History,
    private readonly complete: (text: string) => Completed,
  ) {
    this.histPos = history.entries.length;
  }

  private set(t: string, c = t.length): void {
    this.text = t;
    this.cursor = Math.max(0, Math.min(c, t.length));
  }

  private submit(line: string): EditorAction {
    this.listing = [];
    this.search = null;
    this.set('');
    // After the line is in history (the caller adds it), ↑ starts from the newest again.
    this.histPos = Number.MAX_SAFE_INTEGER;
    return { kind: 'submit', line };
  }

  private tab(wasTab: boolean): void {
    const { text, cursor } = this;
    const before = text.slice(0, cursor);
    const { start, candidates } = this.complete(before);
    if (candidates.length === 1) {
      const ins = candidates[0]!;
      this.set(before.slice(0, start) + ins + text.slice(cursor), start + ins.length);
      this.listing = [];
    } else if (candidates.length > 1) {
      const prefix = commonPrefix(candidates);
      if (prefix.length > before.length - start) {
        this.set(before.slice(0, start) + prefix + text.slice(cursor), start + prefix.length);
        this.lastTab = true;
      } else if (wasTab) this.listing = candidates.map((c) => c.trim());
      else this.lastTab = true;
    }
  }

  key(k: Key): EditorAction | undefined {
    const { text, cursor, history } = this;
    const wasTab = this.lastTab;
    this.lastTab = false;
    const ctrl = (c: string) => k.ctrl === true && k.text === c;
    if (ctrl('c')) {
      this.search = null;
      this.listing = [];
      this.set('');
      return { kind: 'interrupt', empty: text.length === 0 };
    }
    if (this.search) {
      // Reverse search: typing narrows, Ctrl-R goes older, Enter runs, other keys edit the match.
      const search = this.search;
      const match = search.index >= 0 ? history.entries[search.index]! : '';
      if (ctrl('r')) {
        const older = history.search(search.query, search.index >= 0 ? search.index : history.entries.length);
        if (older >= 0) this.search = { ...search, index: older };
      } else if (ctrl('g')) this.search = null;
      else if (k.name === 'return') {
        this.search = null;
        this.set('');
        if (match) return this.submit(match);
      } else if (k.name === 'backspace' || k.name === 'delete') {
        const q = search.query.slice(0, -1);
        this.search = { query: q, index: q ? history.search(q) : -1 };
      } else if (k.name) {
        this.search = null;
        this.set(match || text);
      } else if (k.text && !k.ctrl && !k.meta) {
        const q = search.query + k.text;
        this.search = { query: q, index: history.search(q) };
      }
      return undefined;
    }
    if (ctrl('r')) {
      this.listing = [];
      this.search = { query: '', index: -1 };
      return undefined;
    }
    if (ctrl('l')) return { kind: 'clear' };
    if (ctrl('d')) {
      if (!text) return { kind: 'eof' };
      this.set(text.slice(0, cursor) + text.slice(cursor + 1), cursor);
      return undefined;
    }
    if (k.name === 'return') return this.submit(text);
    if (k.name === 'tab') {
      this.tab(wasTab);
      return undefined;
    }
    this.listing = [];
    if (k.name === 'up' || k.name === 'down') {
      const n = history.entries.length;
      this.histPos = Math.min(this.histPos, n);
      if (this.histPos === n) this.draft = text;
      const pos = Math.max(0, Math.min(n, this.histPos + (k.name === 'up' ? -1 : 1)));
      this.histPos = pos;
      this.set(pos === n ? this.draft : history.entries[pos]!);
    } else if (k.name === 'left' || ctrl('b')) this.set(text, cursor - 1);
    else if (k.name === 'right' || ctrl('f')) this.set(text, cursor + 1);
    else if (k.name === 'home' || ctrl('a')) this.set(text, 0);
    else if (k.name === 'end' || ctrl('e')) this.set(text, text.length);
    else if (ctrl('u')) this.set(text.slice(cursor), 0);
    else if (ctrl('k')) this.set(text.slice(0, cursor), cursor);
    else if (ctrl('w') || (k.meta && k.name === 'backspace')) {
      const head = text.slice(0, cursor).replace(/\S+\s*$/, '');
      this.set(head + text.slice(cursor), head.length);
    } else if (k.name === 'backspace' || ctrl('h')) {
      if (cursor > 0) this.set(text.slice(0, cursor - 1) + text.slice(cursor), cursor - 1);
    } else if (k.name === 'delete') this.set(text.slice(0, cursor) + text.slice(cursor + 1), cursor);
    else if (k.text && !k.ctrl && !k.meta && !k.name) this.set(text.slice(0, cursor) + k.text + text.slice(cursor), cursor + k.text.length);
    return undefined;
  }
}
