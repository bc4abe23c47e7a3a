// Around the whole suite: tests get their own state dir, and afterwards nothing of ours may
// be left: no lab namespace, no zebra/bgpd/gobgpd/tcpdump/httpd in one. Leftovers are
// removed (so one failure does not poison the machine) and then fail the run loudly.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { PROJECT_ROOT } from '../lab/paths.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const OURS = /^(zebra|bgpd|staticd|watchfrr|gobgpd|tcpdump|busybox|httpd|ping|sshd)$/;

function labNamespaces(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n.startsWith('bgplab.'));
}

/** Our daemons: any process inside a bgplab namespace, or with a lab path in its arguments. */
function labProcesses(): string[] {
  const out: string[] = [];
  for (const ns of labNamespaces()) {
    let pids: string[] = [];
    try {
      pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter(Boolean);
    } catch {
      continue; // removed while we looked (another lab going down)
    }
    for (const pid of pids) out.push(`${ns}: pid ${pid}`);
  }
  const ps = execFileSync('ps', ['-eo', 'pid=,comm=,args='], { encoding: 'utf8' });
  for (const line of ps.split('\n')) {
    const [pid, comm, ...args] = line.trim().split(/\s+/);
    if (comm && OURS.test(comm) && args.join(' ').includes('/bgp-lab/')) out.push(`${comm} pid ${pid}: ${args.join(' ')}`);
  }
  return out;
}

let before = new Set<string>();

/** The CLI the tests spawn is the built one: build it once, before any test, when sources are newer. */
function ensureBuilt(): void {
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const p = join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }, 0);
  const built = join(PROJECT_ROOT, 'dist/bundle/cli.js');
  const stale = !existsSync(built) || ['src', 'commands', 'lab', 'bot'].some((d) => newest(join(PROJECT_ROOT, d)) > statSync(built).mtimeMs);
  if (stale) execFileSync('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
}

export function setup(): void {
  if (process.getuid?.() !== 0) throw new Error('the bgp-lab suite needs root (network namespaces, FRR, GoBGP): run `sudo make test`');
  ensureBuilt();
  process.env.BGP_LAB_STATE_DIR ??= mkdtempSync(join(tmpdir(), 'bgp-lab-test-state-'));
  process.env.BGP_LAB_TEST_RUN ??= Math.random().toString(36).slice(2, 6);
  // Labs someone else runs on this machine right now are not ours to judge.
  before = new Set([...labNamespaces(), ...labProcesses()]);
}

export function teardown(): void {
  // In CI the machine is ours alone: every lab counts. On a shared dev machine, only this
  // run's labs (labName() ends with the run token), so a teardown never removes another's.
  const ours = (ns: string) => Boolean(process.env.CI) || ns.split('.')[1]!.endsWith(`-${process.env.BGP_LAB_TEST_RUN}`);
  const leftNs = labNamespaces().filter((n) => !before.has(n) && ours(n));
  const leftProcs = labProcesses().filter((p) => !before.has(p) && !before.has(p.split(':')[0]!) && (p.startsWith('bgplab.') ? ours(p.split(':')[0]!) : Boolean(process.env.CI) || p.includes(`-${process.env.BGP_LAB_TEST_RUN}/`)));
  if (!leftNs.length && !leftProcs.length) return;
  const labs = [...new Set(leftNs.map((n) => n.split('.')[1]!))];
  for (const lab of labs) {
    try {
      execFileSync(join(process.cwd(), 'bin/bgp-lab'), ['--lab', lab, 'down'], { stdio: 'ignore' });
    } catch {
      /* reported below */
    }
  }
  throw new Error(`the suite left things behind (removed now; find the test that did not clean up):\n  ${[...leftNs, ...leftProcs].join('\n  ')}`);
}
