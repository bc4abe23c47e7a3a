// The REPL in a real terminal (tmux) against a real embedded lab it brings up itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, labName } from '../helpers/lab.js';
import { keys, kill, lastLine, screen, startTmux, waitScreen } from './tmux.js';

const lab = labName('repl');
const term = `bgplab-${lab}`;
const prompt = `${lab} ✓ 8/8 sessions ›`;
/** Screen text after the last time `marker` was echoed. */
const after = (marker: string) => {
  const s = screen(term);
  return s.slice(s.lastIndexOf(marker));
};

describe('REPL in tmux', () => {
  beforeAll(async () => {
    // CI set on purpose: Ink alone would then draw only its last frame (a prompt that never came).
    startTmux(term, ['--lab', lab, 'repl', '--up'], { CI: 'true' });
    await waitScreen(term, (s) => lastLine(s).startsWith(prompt), 100_000, 200); // under the hook's 120 s, so a miss shows the screen
  });
  afterAll(async () => {
    kill(term);
    await cli(['--lab', lab, 'down']);
  });

  it('brought the lab up with live steps and shows its health in the prompt', () => {
    const s = screen(term);
    expect(s).toMatch(/✓ Start FRR on 4 routers/);
    expect(s).toContain(`lab ${lab} is up`);
  });

  it('routes leaf0 shows both spine next hops', async () => {
    keys(term, 'routes leaf0', 'Enter');
    await waitScreen(term, (s) => s.includes('› routes leaf0') && lastLine(s).startsWith(prompt) && s.slice(s.lastIndexOf('› routes leaf0')).includes('10.98.3.0/24'));
    const out = after('› routes leaf0');
    expect(out).toMatch(/B>\* 10\.98\.2\.0\/24 \[20\/0\] via 10\.1\.10\.2, eth1/);
    expect(out).toMatch(/\n {2}\* +via 10\.1\.12\.2, eth2/);
  });

  it('Tab completes a command name; a second Tab lists the choices', async () => {
    keys(term, 'rou');
    await waitScreen(term, (s) => lastLine(s).endsWith('› rou'));
    // `router restart` and `routes` share "route".
    keys(term, 'Tab');
    await waitScreen(term, (s) => /› route\s*$/.test(lastLine(s)));
    keys(term, 'Tab');
    await waitScreen(term, (s) => /^router +routes$/.test(lastLine(s)));
    keys(term, 's');
    await waitScreen(term, (s) => /› routes\s*$/.test(s.trimEnd().split('\n').find((l) => l.includes('› routes') && !l.includes('leaf')) ?? ''));
    keys(term, 'Tab');
    await waitScreen(term, (s) => /› routes\s*$/.test(lastLine(s)));
    keys(term, 'C-u');
    await waitScreen(term, (s) => lastLine(s).trimEnd().endsWith('›'));
  });

  it('an unknown router is an error with a hint, and the prompt comes back', async () => {
    keys(term, 'routes leaf9', 'Enter');
    await waitScreen(term, (s) => s.includes('› routes leaf9') && lastLine(s).startsWith(prompt) && after('› routes leaf9').includes('✗'));
    const out = after('› routes leaf9');
    expect(out).toMatch(/✗ unknown router or node "leaf9"/);
    expect(out).toContain('leaf0');
  });

  it('Ctrl-C cancels a running capture within a second', async () => {
    keys(term, 'capture leaf0 eth1 --seconds 30', 'Enter');
    await waitScreen(term, (s) => /Ctrl-C (cancels|stops)/.test(lastLine(s)));
    await new Promise((r) => setTimeout(r, 1000));
    keys(term, 'C-c');
    const waited = await waitScreen(term, (s) => lastLine(s).startsWith(prompt), 5000);
    expect(waited).toBeLessThan(1000);
  });

  it('watch refuses a mutating command', async () => {
    keys(term, 'watch down', 'Enter');
    await waitScreen(term, (s) => s.includes('› watch down') && lastLine(s).startsWith(prompt) && after('› watch down').includes('✗'));
    expect(after('› watch down')).toContain('`watch` repeats read commands only: `down` changes the lab');
  });

  it('exit leaves the lab running and says how to remove it', async () => {
    keys(term, 'exit', 'Enter');
    await waitScreen(term, (s) => s.includes('keeps running'));
    expect(screen(term)).toContain(`\`bgp-lab --lab ${lab} down\` removes it`);
    const status = await cli(['--lab', lab, '--json', 'status']);
    expect(JSON.parse(status.stdout).state).toBe('up');
  });
});
