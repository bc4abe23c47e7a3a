// How an argument array reads to a person: words a POSIX shell would split or expand are
// single-quoted, so a printed plan can be pasted. Display only: nothing here is run.
export function displayArgv(argv: string[]): string {
  return argv.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}
