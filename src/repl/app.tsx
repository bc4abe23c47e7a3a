// The interactive REPL: finished output goes to <Static> (it scrolls like a terminal), the
// live area shows the running command's steps, a `watch`, or the prompt. All lab work goes
// through the one Session; this file only renders outcomes and progress.
import { useEffect, useRef, useState } from 'react';
import { Box, Static, Text, useApp, useStdin, useStdout } from 'ink';
import type { Outcome, Session } from '../../commands/execute.js';
import { matchCommand, tokenize } from '../../commands/grammar.js';
import type { CommandSpec, WatchTick } from '../../commands/types.js';
import type { PeersResult, StatusResult } from '../../commands/results.js';
import type { ProgressEvent } from '../../lab/drivers/types.js';
import type { Topology } from '../../lab/topology/schema.js';
import { ErrorView, ResultView, statesFromPeers } from '../render/views.js';
import type { SessionStates } from '../render/topo.js';
import { ms } from '../render/lines.js';
import { PromptInput, type PromptLabel } from './input.js';
import { LineEditor, type EditorAction } from './editor.js';
import { splitKeys, type Key } from './keys.js';
import { complete } from './complete.js';
import type { History } from './history.js';
import { promptLabel, quietStatus } from './status.js';
import { mark } from './timing.js';
import { warmUp } from './warm.js';
import { runOnTerminal } from '../terminal.js';

type Entry =
  | { id: number; kind: 'echo'; label: PromptLabel; line: string }
  | { id: number; kind: 'step'; state: string; label: string; elapsedMs?: number; detail?: string }
  | { id: number; kind: 'log'; message: string }
  | { id: number; kind: 'outcome'; outcome: Outcome; width: number; states?: SessionStates }
  | { id: number; kind: 'note'; text: string; color?: 'red' | 'yellow' | 'gray' | 'green' };

type NewEntry = Entry extends infer E ? (E extends Entry ? Omit<E, 'id'> : never) : never;

type Mode = { kind: 'prompt' } | { kind: 'shell' } | { kind: 'running'; line: string; cancelling?: string } | { kind: 'watch'; line: string; outcome?: Outcome; at?: Date; runs: number; interval?: number };

export interface AppProps {
  session: Session;
  specs: CommandSpec[];
  history: History;
  up: boolean;
  onExit(status?: StatusResult): void;
}

