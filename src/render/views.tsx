// Ink components per result, for the interactive REPL. They draw the same lines as the text
// renderers (lines.ts) with real colours; check and topo add what only a live terminal shows
// (✓/✗ marks, session states on the fabric picture).

import { Box, Text } from 'ink';
import { stringify } from 'yaml';
import type { Line } from './lines.js';
import { lineToAnsi } from './lines.js';
import type { CheckResult, PeersResult, RoutesResult } from '../../commands/results.js';
import type { TopoShowResult } from '../../commands/topo-show.js';
import type { ErrorInfo } from '../../lab/errors.js';
import { routesLines } from './routes.js';
import { peersLines } from './peers.js';
import { checkLines } from './check.js';
import { topoLines, type SessionStates } from './topo.js';
import { captureLines } from './capture.js';
import { traceLines } from './trace.js';
import { interfacesLines } from './interfaces.js';
import { statusLines, upLines, downLines } from './status.js';
import { bgpAnyLines } from './bgp.js';
import { auditLines } from './audit.js';
import { helpText } from './help.js';
import { renderText } from './text.js';
import { textRenderers } from './registry.js';

// One <Text> per line holding its ANSI-styled string: a nested <Text> per segment cost
// several times more layout work, and a routing table is drawn within a frame budget.
export function LinesView({ lines, width }: { lines: Line[]; width: number }) {
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">{line.length === 0 ? ' ' : lineToAnsi(line, width)}</Text>
      ))}
    </Box>
  );
}

export const RoutesView = ({ result, width }: { result: RoutesResult; width: number }) => <LinesView lines={routesLines(result)} width={width} />;
export const PeersView = ({ result, width }: { result: PeersResult; width: number }) => <LinesView lines={peersLines(result, width)} width={width} />;
export const CheckView = ({ result, width }: { result: CheckResult; width: number }) => <LinesView lines={checkLines(result, true, width)} width={width} />;
export const TopoView = ({ result, width, states }: { result: TopoShowResult; width: number; states?: SessionStates }) => (
  <LinesView lines={topoLines(result, { width, states })} width={width} />
);

/** Session states from a peers result, keyed for the topo picture. */
export function statesFromPeers(r: PeersResult): SessionStates {
  return Object.fromEntries(r.peers.map((p) => [`${p.router}|${p.peer}`, p.state]));
}

const LINES: Record<string, (r: never, width: number) => Line[]> = {
  routes: (r: RoutesResult) => routesLines(r),
  peers: (r: PeersResult, w: number) => peersLines(r, w),
  check: (r: CheckResult, w: number) => checkLines(r, true, w),
  capture: captureLines,
  trace: traceLines,
  interfaces: interfacesLines,
  status: statusLines,
  up: upLines,
  down: downLines,
  bgp: bgpAnyLines,
  audit: auditLines,
};

/** The view of any command's result; unknown commands fall back to YAML like the CLI. */
export function ResultView({ command, result, width, states }: { command: string; result: unknown; width: number; states?: SessionStates }) {
  if (command === 'topo show') return <TopoView result={result as TopoShowResult} width={width} states={states} />;
  const lines = LINES[command];
  if (lines) return <LinesView lines={lines(result as never, width)} width={width} />;
  if (result === undefined || result === null) return null;
  // Every other command the CLI has a renderer for (drills, operator commands, render, topo):
  // the same text in colour, not YAML.
  if (textRenderers[command] && command !== 'help') {
    return (
      <Box flexDirection="column">
        {renderText(command, result, { color: true, width }).split('\n').map((l, i) => (
          <Text key={i} wrap="truncate-end">{l || ' '}</Text>
        ))}
      </Box>
    );
  }
  const text = command === 'help' ? helpText(result as never, { color: false, width }) : stringify(result).trimEnd();
  return <LinesView lines={text.split('\n').map((t) => [{ text: t }])} width={width} />;
}

export function ErrorView({ error }: { error: ErrorInfo }) {
  return (
    <Box flexDirection="column">
      <Text color="red" bold>✗ {error.message}</Text>
      {error.hint ? <Text color="gray">  {error.hint}</Text> : null}
    </Box>
  );
}
