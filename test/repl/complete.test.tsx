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
import { LineEditor, type EditorAction } from '../../src/repl/editor.js';
import { splitKeys } from '../../src/repl/keys.js';

const topo = loadTopology(DEFAULT_TOPOLOGY_FILE);
const c = (text: string) => complete(text, commands, topo).candidates.map((x) => x.trim());

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
  // The editor gets keys exactly as the REPL does: each chunk as read, split into keys.
  const setup = () => {
    const history = new History(join(mkdtempSync(join(tmpdir(), 'repl-hist-')), 'history'));
    history.add('routes leaf0');
    history.add('peers --all');
    const ed = new LineEditor(history, (t) => complete(t, commands, topo));
    const actions: EditorAction[] = [];
    const type = (chunk: string) => {
      for (const k of splitKeys(chunk)) {
        const a = ed.key(k);
        if (a) actions.push(a);
      }
    };
    const frame = () => render(<PromptInput label={{ text: 'lab ›' }} editor={ed} history={history} width={100} />).lastFrame() ?? '';
    const submitted = () => actions.flatMap((a) => (a.kind === 'submit' ? [a.line] : []));
    return { ed, type, frame, actions, submitted };
  };
  it('Tab completes, a second Tab lists the candidates, Enter submits', () => {
    const { type, frame, submitted } = setup();
    type('rou');
    type('\t');
    expect(frame()).toContain('lab › route');
    type('\t');
    expect(frame()).toMatch(/router +routes/);
    type('s');
    type('\t');
    expect(frame()).toMatch(/lab › routes\s*$/);
    type('l\t');
    expect(frame()).toContain('routes leaf');
    type('\t');
    expect(frame()).toMatch(/leaf0 +leaf1/);
    type('0\r');
    expect(submitted()).toEqual(['routes leaf0']);
  });
  it('↑ recalls history and Ctrl-R searches it', () => {
    const { type, frame, submitted } = setup();
    type('\x1b[A');
    expect(frame()).toContain('lab › peers --all');
    type('\x15'); // Ctrl-U clears the line
    type('\x12');
    type('leaf');
    expect(frame()).toContain("(reverse-i-search)`leaf': routes leaf0");
    type('\r');
    expect(submitted()).toEqual(['routes leaf0']);
  });
  it('Ctrl-L clears the screen and keeps the line being typed', () => {
    const { type, frame, actions } = setup();
    type('peers');
    type('\x0c');
    expect(actions).toEqual([{ kind: 'clear' }]);
    expect(frame()).toContain('lab › peers');
  });
  it('applies editing keys in order however they arrive in one chunk', () => {
    const { ed, type, submitted } = setup();
    type('routes leaf0');
    type('\x15peers'); // Ctrl-U and text in one read
    expect(ed.text).toBe('peers');
    type('\x1b[D\x1b[D\x7fX\x01#\x05!'); // ←←, Backspace, X, Ctrl-A, #, Ctrl-E, !
    expect(ed.text).toBe('#peXrs!');
    type('\x15peers\rroutes leaf1\r'); // a pasted two-line script: two submits, in order
    expect(submitted()).toEqual(['peers', 'routes leaf1']);
    expect(ed.text).toBe('');
  });
});

describe('splitKeys', () => {
  it('splits control bytes and escape sequences from text runs', () => {
    expect(splitKeys('\x15peers\r')).toEqual([{ text: 'u', ctrl: true }, { text: 'peers' }, { text: '', name: 'return' }]);
    expect(splitKeys('a\x1b[Ab\x1b[3~\x1bb\x1b[200~x')).toEqual([
      { text: 'a' }, { text: '', name: 'up' }, { text: 'b' }, { text: '', name: 'delete' }, { text: 'b', meta: true }, { text: 'x' },
    ]);
    expect(splitKeys('x\r\ny\t')).toEqual([{ text: 'x' }, { text: '', name: 'return' }, { text: 'y' }, { text: '', name: 'tab' }]);
  });
});

describe('completion of names the lab knows', () => {
  it('scenarios after drill start, policies after policy set/show, routers after connect', () => {
    expect(c('drill start sp')).toEqual(['spine-down']);
    expect(c('drill start ')).toEqual(expect.arrayContaining(['spine-down', 'link-flap', 'agent-crash']));
    const policy = topo.cilium.bgpPeeringPolicies[0]!.name;
    expect(c(`policy set ${policy.slice(0, 3)}`)).toContain(policy);
    expect(c(`policy show ${policy.slice(0, 3)}`)).toContain(policy);
    expect(c('connect le')).toEqual(['leaf0', 'leaf1']);
  });
  it('check --capture: router then colon, then a comma list of its interfaces', () => {
    const r = complete('check --capture le', commands, topo);
    expect(r.candidates).toEqual(['leaf0:', 'leaf1:']);
    const i = complete('check --capture leaf0:e', commands, topo);
    expect(i.start).toBe('check --capture leaf0:'.length);
    expect(i.candidates.map((x) => x.trim())).toEqual(['eth1', 'eth2', 'eth3']);
    const more = complete('check --capture leaf0:eth1,eth', commands, topo);
    expect(more.start).toBe('check --capture leaf0:eth1,'.length);
    expect(more.candidates.map((x) => x.trim())).toEqual(['eth1', 'eth2', 'eth3']);
  });
});
