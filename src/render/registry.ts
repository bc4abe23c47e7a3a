// Text renderer per command. Each renderer file exports a function (result, opts) => string.
import type { TextOptions } from './text.js';
import { helpText } from './help.js';
import { routesText } from './routes.js';
import { peersText } from './peers.js';
import { checkText } from './check.js';
import { captureText } from './capture.js';
import { traceText } from './trace.js';
import { interfacesText } from './interfaces.js';
import { statusText, upText, downText } from './status.js';
import { bgpText } from './bgp.js';
import { auditText } from './audit.js';
import { topoText } from './topo.js';
import { renderResultText } from './render.js';
import { topoGenerateText } from './topo-generate.js';
import { topoValidateText } from './topo-validate.js';
import { drillListText, drillStartText, drillStatusText, drillHintText, drillCheckText, drillEndText, drillScoresText, drillProberText } from './drill.js';
import { linkText, restartText, policyShowText, policySetText, netemText, policyMigrateText } from './drill-ops.js';

import { vtyshText, execText } from './shell.js';
import { graphText } from './graph.js';
import { servicesText, explainText, serviceEditText } from './services.js';

import { watchText } from './watch.js';
import { connectText } from './connect.js';
import { drillNoteText, drillReportText, drillRoleText, drillScheduleText } from './gameday.js';

export type TextRenderer = (result: never, opts: TextOptions) => string;

export const textRenderers: Record<string, TextRenderer> = {
  help: helpText as TextRenderer,
  routes: routesText as TextRenderer,
  peers: peersText as TextRenderer,
  watch: watchText as TextRenderer,
  check: checkText as TextRenderer,
  capture: captureText as TextRenderer,
  trace: traceText as TextRenderer,
  interfaces: interfacesText as TextRenderer,
  status: statusText as TextRenderer,
  up: upText as TextRenderer,
  down: downText as TextRenderer,
  bgp: bgpText as TextRenderer,
  audit: auditText as TextRenderer,
  'topo show': topoText as TextRenderer,
  render: renderResultText as TextRenderer,
  'topo generate': topoGenerateText as TextRenderer,
  'topo validate': topoValidateText as TextRenderer,
  'drill list': drillListText as TextRenderer,
  'drill start': drillStartText as TextRenderer,
  'drill status': drillStatusText as TextRenderer,
  'drill hint': drillHintText as TextRenderer,
  'drill check': drillCheckText as TextRenderer,
  'drill end': drillEndText as TextRenderer,
  'drill scores': drillScoresText as TextRenderer,
  'drill role': drillRoleText as TextRenderer,
  'drill note': drillNoteText as TextRenderer,
  'drill report': drillReportText as TextRenderer,
  'drill schedule': drillScheduleText as TextRenderer,
  'drill prober': drillProberText as TextRenderer,
  'link': linkText as TextRenderer,
  'agent restart': restartText as TextRenderer,
  'router restart': restartText as TextRenderer,
  'policy show': policyShowText as TextRenderer,
  'policy set': policySetText as TextRenderer,
  'policy migrate': policyMigrateText as TextRenderer,
  'netem': netemText as TextRenderer,
  vtysh: vtyshText as TextRenderer,
  exec: execText as TextRenderer,
  graph: graphText as TextRenderer,
  services: servicesText as TextRenderer,
  explain: explainText as TextRenderer,
  'service set': serviceEditText as TextRenderer,
  'service label': serviceEditText as TextRenderer,
  'workload scale': serviceEditText as TextRenderer,
  connect: connectText as TextRenderer,
};
