// The prompt line as drawn: the label, the line being edited with its cursor, a Tab listing,
// or the Ctrl-R search. The keys themselves are applied by LineEditor (editor.ts).
import { Box, Text } from 'ink';
import type { LineEditor } from './editor.js';
import type { History } from './history.js';

export interface PromptLabel {
  text: string;
  color?: 'green' | 'yellow' | 'red' | 'cyan';
}

interface Props {
  label: PromptLabel;
  editor: LineEditor;
  history: History;
  width: number;
}

export function PromptInput({ label, editor, history, width }: Props) {
  const { text, cursor, listing, search } = editor;
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
