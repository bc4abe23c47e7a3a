// One way to run programs, local (execa) or remote (ssh2): always an argument array,
// never a shell string. Drivers only see this interface.
export interface RunOptions {
  /** Written to the program's stdin. */
  input?: string;
  /** Kill the program after this long; the result says timedOut (no throw). */
  timeoutMs?: number;
  /** Cancel: the program is killed and the result says cancelled (no throw). */
  signal?: AbortSignal;
  /** Each line of output as it arrives (progress, captures). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Signal used on timeout/cancel; SIGINT lets tcpdump print what it captured. */
  killSignal?: 'SIGTERM' | 'SIGINT' | 'SIGKILL';
  env?: Record<string, string>;
  /** Kill it once a stream holds more than this many bytes (local runner; the rest is dropped). */
  maxBuffer?: number;
}

export interface RunResult {
  argv: string[];
  stdout: string;
  stderr: string;
  exitCode: number;
  timedOut: boolean;
  cancelled: boolean;
  durationMs: number;
}

export interface Runner {
  /** 'local' or user@host:port, for messages and audit. */
  readonly where: string;
  /** Runs argv[0] with the rest as arguments. Non-zero exit is a result, not an exception. */
  run(argv: string[], opts?: RunOptions): Promise<RunResult>;
  writeFile(path: string, content: string, mode?: number): Promise<void>;
  /** undefined when the file does not exist. */
  readFile(path: string): Promise<string | undefined>;
  close(): Promise<void>;
}
