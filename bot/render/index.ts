// Block Kit renderer per command, keyed by command name like the terminal's registry.
// Commands without one get their result as YAML; every message goes through fit().
import { stringify } from 'yaml';
import { fit, type SlackMessage } from './blocks.js';
import { renderRoutes } from './routes.js';
import { renderBgp, renderPeers } from './peers.js';
import { renderCheck } from './check.js';
import { renderInterfaces } from './interfaces.js';
import { renderStatus } from './status.js';
import { renderDown, renderUp } from './up.js';
import { renderPolicyMigrate, renderRender, renderTopoGenerate } from './files.js';
import { renderAudit, renderCapture, renderHelp, renderTopo, renderTrace, renderYaml } from './misc.js';
import {
  renderDrillCheck, renderDrillEnd, renderDrillHint, renderDrillList, renderDrillScores, renderDrillStart, renderDrillStatus,
  renderLink, renderNetem, renderPolicySet, renderPolicyShow, renderRestart,
} from './drill.js';
import { renderExplain, renderServiceEdit, renderServices } from './services.js';

import { renderExec, renderVtysh } from './shell.js';
import { renderGraph } from './graph.js';
import { renderDrillNote, renderDrillProber, renderDrillReport, renderDrillRole, renderDrillSchedule } from './gameday.js';

type Renderer = (result: never) => SlackMessage;

export const slackRenderers: Record<string, Renderer> = {
  routes: renderRoutes,
  peers: renderPeers,
  bgp: renderBgp,
  check: renderCheck,
  status: renderStatus,
  up: renderUp,
  down: renderDown,
  trace: renderTrace,
  interfaces: renderInterfaces,
  capture: renderCapture,
  help: renderHelp,
  'topo show': renderTopo,
  render: renderRender,
  'topo generate': renderTopoGenerate,
  audit: renderAudit,
  'drill list': renderDrillList,
  'drill start': renderDrillStart,
  'drill status': renderDrillStatus,
  'drill hint': renderDrillHint,
  'drill check': renderDrillCheck,
  'drill end': renderDrillEnd,
  'drill scores': renderDrillScores,
  'drill role': renderDrillRole,
  'drill note': renderDrillNote,
  'drill report': renderDrillReport,
  'drill schedule': renderDrillSchedule,
  'drill prober': renderDrillProber,
  link: renderLink,
  'agent restart': renderRestart,
  'router restart': renderRestart,
  'policy show': renderPolicyShow,
  'policy set': renderPolicySet,
  'policy migrate': renderPolicyMigrate,
  netem: renderNetem,
  vtysh: renderVtysh,
  exec: renderExec,
  graph: renderGraph,
  services: renderServices,
  explain: renderExplain,
  'service set': renderServiceEdit,
  'service label': renderServiceEdit,
  'workload scale': renderServiceEdit,
};

export function renderResult(command: string, result: unknown, hints: { leaf?: string; line?: string } = {}): SlackMessage {
  const r = slackRenderers[command];
  const msg = command === 'up' ? renderUp(result as never, hints.leaf)
    : command === 'check' ? renderCheck(result as never, hints.line)
    : r ? r(result as never) : renderYaml(command, result);
  return fit(msg, () => stringify(result ?? null));
}

export { renderError } from './misc.js';
export type { SlackMessage } from './blocks.js';
