// Raw terminal input split into single keys. Ink hands over whatever one read() returned
// (split only at escape sequences), so "\x15peers" — Ctrl-U and text typed at once — or a
// pasted "peers\rroutes leaf1\r" arrives as one string; applied as one key it is mis-read.
// Here every control byte is its own key and printable runs stay together (a paste is fast).

export type KeyName = 'return' | 'tab' | 'backspace' | 'delete' | 'up' | 'down' | 'left' | 'right' | 'home' | 'end' | 'escape';

export interface Key {
  /** Printable text (one key or a run of them), or the letter of a Ctrl/Meta chord. */
  text: string;
  name?: KeyName;
  ctrl?: boolean;
  meta?: boolean;
}

const CSI: Record<string, KeyName> = {
  A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end',
  '1~': 'home', '7~': 'home', '4~': 'end', '8~': 'end', '3~': 'delete',
};

/** CSI/SS3 sequence at `i` (which holds ESC): [key, length] or undefined. */
function escapeSequence(s: string, i: number): [Key | undefined, number] {
  const next = s[i + 1];
  if (next === undefined) return [{ text: '', name: 'escape' }, 1];
  if (next === '[' || next === 'O') {
    const m = /^[\d;]*[\x20-\x2f]*[\x40-\x7e]/.exec(s.slice(i + 2));
    if (!m) return [{ text: '', name: 'escape' }, 1];
    const body = m[0];
    // Modifiers (ESC[1;5C = Ctrl-Right) are dropped: the plain key is what matters here.
    const plain = body.replace(/^1;\d+/, '').replace(/;\d+~$/, '~');
    const name = CSI[plain] ?? CSI[body];
    // Unknown sequences (bracketed-paste markers, focus reports, F-keys) are swallowed whole.
    return [name ? { text: '', name } : undefined, 2 + body.length];
  }
  if (next === '\x1b') return [{ text: '', name: 'escape' }, 1];
  if (next === '\x7f') return [{ text: '', name: 'backspace', meta: true }, 2];
  return [{ text: next, meta: true }, 2];
}

export function splitKeys(data: string): Key[] {
  const keys: Key[] = [];
  let i = 0;
  while (i < data.length) {
    const ch = data[i]!;
    const code = ch.charCodeAt(0);
    if (ch === '\x1b') {
      const [key, len] = escapeSequence(data, i);
      if (key) keys.push(key);
      i += len;
    } else if (ch === '\r' || ch === '\n') {
      keys.push({ text: '', name: 'return' });
      // A CRLF (some pastes) is one Enter, not two.
      i += ch === '\r' && data[i + 1] === '\n' ? 2 : 1;
    } else if (ch === '\t') {
      keys.push({ text: '', name: 'tab' }), i++;
    } else if (ch === '\x7f' || ch === '\b') {
      keys.push({ text: '', name: 'backspace' }), i++;
    } else if (code < 0x20) {
      keys.push({ text: String.fromCharCode(code + 96), ctrl: true }), i++;
    } else {
      const m = /^[^\x00-\x1f\x7f]+/.exec(data.slice(i))!;
      keys.push({ text: m[0] });
      i += m[0].length;
    }
  }
  return keys;
}