/** The running line's hint, per CommandSpec.cancel. */
const CTRL_C_SAYS = {
  cancel: 'Ctrl-C cancels',
  rollback: 'Ctrl-C cancels and rolls back',
  partial: 'Ctrl-C stops early and shows what was done',
  finish: 'runs to its end: Ctrl-C cannot stop it',
} as const;
const REFRESH_WAIT_MS = 1000;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function App({ session, specs, history, up, onExit }: AppProps) {
  const { exit } = useApp();
  const { stdout, write } = useStdout();
  const { internal_eventEmitter: inputEvents, setRawMode } = useStdin();
  const [width, setWidth] = useState(stdout.columns || 100);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [mode, setMode] = useState<Mode>({ kind: 'prompt' });
  const [label, setLabel] = useState<PromptLabel>(promptLabel(session.lab));
  const [steps, setSteps] = useState<Record<string, { label: string; started: number }>>({});
  const [tick, setTick] = useState(0);
  const [hint, setHint] = useState('');
  const nextId = useRef(0);
  const controller = useRef<AbortController | null>(null);
  /** The running command's Ctrl-C policy (CommandSpec.cancel) and whether Ctrl-C was pressed. */
  const cancel = useRef<{ name: string; policy?: CommandSpec['cancel']; pressed: boolean }>({ name: '', pressed: false });
  const status = useRef<StatusResult | undefined>(undefined);
  const topology = useRef<Topology | undefined>(undefined);
  const states = useRef<SessionStates | undefined>(undefined);
  const lastInterrupt = useRef(0);
  const submittedAt = useRef(0);
  const lastRunMs = useRef(0);
  // Every key goes through one queue, applied in the order typed. While a command runs (or a
  // submitted line waits for the prompt's health) keys wait there and are applied at the next
  // prompt, as a shell's typeahead is; Ctrl-C alone acts at once.
  const editor = useRef<LineEditor | null>(null);
  editor.current ??= new LineEditor(history, (text) => complete(text, specs, topology.current));
  const pending = useRef<Key[]>([]);
  const accepting = useRef(!up);
  const refreshing = useRef<Promise<void>>(Promise.resolve());
  /** The last command changed the lab: the next line's prompt waits for the new health. */
  const changedLab = useRef(true);
  const labelRef = useRef(label);
  labelRef.current = label;
  const widthRef = useRef(width);
  widthRef.current = width;
  const [, setVersion] = useState(0);

  const push = (...es: NewEntry[]) => setEntries((prev) => [...prev, ...es.map((e) => ({ ...e, id: nextId.current++ }) as Entry)]);

  useEffect(() => {
    const onResize = () => setWidth(stdout.columns || 100);
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout]);

  const spinning = mode.kind === 'running' || mode.kind === 'watch';
  useEffect(() => {
    if (!spinning) return;
    const t = setInterval(() => setTick((n) => n + 1), 100);
    return () => clearInterval(t);
  }, [spinning]);

  // Time from Enter to the answer on screen (for the benchmark).
  useEffect(() => {
    if (mode.kind === 'prompt' && submittedAt.current) {
      mark('answer', performance.now() - submittedAt.current, { runMs: Math.round(lastRunMs.current) });
      submittedAt.current = 0;
    }
  }, [mode, entries]);

  const refresh = async () => {
    const r = await quietStatus(session);
    status.current = r.status;
    topology.current = r.topology ?? topology.current;
    labelRef.current = promptLabel(session.lab, r.status);
    setLabel(labelRef.current);
  };

  const warm = () => (status.current?.state === 'up' ? warmUp(session, topology.current, width) : undefined);

  useEffect(() => {
    mark('ready', performance.now());
    void (async () => {
      if (!up) {
        refreshing.current = refresh();
        return refreshing.current.then(warm);
      }
      setMode({ kind: 'running', line: 'status' });
      await refresh();
      setMode({ kind: 'prompt' });
      if (status.current?.state === 'down' || (!status.current && !(await session.record().catch(() => undefined)))) await execute('up');
      accept();
      await warm();
    })();
  }, []);

  // Raw mode for the REPL's whole life; the keys come straight from Ink's input events (a
  // chunk as read), split here, because Ink's useInput reads a chunk as one key.
  useEffect(() => {
    setRawMode(true);
    const onData = (data: string) => latest.current.onKeys(splitKeys(data));
    inputEvents.on('input', onData);
    return () => {
      inputEvents.off('input', onData);
      setRawMode(false);
    };
  }, []);

  const accept = () => {
    accepting.current = true;
    drain();
  };

  /** Applies queued keys while the prompt takes them; a submitted line stops the flow. */
  const drain = () => {
    const ed = editor.current!;
    let changed = false;
    while (accepting.current && pending.current.length) {
      const action = ed.key(pending.current.shift()!);
      changed = true;
      if (action) latest.current.act(action);
    }
    if (changed) setVersion((v) => v + 1);
  };

  const act = (a: EditorAction) => {
    if (a.kind === 'clear') return clearScreen();
    if (a.kind === 'interrupt') return onInterrupt(a.empty);
    if (a.kind === 'eof') return quit();
    accepting.current = false;
    // The echo waits for the prompt's health of the line before (each line under its own
    // prompt): fully after a command that changed the lab (`up`), at most 1 s after a read
    // (it changed nothing; on a loaded host `status` can take seconds).
    const settled = changedLab.current ? refreshing.current : Promise.race([refreshing.current, new Promise((r) => setTimeout(r, REFRESH_WAIT_MS))]);
    void settled.then(() => execute(a.line)).finally(accept);
  };

  const onKeys = (keys: Key[]) => {
    for (const k of keys) {
      if (((k.ctrl && k.text === 'c') || (k.name === 'escape' && cancel.current.name === 'watch')) && !accepting.current) {
        // As a terminal does on ^C: what was typed ahead is dropped with the command.
        pending.current = [];
        interruptRunning();
      } else pending.current.push(k);
    }
    drain();
  };

  // Running steps live in a ref so a finished step is written out in event order,
  // before the result that follows it.
  const running = useRef<Record<string, { label: string; started: number }>>({});
  const progress = (ev: ProgressEvent) => {
    if (ev.type === 'log') return push({ kind: 'log', message: ev.message });
    if (ev.state === 'running') {
      running.current = { ...running.current, [ev.id]: { label: ev.label, started: performance.now() - (ev.elapsedMs ?? 0) } };
    } else {
      const { [ev.id]: done, ...rest } = running.current;
      running.current = rest;
      push({ kind: 'step', state: ev.state, label: ev.label, detail: ev.detail, elapsedMs: ev.elapsedMs ?? (done ? performance.now() - done.started : undefined) });
    }
    setSteps(running.current);
  };

  // Ctrl-C never gives the prompt back before the command has really finished: what it says
  // (rolled back, stopped early, the verdict) is what happened.
  const runLine = (line: string, ac: AbortController): Promise<Outcome> => session.run(line, { signal: ac.signal, progress, terminal });

  // `connect`: the live area is taken off, Ink stops reading keys and leaves raw mode, the
  // program has the terminal; afterwards Ink reads again and draws below what it printed.
  const terminal = {
    handOver: async (argv: string[]): Promise<number> => {
      setMode({ kind: 'shell' });
      await new Promise((r) => setTimeout(r, 80)); // Ink draws at most every ~33 ms: the empty frame is out
      setRawMode(false);
      try {
        return await runOnTerminal(argv);
      } finally {
        setRawMode(true);
        setMode({ kind: 'running', line: 'connect' });
      }
    },
  };

  const showOutcome = (o: Outcome) => {
    if (o.command === 'peers' && o.result) states.current = statesFromPeers(o.result as PeersResult);
    push({ kind: 'outcome', outcome: o, width: widthRef.current, states: states.current });
  };

  // Erase the screen and its scrollback, as `clear` does. Through Ink's write, which takes
  // its live area (the prompt) off first and draws it again after.
  const clearScreen = () => write('\x1b[2J\x1b[3J\x1b[H');

  async function execute(raw: string) {
    const line = raw.trim();
    setHint('');
    if (line === 'clear') {
      history.add(line);
      return clearScreen();
    }
    push({ kind: 'echo', label: labelRef.current, line });
    if (!line) return void (refreshing.current = refresh()); // an empty Enter redraws the prompt's health and drill from the lab
    history.add(line);
    if (line === 'exit' || line === 'quit') return quit();
    if (line === 'watch' || line.startsWith('watch ')) return watch(line.slice(5).trim());
    submittedAt.current = performance.now();
    const ac = new AbortController();
    controller.current = ac;
    let spec: CommandSpec | undefined;
    try {
      spec = matchCommand(tokenize(line), specs)?.spec;
    } catch {
      // The run reports the parse error.
    }
    cancel.current = { name: spec?.name ?? line, policy: spec?.cancel, pressed: false };
    changedLab.current = Boolean(spec?.mutating);
    running.current = {};
    setSteps({});
    setMode({ kind: 'running', line });
    const o = await runLine(line, ac);
    lastRunMs.current = o.durationMs;
    running.current = {};
    setSteps({});
    controller.current = null;
    const { name, policy, pressed } = cancel.current;
    if (o.status === 'cancelled' && o.result === undefined) {
      // Say what the cancel left behind, from the lab itself.
      await refresh();
      const state = status.current?.state ?? 'down';
      const text =
        policy === 'rollback' ? `✗ ${name} cancelled and rolled back — lab ${session.lab} is ${state}`
        : policy === 'partial' ? `✗ ${name} stopped before it had anything to show`
        : `✗ ${name} cancelled`;
      push({ kind: 'note', text, color: 'yellow' });
      setMode({ kind: 'prompt' });
      return;
    }
    showOutcome(o);
    if (pressed && policy === 'partial' && o.result !== undefined) push({ kind: 'note', text: `✗ ${name} stopped early (Ctrl-C): the result above is what was done`, color: 'yellow' });
    if (pressed && policy === 'finish') push({ kind: 'note', text: `${name} ran to its end despite Ctrl-C: the result above is what happened`, color: 'gray' });
    setMode({ kind: 'prompt' });
    refreshing.current = refresh();
  }

  /**
   * `watch [-n S] <command>` through the core's `watch` (one audit entry for the whole watch),
   * each tick drawn in place in the live area until Ctrl-C or Esc; the last one stays on screen.
   */
  async function watch(line: string) {
    const ac = new AbortController();
    controller.current = ac;
    cancel.current = { name: 'watch', pressed: false };
    let last: Outcome | undefined;
    setMode({ kind: 'watch', line, runs: 0 });
    const onTick = (t: WatchTick) => {
      last = { ok: !t.error, exitCode: t.error ? 1 : 0, line: t.line, command: t.command, result: t.result, error: t.error ? { ...t.error, exitCode: 1 } : undefined, durationMs: 0 };
      setMode({ kind: 'watch', line: t.line, outcome: last, at: new Date(t.at), runs: t.n, interval: t.intervalSeconds });
    };
    const o = await session.run(`watch ${line}`, { signal: ac.signal, progress, onTick, terminal });
    if (last) showOutcome(last);
    if (o.error) showOutcome(o);
    controller.current = null;
    setMode({ kind: 'prompt' });
    refreshing.current = refresh();
  }

  function quit() {
    controller.current?.abort();
    exit();
    onExit(status.current);
  }

  // Ctrl-C while a command or a watch runs: cancel it and give the prompt back.
  function interruptRunning() {
    if (!controller.current) return;
    const c = cancel.current;
    const first = !c.pressed;
    c.pressed = true;
    if (c.policy === 'finish') {
      // Stopping a restore halfway would leave the fabric neither faulted nor baseline.
      if (first) push({ kind: 'note', text: `Ctrl-C: \`${c.name}\` cannot be stopped while it restores the lab — waiting for its result`, color: 'yellow' });
      setMode((m) => (m.kind === 'running' ? { ...m, cancelling: 'cannot be stopped — waiting for its result…' } : m));
      return;
    }
    controller.current.abort();
    const what = c.policy === 'rollback' ? 'cancelling — rolling back…' : c.policy === 'partial' ? 'stopping early — keeping what was done…' : 'cancelling…';
    setMode((m) => (m.kind === 'running' ? { ...m, cancelling: what } : m));
  }

  const onInterrupt = (empty: boolean) => {
    const now = Date.now();
    if (empty && now - lastInterrupt.current < 2000) return quit();
    lastInterrupt.current = empty ? now : 0;
    setHint(empty ? 'press Ctrl-C again, Ctrl-D or type `exit` to quit' : '');
  };

  const latest = useRef({ onKeys, act });
  latest.current = { onKeys, act };

  const spin = SPINNER[tick % SPINNER.length];
  return (
    <>
      <Static items={entries}>{(e) => <EntryView key={e.id} entry={e} />}</Static>
      {mode.kind === 'running' && (
        <Box flexDirection="column">
          {Object.entries(steps).map(([id, s]) => (
            <Text key={id}>
              <Text color="cyan">{spin}</Text> {s.label} <Text dimColor>{ms(performance.now() - s.started)}</Text>
            </Text>
          ))}
          {Object.keys(steps).length === 0 && (
            <Text dimColor>
              {spin} {mode.line}
            </Text>
          )}
          <Text dimColor>{mode.cancelling ?? CTRL_C_SAYS[cancel.current.policy ?? 'cancel']}</Text>
        </Box>
      )}
      {mode.kind === 'watch' && (
        <Box flexDirection="column">
          <Text dimColor wrap="truncate-end">
            {spin} every {mode.interval ?? '…'} s: {mode.line}
            {mode.at ? ` — ${mode.at.toTimeString().slice(0, 8)} (${mode.runs} runs)` : ''} — Ctrl-C or Esc stops
          </Text>
          {mode.outcome && <OutcomeView outcome={mode.outcome} width={width} states={states.current} />}
        </Box>
      )}
      {mode.kind === 'prompt' && (
        <Box flexDirection="column">
          <PromptInput label={label} editor={editor.current} history={history} width={width} />
          {hint ? <Text dimColor>{hint}</Text> : null}
        </Box>
      )}
    </>
  );
}

