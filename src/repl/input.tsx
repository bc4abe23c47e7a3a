// The prompt line: editing keys, ↑/↓ history, Tab completion (a second Tab lists the
// candidates) and Ctrl-R reverse search. Written here because no Ink input offers all three.
import { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import type { History } from './history.js';
import { commonPrefix, type Completed } from './complete.js';

export interface PromptLabel {
  text: string;
  color?: 'green' | 'yellow' | 'red' | 'cyan';
}

interface Props {
  label: PromptLabel;
  history: History;
  complete(text: string): Completed;
  onSubmit(line: string): void;
  /** Ctrl-C; `empty` when the line was already empty. */
  onInterrupt(empty: boolean): void;
  onEof(): void;
  /** Ctrl-L: clear the screen, keep the line being typed. */
  onClear(): void;
  width: number;
}

export function PromptInput({ label, history, complete, onSubmit, onInterrupt, onEof, onClear, width }: Props) {
  // Text and cursor live in a ref so one chunk of input (tmux, paste: "rou\t") can be
  // applied key by key without waiting for React to re-render.
  const ed = useRef({ text: '', cursor: 0 });
  const [, setVersion] = useState(0);
  const { text, cursor } = ed.current;
  const [listing, setListing] = useState<string[]>([]);
  // Also a ref, so keys typed right after Ctrl-R (before a re-render) land in the search.
  const searchRef = useRef<{ query: string; index: number } | null>(null);
  const [search, setSearchState] = useState<{ query: string; index: number } | null>(null);
  const setSearch = (v: { query: string; index: number } | null) => {
    searchRef.current = v;
    setSearchState(v);
  };
  const histPos = useRef(history.entries.length);
  const draft = useRef('');
  const lastTab = useRef(false);

  const set = (t: string, c = t.length) => {
    ed.current = { text: t, cursor: Math.max(0, Math.min(c, t.length)) };
    setVersion((v) => v + 1);
  };
  const setCursor = (c: number) => set(ed.current.text, c);

  const submit = () => {
    const line = ed.current.text;
    setListing([]);
    set('');
    onSubmit(line);
    histPos.current = history.entries.length;
  };

  const tab = (wasTab: boolean) => {
    const { text, cursor } = ed.current;
    const before = text.slice(0, cursor);
    const { start, candidates } = complete(before);
    if (candidates.length === 1) {
      const ins = candidates[0]!;
      set(before.slice(0, start) + ins + text.slice(cursor), start + ins.length);
      setListing([]);
    } else if (candidates.length > 1) {
      const prefix = commonPrefix(candidates);
      if (prefix.length > before.length - start) {
        set(before.slice(0, start) + prefix + text.slice(cursor), start + prefix.length);
        lastTab.current = true;
      } else if (wasTab) setListing(candidates.map((c) => c.trim()));
      else lastTab.current = true;
    }
  };

  const insert = (chunk: string) => {
    const { text, cursor } = ed.current;
    set(text.slice(0, cursor) + chunk + text.slice(cursor), cursor + chunk.length);
  };

  useInput((input, key) => {
    const { text, cursor } = ed.current;
    const search = searchRef.current;
    if (!search && !key.ctrl && !key.meta && input.length > 1 && /[\t\r\n]/.test(input)) {
      for (const piece of input.split(/([\t\r\n])/)) {
        if (piece === '\t') tab(lastTab.current);
        else if (piece === '\r' || piece === '\n') submit();
        else if (piece) {
          lastTab.current = false;
          insert(piece);
        }
      }
      return;
    }
    const wasTab = lastTab.current;
    lastTab.current = false;
    if (key.ctrl && input === 'c') {
      setSearch(null);
      setListing([]);
      const empty = text.length === 0;
      set('');
      onInterrupt(empty);
      return;
    }
    if (search) {
      // Reverse search: typing narrows, Ctrl-R goes older, Enter runs, other keys edit the match.
      const match = search.index >= 0 ? history.entries[search.index]! : '';
      if (key.ctrl && input === 'r') {
        const older = history.search(search.query, search.index >= 0 ? search.index : history.entries.length);
        if (older >= 0) setSearch({ ...search, index: older });
      } else if (key.ctrl && input === 'g') setSearch(null);
      else if (key.return) {
        setSearch(null);
        set('');
        if (match) onSubmit(match);
      } else if (key.backspace || key.delete) {
        const q = search.query.slice(0, -1);
        setSearch({ query: q, index: q ? history.search(q) : -1 });
      } else if (key.escape || key.leftArrow || key.rightArrow || key.upArrow || key.downArrow || key.tab) {
        setSearch(null);
        set(match || text);
      } else if (input && !key.ctrl && !key.meta) {
        const q = search.query + input;
        setSearch({ query: q, index: history.search(q) });
      }
      return;
    }
    if (key.ctrl && input === 'r') {
      setListing([]);
      setSearch({ query: '', index: -1 });
      return;
    }
    if (key.ctrl && input === 'l') return onClear();
    if (key.ctrl && input === 'd') {
      if (!text) onEof();
      else set(text.slice(0, cursor) + text.slice(cursor + 1), cursor);
      return;
    }
    if (key.return) return submit();
    if (key.tab) return tab(wasTab);
    setListing([]);
    if (key.upArrow || key.downArrow) {
      const n = history.entries.length;
      if (histPos.current === n) draft.current = text;
      const pos = Math.max(0, Math.min(n, histPos.current + (key.upArrow ? -1 : 1)));
      histPos.current = pos;
      set(pos === n ? draft.current : history.entries[pos]!);
    } else if (key.leftArrow) setCursor(Math.max(0, cursor - 1));
    else if (key.rightArrow) setCursor(Math.min(text.length, cursor + 1));
    else if (key.home || (key.ctrl && input === 'a')) setCursor(0);
    else if (key.end || (key.ctrl && input === 'e')) setCursor(text.length);
    else if (key.ctrl && input === 'u') set(text.slice(cursor), 0);
    else if (key.ctrl && input === 'k') set(text.slice(0, cursor), cursor);
    else if (key.ctrl && input === 'w') {
      const head = text.slice(0, cursor).replace(/\S+\s*$/, '');
      set(head + text.slice(cursor), head.length);
    } else if (key.backspace || key.delete) {
      // Most terminals send DEL (0x7f) for Backspace, which Ink reports as `delete`.
      if (cursor > 0) set(text.slice(0, cursor - 1) + text.slice(cursor), cursor - 1);
    } else if (input && !key.ctrl && !key.meta) insert(input);
  });

  if (search) {
    const match = search.index >= 0 ? history.entries[search.index]! : '';
    return (
      <Text wrap="truncate-start">
        <Text color="cyan">(reverse-i-search)`{search.query}': </Text>
        {match}
        <Text inverse> </Text>
      </Text>
    );
  }
  const colW = Math.max(0, ...listing.map((c) => c.length)) + 2;
  const perRow = Math.max(1, Math.floor(width / colW));
  const rows: string[] = [];
  for (let i = 0; i < listing.length; i += perRow) rows.push(listing.slice(i, i + perRow).map((c) => c.padEnd(colW)).join('').trimEnd());
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-start">
        <Text color={label.color} bold>{label.text}</Text>
        <Text> </Text>
        {text.slice(0, cursor)}
        <Text inverse>{text[cursor] ?? ' '}</Text>
        {text.slice(cursor + 1)}
      </Text>
      {rows.map((r, i) => <Text key={i} color="gray">{r}</Text>)}
    </Box>
  );
}
