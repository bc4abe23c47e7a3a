// An empty `/bgp-lab`: a short start for the one who asked (ephemeral), not the whole command
// list in front of the channel. The buttons run commands with the clicker's permission.
import { context, esc, section, type SlackMessage } from './blocks.js';
import { runButton } from './up.js';

export function renderQuickHelp(leaf = 'leaf0'): SlackMessage {
  const ex = (line: string, what: string) => `• \`/bgp-lab ${esc(line)}\` — ${what}`;
  return {
    text: 'bgp-lab: type /bgp-lab <command>',
    blocks: [
      section(
        [
          '*bgp-lab* — a Cilium BGP leaf/spine lab. Type `/bgp-lab <command>`:',
          ex('status', 'is the lab up, are its daemons alive'),
          ex('peers', 'every BGP session and its state'),
          ex(`routes ${leaf}`, "a router's routing table"),
          ex('check', 'can every pod reach every other pod'),
          ex('graph', 'a picture of the fabric with live state'),
          ex(`vtysh ${leaf} show ip bgp summary`, "FRR's own answer"),
        ].join('\n'),
      ),
      { type: 'actions', elements: [runButton('Status', 'status'), runButton('Peers', 'peers'), runButton('Graph', 'graph'), runButton('Check', 'check'), runButton('All commands', 'help --quiet')] },
      context('only you see this · add `--quiet` to any command to keep its answer to yourself'),
    ],
  };
}
