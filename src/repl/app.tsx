// The interactive REPL: finished output goes to <Static> (it scrolls like a terminal), the
// live area shows the running command's steps, a `watch`, or the prompt. All lab work goes
// through the one Session; this file only renders outcomes and progress.
import { useEffect, useRef, useState } from 'react';
import { Box, Static, Text, useApp, useInput, useStdout } from 'ink';
import type { Outcome, Session } from '../../commands/execute.js';
import type { CommandSpec, WatchTick } from '../../commands/types.js';
import type { PeersResult, StatusResult } from '../../commands/results.js';
import type { ProgressEvent } from '../../lab/drivers/types.js';
import type { Topology } from '../../lab/topology/schema.js';
import { ErrorView, ResultView, statesFromPeers } from '../render/views.js';
import type { SessionStates } from '../render/topo.js';
import { ms } from '../render/lines.js';
import { PromptInput, type PromptLabel } from './input.js';
import { complete } from './complete.js';
import type { History } from './history.js';
import { promptLabel, quietStatus } from './status.js';
import { mark } from './timing.js';
import { warmUp } from './warm.js';

type Entry =
  | { id: number; kind: 'echo'; label: PromptLabel; line: string }
  | { id: number; kind: 'step'; state: string; label: string; elapsedMs?: number; detail?: string }
  | { id: number; kind: 'log'; message: string }
  | { id: number; kind: 'outcome'; outcome: Outcome; width: number; states?: SessionStates }
  | { id: number; kind: 'note'; text: string; color?: 'red' | 'yellow' | 'gray' | 'green' };

type NewEntry = Entry extends infer E ? (E extends Entry ? Omit<E, 'id'> : never) : never;

type Mode = { kind: 'prompt' } | { kind: 'running'; line: string; cancelling: boolean } | { kind: 'watch'; line: string; outcome?: Outcome; at?: Date; runs: number; interval?: number };

export interface AppProps {
  session: Session;
  specs: CommandSpec[];
  history: History;
  up: boolean;
  onExit(status?: StatusResult): void;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CANCEL_GRACE_MS = 500;

export function App({ session, specs, history, up, onExit }: AppProps) {
  const { exit } = useApp();
  const { stdout, write } = useStdout();
  const [width, setWidth] = useState(stdout.columns || 100);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [mode, setMode] = useState<Mode>({ kind: 'prompt' });
  const [label, setLabel] = useState<PromptLabel>(promptLabel(session.lab));
  const [steps, setSteps] = useState<Record<string, { label: string; started: number }>>({});
  const [tick, setTick] = useState(0);
  const [hint, setHint] = useState('');
  const nextId = useRef(0);
  const controller = useRef<AbortController | null>(null);
  const cancelNow = useRef<(() => void) | null>(null);
  const status = useRef<StatusResult | undefined>(undefined);
  const topology = useRef<Topology | undefined>(undefined);
  const states = useRef<SessionStates | undefined>(undefined);
  const lastInterrupt = useRef(0);
  const submittedAt = useRef(0);
  const lastRunMs = useRef(0);
  const busy = mode.kind !== 'prompt';

  const push = (...es: NewEntry[]) => setEntries((prev) => [...prev, ...es.map((e) => ({ ...e, id: nextId.current++ }) as Entry)]);

  useEffect(() => {
    const onResize = () => setWidth(stdout.columns || 100);
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout]);

  useEffect(() => {
    if (!busy) return;
    const t = setInterval(() => setTick((n) => n + 1), 100);
    return () => clearInterval(t);
  }, [busy]);

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
    setLabel(promptLabel(session.lab, r.status));
  };

  const warm = () => (status.current?.state === 'up' ? warmUp(session, topology.current, width) : undefined);

  useEffect(() => {
    mark('ready', performance.now());
    void (async () => {
      if (!up) return refresh().then(warm);
      setMode({ kind: 'running', line: 'status', cancelling: false });
      await refresh();
      setMode({ kind: 'prompt' });
      if (status.current?.state === 'down' || (!status.current && !(await session.record().catch(() => undefined)))) await execute('up');
      await warm();
    })();
  }, []);

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

