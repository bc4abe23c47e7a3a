// Renderers build lines of styled segments once; the text surface turns them into
// (optionally ANSI-coloured) strings and the Ink surface into <Text> elements, so the
// CLI, piped REPL and interactive REPL always show the same layout.
export type Color = 'green' | 'red' | 'yellow' | 'cyan' | 'blue' | 'magenta' | 'gray' | 'white';

export interface Seg {
  text: string;
  color?: Color;
  bold?: boolean;
  dim?: boolean;
}

export type Line = Seg[];

export const seg = (text: string, style: Omit<Seg, 'text'> = {}): Seg => ({ text, ...style });
export const plain = (text: string): Line => [{ text }];

const ANSI: Record<Color, number> = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, gray: 90 };

/** Cuts a line to `width` columns, ending with … when something was cut (never wraps). */
export function fitLine(line: Line, width: number): Line {
  const total = line.reduce((n, s) => n + s.text.length, 0);
  if (width <= 0 || total <= width) return line;
  const out: Line = [];
  let left = width - 1;
  for (const s of line) {
    if (left <= 0) break;
    const text = s.text.slice(0, left);
    out.push({ ...s, text });
    left -= text.length;
  }
  out.push({ text: '…', dim: true });
  return out;
}

/**
 * Prose that must be read whole (a drill's cause, a failure's diagnosis): wrapped at spaces
 * into several lines of at most `width` columns, the later ones indented, instead of cut.
 */
export function wrapLine(line: Line, width: number, indent = 2): Line[] {
  const total = line.reduce((n, s) => n + s.text.length, 0);
  // One column spare: a line exactly as wide as the terminal wraps or gets cut by some of them.
  width -= 1;
  if (!Number.isFinite(width) || width <= indent + 10 || total <= width) return [line];
  // Words keep their segment's style; a segment may hold several words.
  const words = line.flatMap((s) => s.text.split(/(?<= )/).map((t) => ({ ...s, text: t })));
  const out: Line[] = [[]];
  let len = 0;
  for (const w of words) {
    if (len + w.text.trimEnd().length > width && len > indent) {
      out.push([seg(' '.repeat(indent))]);
      len = indent;
    }
    out.at(-1)!.push(w);
    len += w.text.length;
  }
  return out;
}

function styled(s: Seg): string {
  const codes: number[] = [];
  if (s.bold) codes.push(1);
  if (s.dim) codes.push(2);
  if (s.color) codes.push(ANSI[s.color]);
  return codes.length && s.text ? `\x1b[${codes.join(';')}m${s.text}\x1b[0m` : s.text;
}

/** One line as an ANSI string (already fitted), for a single Ink <Text> per line. */
export const lineToAnsi = (line: Line, width: number) => fitLine(line, width).map(styled).join('');

export function linesToText(lines: Line[], opts: { color: boolean; width: number }): string {
  return lines
    .map((l) => fitLine(l, opts.width))
    .map((l) => (opts.color ? l.map(styled) : l.map((s) => s.text)).join('').trimEnd())
    .join('\n');
}

/** A table: header row plus rows of cells, columns padded to their widest cell. */
export function table(header: string[], rows: Seg[][], gap = 2): Line[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.text.length ?? 0)));
  const pad = (cells: Seg[]): Line =>
    cells.flatMap((c, i) => (i < cells.length - 1 ? [c, seg(' '.repeat(widths[i]! - c.text.length + gap))] : [c]));
  return [pad(header.map((h) => seg(h, { bold: true }))), ...rows.map(pad)];
}

export function ms(n: number | undefined): string {
  if (n === undefined) return '';
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`;
}

export const stateColor = (state: string): Color =>
  /^established$/i.test(state) ? 'green' : /^(idle|active|down)/i.test(state) ? 'red' : 'yellow';
