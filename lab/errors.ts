// Two kinds of failure every surface renders the same way: one line of what went wrong,
// one hint of what to do next. Exit codes follow the CLI convention (2 bad input, 1 failure).
export class LabError extends Error {
  readonly hint?: string;
  readonly exitCode: 1 | 2;
  constructor(message: string, opts: { hint?: string; exitCode?: 1 | 2 } = {}) {
    super(message);
    this.name = 'LabError';
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? 1;
  }
}

/** Bad input: a name not in the topology, a malformed argument, a broken topology file. */
export class UsageError extends LabError {
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: 2 });
    this.name = 'UsageError';
  }
}

export interface ErrorInfo {
  message: string;
  hint?: string;
  exitCode: 1 | 2;
}

export function describeError(err: unknown): ErrorInfo {
  if (err instanceof LabError) return { message: err.message, hint: err.hint, exitCode: err.exitCode };
  if (err instanceof Error && err.name === 'AbortError') return { message: 'cancelled', exitCode: 1 };
  if (isZodError(err)) return { message: zodLine(err.issues), exitCode: 2 };
  return { message: err instanceof Error ? err.message : String(err), exitCode: 1 };
}

interface ZodIssueLike {
  path: PropertyKey[];
  message: string;
}

function isZodError(err: unknown): err is Error & { issues: ZodIssueLike[] } {
  return err instanceof Error && err.name === 'ZodError' && Array.isArray((err as { issues?: unknown }).issues);
}

/** A zod failure in one line naming the field: `cluster.nodes[3].ip: expected an IPv4 address … (and 2 more)`. */
export function zodLine(issues: ZodIssueLike[]): string {
  const first = issues[0];
  if (!first) return 'invalid input';
  const path = first.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `${path ? `${path}: ` : ''}${first.message.split('\n')[0]}${more}`;
}

/** "did you mean" from edit distance, for command and device names. */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c) - (c.startsWith(word) ? 2 : 0);
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  return bestScore <= Math.max(2, Math.floor(word.length / 2)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** Another mutating command holds the lab. */
export class BusyError extends LabError {
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: 1 });
    this.name = 'BusyError';
  }
}

/** The caller's level is below the command's. */
export class PermissionError extends LabError {
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: 1 });
    this.name = 'PermissionError';
  }
}
