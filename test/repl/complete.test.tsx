// Completion, history and the prompt line, on the real command registry and seed topology.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { commands } from '../../commands/registry.js';
import { loadTopology } from '../../lab/topology/load.js';
import { DEFAULT_TOPOLOGY_FILE } from '../../lab/paths.js';
import { complete } from '../../src/repl/complete.js';
import { History } from '../../src/repl/history.js';
import { PromptInput } from '../../src/repl/input.js';

const topo = loadTopology(DEFAULT_TOPOLOGY_FILE);
const c = (text: string) => complete(text, commands, topo).candidates.map((x) => x.trim());
// Generous: the machine is shared, and Ink reads stdin only after its effects ran.
const tick = () => new Promise((r) => setTimeout(r, 60));

describe('complete', () => {
  it('completes command names, multi-word ones too', () => {
    expect(c('rout')).toEqual(['router', 'routes']);
    expect(c('routes')).toEqual(['routes']);
    expect(c('router ')).toEqual(['restart']);
    expect(c('topo ')).toEqual(expect.arrayContaining(['show', 'validate']));
    expect(c('topo sh')).toEqual(['show']);
  });
  it('completes routers, nodes (full and short), pods, interfaces and flags', () => {
    expect(c('routes l')).toEqual(['leaf0', 'leaf1']);
    expect(c('bgp sp')).toEqual(['spine0', 'spine1']);
    expect(c('routes worker')).toEqual(expect.arrayContaining(['worker', 'worker2', 'worker3']));
    expect(c('trace app-control-plane app-worker')).toEqual(['app-worker', 'app-worker2', 'app-worker3']);
    expect(c('check --from app-c')).toEqual(['app-control-plane']);
    expect(c('routes leaf0 --p')).toEqual(expect.arrayContaining(['--prefix', '--protocol']));
    const cap = complete('capture leaf0 eth1,e', commands, topo);
    expect(cap.start).toBe('capture leaf0 eth1,'.length);
    expect(cap.candidates.map((x) => x.trim())).toEqual(['eth1', 'eth2', 'eth3']);
  });
});

describe('history', () => {
  it('persists lines and finds the newest match backwards', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'repl-hist-')), 'history');
    const h = new History(file);
    for (const l of ['routes leaf0', 'peers', 'routes leaf1', 'peers']) h.add(l);
    const again = new History(file);
    expect(again.entries).toEqual(['routes leaf0', 'peers', 'routes leaf1', 'peers']);
    expect(again.search('routes')).toBe(2);
    expect(again.search('routes', 2)).toBe(0);
  });
});

describe('prompt line', () => {
  const setup = () => {
    const submitted: string[] = [];
    const cleared: number[] = [];
    const history = new History(join(mkdtempSync(join(tmpdir(), 'repl-hist-')), 'history'));
    history.add('routes leaf0');
    history.add('peers --all');
    const ui = render(
      <PromptInput label={{ text: 'lab ›' }} history={history} width={100} complete={(t) => complete(t, commands, topo)}
        onSubmit={(l) => submitted.push(l)} onInterrupt={() => {}} onEof={() => {}} onClear={() => cleared.push(1)} />,
    );
    return { ui, submitted, cleared };
  };
  it('Tab completes, a second Tab lists the candidates, Enter submits', async () => {
    const { ui, submitted } = setup();
    await tick();
    ui.stdin.write('rou');
    await tick();
    ui.stdin.write('\t');
    await tick();
    expect(ui.lastFrame()).toContain('lab › route');
    ui.stdin.write('\t');
    await tick();
    expect(ui.lastFrame()).toMatch(/router +routes/);
    ui.stdin.write('s');
    await tick();
    ui.stdin.write('\t');
    await tick();
    expect(ui.lastFrame()).toMatch(/lab › routes\s*$/);
    ui.stdin.write('l');
    await tick();
    ui.stdin.write('\t');
    await tick();
    expect(ui.lastFrame()).toContain('routes leaf');
    ui.stdin.write('\t');
    await tick();
    expect(ui.lastFrame()).toMatch(/leaf0 +leaf1/);
    ui.stdin.write('0\r');
    await tick();
    expect(submitted).toEqual(['routes leaf0']);
  });
  it('↑ recalls history and Ctrl-R searches it', async () => {
    const { ui, submitted } = setup();
    await tick();
    ui.stdin.write('\x1b[A');
    await tick();
    expect(ui.lastFrame()).toContain('lab › peers --all');
    ui.stdin.write('\x15'); // Ctrl-U clears the line
    await tick();
    ui.stdin.write('\x12');
    await tick();
    ui.stdin.write('leaf');
    await tick();
    expect(ui.lastFrame()).toContain("(reverse-i-search)`leaf': routes leaf0");
    ui.stdin.write('\r');
    await tick();
    expect(submitted).toEqual(['routes leaf0']);
  });
  it('Ctrl-L clears the screen and keeps the line being typed', async () => {
    const { ui, cleared } = setup();
    await tick();
    ui.stdin.write('peers');
    await tick();
    ui.stdin.write('\x0c');
    await tick();
    expect(cleared).toHaveLength(1);
    expect(ui.lastFrame()).toContain('lab › peers');
  });
});
