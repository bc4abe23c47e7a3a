// Lending the terminal to an interactive program (`connect`'s vtysh): it gets the keys and
// the screen until it exits. Ctrl-C there is the program's: while it runs, the signals a
// terminal sends the whole process group must not cancel or end bgp-lab.
import { spawn } from 'node:child_process';

let lent = false;

/** True while a program has the terminal (cancelOnSignals ignores SIGINT then). */
export const terminalLent = (): boolean => lent;

export async function runOnTerminal(argv: string[]): Promise<number> {
  const stdin = process.stdin as NodeJS.ReadStream & { _handle?: { reading?: boolean; readStop?(): number; readStart?(): number } };
  const wasRaw = stdin.isTTY ? stdin.isRaw : false;
  if (stdin.isTTY) stdin.setRawMode(false);
  // Node keeps reading fd 0 into its buffer while no one listens: keys meant for the program
  // would land here. Stop the read; the next read() (Ink's, when it listens again) restarts it.
  const handle = stdin._handle;
  const stopped = Boolean(handle?.reading && handle.readStop);
  if (stopped) {
    handle!.reading = false;
    handle!.readStop!();
  }
  const ignore = () => {};
  const signals = ['SIGINT', 'SIGQUIT', 'SIGTSTP'] as const;
  lent = true;
  for (const s of signals) process.on(s, ignore);
  try {
    return await new Promise<number>((resolve, reject) => {
      const child = spawn(argv[0]!, argv.slice(1), { stdio: 'inherit' });
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
  } finally {
    for (const s of signals) process.off(s, ignore);
    lent = false;
    // The stream still counts its read as pending, so it would never start another: restart it.
    if (stopped && handle?.readStart) {
      handle.reading = true;
      handle.readStart();
    }
    if (stdin.isTTY) stdin.setRawMode(wasRaw);
  }
}
