// Every command of the core, in the order `help` lists them. A new command is one file
// in commands/ plus one line here (and a renderer per surface).
import type { CommandSpec } from './types.js';
import help, { bindHelpRegistry } from './help.js';
import topoValidate from './topo-validate.js';
import topoShow from './topo-show.js';
import topoGenerate from './topo-generate.js';
import render from './render.js';
import audit from './audit.js';
import up from './up.js';
import down from './down.js';
import status from './status.js';
import routes from './routes.js';
import bgp from './bgp.js';
import peers from './peers.js';
import check from './check.js';
import trace from './trace.js';
import interfaces from './interfaces.js';
import capture from './capture.js';
import drillList from './drill-list.js';
import drillStart from './drill-start.js';
import drillStatus from './drill-status.js';
import drillHint from './drill-hint.js';
import drillCheck from './drill-check.js';
import drillEnd from './drill-end.js';
import drillScores from './drill-scores.js';
import drillRole from './drill-role.js';
import drillNote from './drill-note.js';
import drillReport from './drill-report.js';
import drillSchedule from './drill-schedule.js';
import drillWatch from './drill-watch.js';
import drillProber from './drill-prober.js';
import drillGuard from './drill-guard.js';
import link from './link.js';
import agentRestart from './agent-restart.js';
import routerRestart from './router-restart.js';
import policyShow from './policy-show.js';
import policySet from './policy-set.js';
import policyMigrate from './policy-migrate.js';
import netem from './netem.js';
import vtysh from './vtysh.js';
import exec from './exec.js';
import graph from './graph.js';
import services from './services.js';
import explain from './explain.js';
import serviceSet from './service-set.js';
import serviceLabel from './service-label.js';
import workloadScale from './workload-scale.js';
import watch from './watch.js';
import connect from './connect.js';

export const commands: CommandSpec[] = [
  help,
  up,
  down,
  status,
  routes,
  bgp,
  peers,
  check,
  trace,
  interfaces,
  capture,
  drillList,
  drillStart,
  drillStatus,
  drillHint,
  drillCheck,
  drillEnd,
  drillScores,
  drillRole,
  drillNote,
  drillReport,
  drillSchedule,
  drillWatch,
  drillProber,
  drillGuard,
  link,
  agentRestart,
  routerRestart,
  policyShow,
  policySet,
  policyMigrate,
  netem,
  vtysh,
  exec,
  graph,
  services,
  explain,
  serviceSet,
  serviceLabel,
  workloadScale,
  watch,
  connect,
  topoValidate,
  topoShow,
  topoGenerate,
  render,
  audit,
] as CommandSpec[];

bindHelpRegistry(() => commands);

export function findCommand(name: string): CommandSpec | undefined {
  return commands.find((c) => c.name === name);
}
