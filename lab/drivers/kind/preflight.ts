// The real lab needs five tools on the lab host; name each missing one with how to install it.
import type { Runner } from '../../runners/types.js';
import { LabError } from '../../errors.js';
import { PREFLIGHT } from './plan.js';

export interface ToolVersion {
  tool: string;
  version: string;
}

export async function preflight(runner: Runner, signal?: AbortSignal): Promise<ToolVersion[]> {
  const found: ToolVersion[] = [];
  const problems: { tool: string; why: string; install: string }[] = [];
  for (const p of PREFLIGHT) {
    const r = await runner.run(p.argv, { signal, timeoutMs: 30_000 }).catch((err: unknown) => err);
    if (r instanceof LabError && /not found/.test(r.message)) {
      problems.push({ tool: p.tool, why: 'not installed', install: p.install });
      continue;
    }
    if (r instanceof Error) throw r;
    const res = r as Awaited<ReturnType<Runner['run']>>;
    if (res.exitCode !== 0) {
      // docker's client answers even when the daemon is down; the server version then fails.
      const why = p.tool === 'docker' ? 'daemon not reachable' : `exit ${res.exitCode}`;
      problems.push({ tool: p.tool, why, install: p.tool === 'docker' ? 'start it: systemctl start docker' : p.install });
      continue;
    }
    found.push({ tool: p.tool, version: versionOf(res.stdout) });
  }
  if (problems.length) {
    const first = problems[0]!;
    throw new LabError(`${runner.where}: ${problems.map((p) => `${p.tool} ${p.why}`).join(', ')}`, {
      hint: `${first.tool}: ${first.install}${problems.length > 1 ? ` (then run up again for the next)` : ''}`,
    });
  }
  return found;
}

/** The first version-looking word: `kind v0.20.0 go1.20.4 linux/amd64` → v0.20.0. */
export function versionOf(output: string): string {
  return /v?\d+\.\d+(\.\d+)?[\w.+-]*/.exec(output)?.[0] ?? output.trim().split('\n')[0] ?? '';
}
