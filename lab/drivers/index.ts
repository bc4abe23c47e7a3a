// Picks the driver a lab runs on; the lab record says which one brought it up.
import type { Driver, LabRecord } from './types.js';
import type { Runner } from '../runners/types.js';

/** Runtime state of labs on the lab host: pids, configs, sockets, the lab record. */
export const RUN_ROOT = process.env.BGP_LAB_RUN_DIR ?? '/run/bgp-lab';

export function labDir(lab: string): string {
  return `${RUN_ROOT}/${lab}`;
}

export async function readLabRecord(runner: Runner, lab: string): Promise<LabRecord | undefined> {
  const text = await runner.readFile(`${labDir(lab)}/lab.json`);
  if (!text) return undefined;
  try {
    return JSON.parse(text) as LabRecord;
  } catch {
    return undefined;
  }
}

export async function writeLabRecord(runner: Runner, record: LabRecord): Promise<void> {
  await runner.writeFile(`${labDir(record.lab)}/lab.json`, JSON.stringify(record, null, 2));
}

export async function openDriver(name: 'embedded' | 'kind', lab: string, runner: Runner): Promise<Driver> {
  if (name === 'kind') {
    const { KindDriver } = await import('./kind/index.js');
    return new KindDriver(lab, runner);
  }
  const { EmbeddedDriver } = await import('./embedded/index.js');
  return new EmbeddedDriver(lab, runner);
}
