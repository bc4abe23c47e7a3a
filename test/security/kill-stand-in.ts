// Stand-ins for programs the CLI runs (found on PATH), to hit a precise step of a command:
// each one runs the real program unless its arguments match STANDIN_MATCH, and then (once,
// STANDIN_ONCE is a marker directory created atomically) does STANDIN_ACTION:
//   kill-before  SIGKILL the bgp-lab process that ran it, the real program never runs
//   kill-after   run the real program, then SIGKILL the bgp-lab process
//   record       append `start`/`end` lines (ns clock) to STANDIN_LOG around a 0.4 s pause
//                (every time, not once): overlapping intervals = two commands at once
//   hang         SIGKILL nothing; sleep until killed (holds the command where it is)
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const SCRIPT = (real: string) => `#!/bin/sh
real=${real}
matches() { [ -n "$STANDIN_MATCH" ] && printf '%s' "$*" | grep -Eq -- "$STANDIN_MATCH"; }
bgplab() {
  p=$PPID
  while [ "$p" -gt 1 ] 2>/dev/null; do
    if tr '\\0' ' ' < /proc/$p/cmdline 2>/dev/null | grep -q 'bin/bgp-lab'; then echo $p; return; fi
    p=$(sed 's/.*) //' /proc/$p/stat 2>/dev/null | cut -d' ' -f2)
    [ -n "$p" ] || return
  done
}
if matches "$@"; then
  case "$STANDIN_ACTION" in
    record)
      echo "start $(date +%s%N) $$" >> "$STANDIN_LOG"; sleep 0.4; echo "end $(date +%s%N) $$" >> "$STANDIN_LOG"
      exec "$real" "$@" ;;
    hang)
      if mkdir "$STANDIN_ONCE" 2>/dev/null; then echo $$ > "$STANDIN_ONCE/pid"; exec sleep 3600; fi ;;
    kill-before)
      if mkdir "$STANDIN_ONCE" 2>/dev/null; then kill -9 $(bgplab); exit 137; fi ;;
    kill-after)
      if mkdir "$STANDIN_ONCE" 2>/dev/null; then "$real" "$@"; rc=$?; kill -9 $(bgplab); exit $rc; fi ;;
  esac
fi
exec "$real" "$@"
`;

/** Writes stand-ins for `programs` into `dir`; returns a PATH with `dir` first. */
export function standIns(dir: string, programs: string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const p of programs) {
    const real = execFileSync('sh', ['-c', `command -v ${p}`], { encoding: 'utf8' }).trim();
    writeFileSync(join(dir, p), SCRIPT(real));
    chmodSync(join(dir, p), 0o755);
  }
  return `${dir}:${process.env.PATH}`;
}

/** Intervals from a `record` log, and how many pairs of them overlap. */
export function overlaps(log: string): { intervals: number; overlapping: number } {
  const open = new Map<string, bigint>();
  const spans: [bigint, bigint][] = [];
  for (const line of log.split('\n').filter(Boolean)) {
    const [what, ns, pid] = line.split(' ');
    if (what === 'start') open.set(pid!, BigInt(ns!));
    else if (open.has(pid!)) spans.push([open.get(pid!)!, BigInt(ns!)]);
  }
  let overlapping = 0;
  for (let i = 0; i < spans.length; i++)
    for (let j = i + 1; j < spans.length; j++) if (spans[i]![0] < spans[j]![1] && spans[j]![0] < spans[i]![1]) overlapping++;
  return { intervals: spans.length, overlapping };
}
