// Every ended drill's postmortem, kept in the state dir (0600 files in a 0700 directory) so
// `drill report [ID]` renders any past drill again on any surface.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stateDir } from '../paths.js';
import { stateSubdir, writePrivateAsync } from '../state/dir.js';
import { UsageError } from '../errors.js';
import type { Postmortem } from './postmortem.js';

const dir = () => join(stateDir(), 'drills', 'reports');
export const DRILL_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export async function saveReport(pm: Postmortem): Promise<void> {
  if (!DRILL_ID.test(pm.drillId)) return; // files from before drill IDs: nothing to name it by
  stateSubdir('drills', 'reports');
  await writePrivateAsync(join(dir(), `${pm.drillId}.json`), JSON.stringify(pm));
}

/** Reports, newest first (by end time). */
export async function listReports(lab?: string): Promise<Postmortem[]> {
  const names = await readdir(dir()).catch(() => [] as string[]);
  const out: Postmortem[] = [];
  for (const n of names.filter((x) => x.endsWith('.json'))) {
    try {
      const pm = JSON.parse(await readFile(join(dir(), n), 'utf8')) as Postmortem;
      if (!lab || pm.lab === lab) out.push(pm);
    } catch {
      // a half-written file (crash): skip it
    }
  }
  return out.sort((a, b) => b.endedAt.localeCompare(a.endedAt));
}

/** One report by ID, or the lab's latest. */
export async function readReport(lab: string, id?: string): Promise<Postmortem> {
  if (id !== undefined) {
    if (!DRILL_ID.test(id)) throw new UsageError(`"${id.slice(0, 70)}" is not a drill ID`, 'see `drill scores` for past drills and their IDs');
    try {
      return JSON.parse(await readFile(join(dir(), `${id}.json`), 'utf8')) as Postmortem;
    } catch {
      throw new UsageError(`no report of drill ${id}`, 'see `drill scores` for past drills and their IDs');
    }
  }
  const latest = (await listReports(lab))[0];
  if (!latest) throw new UsageError(`no drill has ended on lab ${lab} yet`, 'run one: `drill start --random`');
  return latest;
}
