// `vtysh` and `exec` in Slack: the program's own text in code blocks (fit() attaches the
// whole of it when it does not fit one message).
import type { VtyshResult } from '../../commands/vtysh.js';
import type { ExecResult } from '../../commands/exec.js';
import { execNote } from '../../src/render/shell.js';
import { codeSections, context, esc, section, type SlackMessage } from './blocks.js';

export function renderVtysh(r: VtyshResult): SlackMessage {
  const lines = r.output.trimEnd().split('\n');
  const packed = codeSections(lines.map((l) => [l]), 3);
  const cut = packed.shownGroups < lines.length;
  return {
    text: `${r.router}# ${r.command}`,
    blocks: [
      section(`*${esc(r.router)}#* \`${esc(r.command)}\``),
      ...packed.blocks,
      ...(cut || r.truncatedBytes ? [context(`…${lines.length - packed.shownGroups} more lines: the full output is attached`)] : []),
    ],
    attachment: cut ? { filename: `${r.router}-vtysh.txt`, content: r.output } : undefined,
  };
}

export function renderExec(r: ExecResult): SlackMessage {
  const out = [r.stdout.trimEnd(), r.stderr.trimEnd() ? `stderr:\n${r.stderr.trimEnd()}` : ''].filter(Boolean).join('\n') || '(no output)';
  const lines = out.split('\n');
  const packed = codeSections(lines.map((l) => [l]), 3);
  return {
    text: execNote(r),
    blocks: [
      section(`${r.ok ? ':white_check_mark:' : ':x:'} ${esc(execNote(r))}`),
      ...packed.blocks,
      ...(packed.shownGroups < lines.length ? [context(`…${lines.length - packed.shownGroups} more lines: the full output is attached`)] : []),
    ],
    attachment: packed.shownGroups < lines.length ? { filename: `${r.device}-exec.txt`, content: out } : undefined,
  };
}
