// Where things live, the same whether code runs from dist/ (built) or from sources (vitest).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { homedir } from 'node:os';

const here = fileURLToPath(import.meta.url);
export const PROJECT_ROOT = here.includes('/dist/')
  ? here.slice(0, here.lastIndexOf('/dist/'))
  : resolve(dirname(here), '..');

export const DEFAULT_TOPOLOGY_FILE = join(PROJECT_ROOT, 'lab/topologies/cilium-bgp.yaml');
export const SEED_DIR = resolve(PROJECT_ROOT, '../shared/seed');
export const ORACLES_DIR = resolve(PROJECT_ROOT, '../shared/oracles');

/** Per-user state of the tool itself: audit log, locks, history, drill scores. */
export function stateDir(): string {
  if (process.env.BGP_LAB_STATE_DIR) return process.env.BGP_LAB_STATE_DIR;
  if (process.getuid?.() === 0) return '/var/lib/bgp-lab';
  return join(process.env.XDG_STATE_HOME ?? join(homedir(), '.local/state'), 'bgp-lab');
}
