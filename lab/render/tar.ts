// A POSIX ustar archive as a string, for sending rendered files as one Slack upload. Headers
// are ASCII and NUL padding, sizes count UTF-8 bytes: the string's UTF-8 encoding is the archive.
export function tarArchive(files: { path: string; content: string; mode?: number }[], mtime = Math.floor(Date.now() / 1000)): string {
  const blocks: string[] = [];
  for (const f of files) {
    const size = Buffer.byteLength(f.content);
    if (Buffer.byteLength(f.path) > 100) throw new Error(`tar: path over 100 bytes: ${f.path}`);
    const field = (s: string, len: number) => s.slice(0, len).padEnd(len, '\0');
    const octal = (n: number, len: number) => n.toString(8).padStart(len - 1, '0') + '\0';
    const head =
      field(f.path, 100) + octal(f.mode ?? 0o644, 8) + octal(0, 8) + octal(0, 8) + octal(size, 12) + octal(mtime, 12) +
      '        ' + '0' + field('', 100) + 'ustar\0' + '00' + field('root', 32) + field('root', 32) + octal(0, 8) + octal(0, 8) + field('', 155) + field('', 12);
    let sum = 0;
    for (let i = 0; i < head.length; i++) sum += head.charCodeAt(i);
    blocks.push(head.slice(0, 148) + sum.toString(8).padStart(6, '0') + '\0 ' + head.slice(156));
    blocks.push(f.content + '\0'.repeat((512 - (size % 512)) % 512));
  }
  blocks.push('\0'.repeat(1024));
  return blocks.join('');
}