function OutcomeView({ outcome, width, states }: { outcome: Outcome; width: number; states?: SessionStates }) {
  return (
    <Box flexDirection="column">
      {outcome.result !== undefined && <ResultView command={outcome.command ?? ''} result={outcome.result} width={width} states={states} />}
      {outcome.error && <ErrorView error={outcome.error} />}
    </Box>
  );
}

function EntryView({ entry: e }: { entry: Entry }) {
  switch (e.kind) {
    case 'echo':
      return (
        <Text wrap="truncate-end">
          <Text color={e.label.color} bold>{e.label.text}</Text> {e.line}
        </Text>
      );
    case 'step': {
      const [m, color] = e.state === 'ok' ? ['✓', 'green'] : e.state === 'fail' ? ['✗', 'red'] : ['-', 'gray'];
      return (
        <Text wrap="truncate-end">
          <Text color={color}>{m}</Text> {e.label} <Text dimColor>{ms(e.elapsedMs)}</Text>
          {e.detail ? <Text color={e.state === 'fail' ? 'red' : 'gray'}> {e.detail}</Text> : null}
        </Text>
      );
    }
    case 'log':
      return <Text dimColor wrap="truncate-end">  {e.message}</Text>;
    case 'note':
      return <Text color={e.color}>{e.text}</Text>;
    case 'outcome':
      return (
        <Box flexDirection="column" marginBottom={1}>
          <OutcomeView outcome={e.outcome} width={e.width} states={e.states} />
        </Box>
      );
  }
}