  /** Runs the line; resolves early (undefined) when Ctrl-C's grace period ends first. */
  const runLine = async (line: string, ac: AbortController): Promise<Outcome | undefined> => {
    const cancelled = new Promise<undefined>((resolve) => (cancelNow.current = () => setTimeout(() => resolve(undefined), CANCEL_GRACE_MS)));
    return Promise.race([session.run(line, { signal: ac.signal, progress }), cancelled]);
  };

  const showOutcome = (o: Outcome) => {
    if (o.command === 'peers' && o.result) states.current = statesFromPeers(o.result as PeersResult);
    push({ kind: 'outcome', outcome: o, width, states: states.current });
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
    push({ kind: 'echo', label, line });
    if (!line) return void refresh(); // an empty Enter redraws the prompt's health and drill from the lab
    history.add(line);
    if (line === 'exit' || line === 'quit') return quit();
    if (line === 'watch' || line.startsWith('watch ')) return watch(line.slice(5).trim());
    submittedAt.current = performance.now();
    const ac = new AbortController();
    controller.current = ac;
    running.current = {};
    setSteps({});
    setMode({ kind: 'running', line, cancelling: false });
    const o = await runLine(line, ac);
    lastRunMs.current = o?.durationMs ?? 0;
    running.current = {};
    setSteps({});
    if (o) showOutcome(o);
    else push({ kind: 'note', text: '✗ cancelled (still stopping in the background)', color: 'yellow' });
    controller.current = null;
    setMode({ kind: 'prompt' });
    void refresh();
  }

  /**
   * `watch [-n S] <command>` through the core's `watch` (one audit entry for the whole watch),
   * each tick drawn in place in the live area until Ctrl-C or Esc; the last one stays on screen.
   */
  async function watch(line: string) {
    const ac = new AbortController();
    controller.current = ac;
    let last: Outcome | undefined;
    setMode({ kind: 'watch', line, runs: 0 });
    const onTick = (t: WatchTick) => {
      last = { ok: !t.error, exitCode: t.error ? 1 : 0, line: t.line, command: t.command, result: t.result, error: t.error ? { ...t.error, exitCode: 1 } : undefined, durationMs: 0 };
      setMode({ kind: 'watch', line: t.line, outcome: last, at: new Date(t.at), runs: t.n, interval: t.intervalSeconds });
    };
    const o = await session.run(`watch ${line}`, { signal: ac.signal, progress, onTick });
    if (last) showOutcome(last);
    if (o.error) showOutcome(o);
    controller.current = null;
    setMode({ kind: 'prompt' });
    void refresh();
  }

  function quit() {
    controller.current?.abort();
    exit();
    onExit(status.current);
  }

  // Ctrl-C while a command or a watch runs: cancel it and give the prompt back.
  useInput(
    (input, key) => {
      if (((key.ctrl && input === 'c') || (key.escape && mode.kind === 'watch')) && controller.current) {
        controller.current.abort();
        cancelNow.current?.();
        if (mode.kind === 'running') setMode({ ...mode, cancelling: true });
      }
    },
    { isActive: busy },
  );

  const onInterrupt = (empty: boolean) => {
    const now = Date.now();
    if (empty && now - lastInterrupt.current < 2000) return quit();
    lastInterrupt.current = empty ? now : 0;
    setHint(empty ? 'press Ctrl-C again, Ctrl-D or type `exit` to quit' : '');
  };

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
          <Text dimColor>{mode.cancelling ? 'cancelling…' : 'Ctrl-C cancels'}</Text>
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
          <PromptInput
            label={label}
            history={history}
            width={width}
            complete={(text) => complete(text, specs, topology.current)}
            onSubmit={(l) => void execute(l)}
            onInterrupt={onInterrupt}
            onEof={quit}
            onClear={clearScreen}
          />
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
