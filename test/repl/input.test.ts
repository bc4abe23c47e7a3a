// The REPL as a person types at it, in a real terminal (tmux) on a real embedded lab: keys
// typed while a command runs, pasted lines, editing keys in one read, Tab on names the lab
// knows, Ctrl-C per command, and `connect` handing the terminal to FRR's vtysh and back.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, labName } from '../helpers/lab.js';
import { auditFile } from '../../lab/state/audit.js';
import { keys, kill, lastLine, screen, startTmux, waitScreen } from './tmux.js';

const lab = labName('input');
const term = `bgplab-${lab}`;
const up = `${lab} ✓ 8/8 sessions`;
const down = `${lab} ✗ down ›`;
/** Text typed as text (tmux would read `up` or `down` as arrow keys). */
const type = (text: string) => keys(term, '-l', text);
/** Screen text after the last time `marker` was echoed. */
const after = (marker: string) => {
  const s = screen(term);
  return s.slice(s.lastIndexOf(marker));
};
const idle = (s: string) => lastLine(s).startsWith(`${up} ›`) || lastLine(s).startsWith(down);

describe('REPL input in tmux', () => {
  beforeAll(async () => {
    startTmux(term, ['--lab', lab, 'repl', '--up']);
    // Typed one second in, while `up` runs: kept and run once the prompt is back.
    await new Promise((r) => setTimeout(r, 1000));
    type('routes leaf0');
    keys(term, 'Enter');
    await waitScreen(term, (s) => s.includes(`${up} › routes leaf0`) && idle(s) && after('› routes leaf0').includes('10.98.3.0/24'), 100_000, 200);
  }, 120_000);
  afterAll(async () => {
    kill(term);
    await cli(['--lab', lab, 'down']);
  });

  it('ran what was typed during `up` after it, under its own prompt', () => {
    const s = screen(term);
    expect(s.indexOf(`lab ${lab} is up`)).toBeGreaterThan(0);
    expect(s.indexOf(`› routes leaf0`)).toBeGreaterThan(s.indexOf(`lab ${lab} is up`));
    expect(after('› routes leaf0')).toMatch(/B>\* 10\.98\.2\.0\/24 \[20\/0\] via 10\.1\.10\.2, eth1/);
  });

  it('a pasted two-line script runs line by line, each result under its own prompt', async () => {
    type('status\rroutes leaf1\r');
    await waitScreen(term, (s) => s.includes('› routes leaf1') && idle(s) && after('› routes leaf1').includes('10.98.0.0/24'), 60_000, 100);
    const s = after('› status');
    const routes = s.indexOf(`${up} › routes leaf1`);
    expect(routes).toBeGreaterThan(0);
    // status's table is between the two prompts, the routes after the second.
    expect(s.slice(0, routes)).toMatch(/cilium-bgp-worker3 +node/);
    expect(s.slice(0, routes)).not.toContain('router leaf1:');
    expect(s.slice(routes)).toContain('router leaf1:');
  });

  it('Ctrl-U and text arriving in one read give the text alone', async () => {
    type('routes leaf0');
    await waitScreen(term, (s) => lastLine(s).endsWith('› routes leaf0'));
    // 0x15 (Ctrl-U) and "peers" in one write to the terminal.
    keys(term, '-H', '15', '70', '65', '65', '72', '73', '0d');
    await waitScreen(term, (s) => /› peers\s*$/m.test(s) && idle(s) && after('› peers').includes('spine0'), 60_000, 100);
    expect(screen(term)).not.toContain('routes leaf0peers');
  });

  it('Tab completes a scenario after `drill start` and interfaces after `check --capture leaf0:`', async () => {
    type('drill start spi');
    keys(term, 'Tab');
    await waitScreen(term, (s) => /› drill start spine-down\s*$/.test(lastLine(s)));
    keys(term, 'C-u');
    type('check --capture leaf0:eth1,');
    keys(term, 'Tab');
    keys(term, 'Tab');
    await waitScreen(term, (s) => /^eth1 +eth2 +eth3$/.test(lastLine(s)));
    keys(term, 'C-u');
    await waitScreen(term, (s) => lastLine(s).trimEnd().endsWith('›'));
  });

  it('connect leaf0 gives FRR\'s own prompt; Ctrl-D comes back to a REPL that still reads keys', async () => {
    type('connect leaf0');
    keys(term, 'Enter');
    await waitScreen(term, (s) => after('› connect leaf0').includes('Hello, this is FRRouting') && /# ?$/.test(lastLine(s)), 15_000);
    const frrPrompt = lastLine(screen(term)).trim();
    type('show bgp summary');
    keys(term, 'Enter');
    await waitScreen(term, (s) => after('show bgp summary').includes('Total number of neighbors 4') && lastLine(s).trim() === frrPrompt, 30_000, 100);
    keys(term, 'C-d');
    await waitScreen(term, (s) => s.includes("left leaf0's vtysh") && idle(s), 30_000, 100);
    type('routes leaf1');
    keys(term, 'Enter');
    await waitScreen(term, (s) => after('› routes leaf1').includes('10.98.3.0/24') && idle(s), 30_000, 100);
    const audit = readFileSync(auditFile(), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { lab: string; line: string; outcome: string });
    expect(audit.filter((e) => e.lab === lab && e.line === 'connect leaf0').map((e) => e.outcome)).toEqual(['ok']);
  });

  it('at 80 columns every view wraps or narrows: no line wider, no column cut', async () => {
    const narrow = `${term}-80`;
    startTmux(narrow, ['--lab', lab, 'repl'], {}, { columns: 80, rows: 50 });
    try {
      const lines: string[] = [];
      for (const line of ['help', 'status', 'check --http --nodeport', 'drill list', 'help check', 'policy show', 'bgp leaf0']) {
        keys(narrow, 'C-l');
        keys(narrow, '-l', line);
        keys(narrow, 'Enter');
        await waitScreen(narrow, (s) => s.includes(`› ${line}`) && lastLine(s).startsWith(`${up} ›`) && s.trimEnd().split('\n').length > 3, 60_000, 100);
        // -J joins wrapped lines back: a line the terminal had to wrap shows up longer than 80.
        lines.push(...screen(narrow).trimEnd().split('\n'));
      }
      const text = lines.join('\n');
      expect(text).toContain('connect         An interactive vtysh');
      expect(text).toMatch(/NodePort: testing the service through every node/);
      expect(text).toMatch(/^ +✓ cilium-bgp-worker\d? /m); // the NodePort row went on, it was not cut
      expect(lines.filter((l) => [...l].length > 80)).toEqual([]);
      expect(lines.filter((l) => /…$/.test(l.trimEnd()))).toEqual([]);
    } finally {
      kill(narrow);
    }
  });

  it('Ctrl-C on `drill end` says it cannot stop the restore, then shows the verdict', async () => {
    type('drill start spine-down');
    keys(term, 'Enter');
    await waitScreen(term, (s) => /\[drill spine-down\] ›\s*$/.test(lastLine(s)), 30_000);
    type('drill end');
    keys(term, 'Enter');
    await waitScreen(term, (s) => lastLine(s).includes('Ctrl-C cannot stop it'), 30_000, 100);
    keys(term, 'C-c');
    await waitScreen(term, (s) => after('› drill end').includes('lab back to its pre-drill') && idle(s), 60_000, 100);
    const out = after('› drill end');
    expect(out).toContain('cannot be stopped while it restores the lab');
    expect(out).toMatch(/drill spine-down: .* — /);
    expect(out).not.toContain('cancelled');
    const audit = readFileSync(auditFile(), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { lab: string; command: string; outcome: string });
    expect(audit.filter((e) => e.lab === lab && e.command === 'drill end').at(-1)?.outcome).toBe('ok');
  });

  it('Ctrl-C on `up` rolls back, and the prompt then says the lab is down', async () => {
    type('down');
    keys(term, 'Enter');
    await waitScreen(term, (s) => lastLine(s).startsWith(down), 30_000);
    type('up');
    keys(term, 'Enter');
    await waitScreen(term, (s) => after(`${down} up`).includes('✓ Create'), 30_000);
    keys(term, 'C-c');
    await waitScreen(term, (s) => after(`${down} up`).includes('cancelled and rolled back') && lastLine(s).startsWith(down), 60_000, 100);
    expect(after(`${down} up`)).toContain(`✗ up cancelled and rolled back — lab ${lab} is down`);
    const status = await cli(['--lab', lab, '--json', 'status']);
    expect(JSON.parse(status.stdout).state).toBe('down');
  });
});
