// `traceroute -n -q 1` output into hops: ` 3  10.1.12.2  0.020 ms` or ` 3  *`.
export interface RawHop {
  hop: number;
  /** `*` when the hop did not answer. */
  ip: string;
  rttMs?: number;
}

export function parseTraceroute(stdout: string): RawHop[] {
  return stdout
    .split('\n')
    .slice(1) // "traceroute to …"
    .map((line) => /^\s*(\d+)\s+(\S+)(?:\s+([\d.]+) ms)?/.exec(line))
    .filter((m): m is RegExpExecArray => Boolean(m))
    .map((m) => ({ hop: Number(m[1]), ip: m[2]!, rttMs: m[3] ? Number(m[3]) : undefined }));
}

/** Fills the unanswered hops of `first` from `again` (the same flow, so the same path). */
export function mergeTraces(first: RawHop[], again: RawHop[]): RawHop[] {
  const byHop = new Map(again.map((h) => [h.hop, h]));
  const merged = first.map((h) => (h.ip === '*' && byHop.get(h.hop)?.ip !== '*' ? byHop.get(h.hop) ?? h : h));
  return again.length > merged.length ? [...merged, ...again.slice(merged.length)] : merged;
}
