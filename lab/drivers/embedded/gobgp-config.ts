// gobgpd configuration of a node, from the CiliumBGPPeeringPolicy that selects it, the way
// Cilium's BGP control plane configures its embedded GoBGP: localASN, router-id = node IP,
// one neighbor per policy neighbor with its timers. Cilium never installs learned routes,
// and neither does gobgpd without zebra.
import type { KubeNode, PeeringPolicy } from '../../topology/schema.js';
import { addressOf } from '../../topology/ip.js';

export interface AgentTimers {
  connectRetry: number;
  holdTime: number;
  keepalive: number;
}

/** Cilium 1.14 defaults (connectRetry 120 s, hold 90 s, keepalive 30 s) vs the embedded lab's fast ones. */
export const CILIUM_TIMERS: AgentTimers = { connectRetry: 120, holdTime: 90, keepalive: 30 };
export const FAST_TIMERS: AgentTimers = { connectRetry: 1, holdTime: 9, keepalive: 3 };

export function renderGobgpConfig(node: KubeNode, policy: PeeringPolicy, fast: boolean): string {
  const vr = policy.virtualRouters[0]!;
  const base = fast ? FAST_TIMERS : CILIUM_TIMERS;
  const lines = [
    `# ${node.name}: CiliumBGPPeeringPolicy ${policy.name} — rendered by bgp-lab`,
    '[global.config]',
    `  as = ${vr.localASN}`,
    `  router-id = "${node.ip}"`,
    `  local-address-list = ["${node.ip}"]`,
    '  port = 179',
  ];
  for (const n of vr.neighbors) {
    const t = {
      connectRetry: fast ? base.connectRetry : n.connectRetryTimeSeconds ?? base.connectRetry,
      holdTime: fast ? base.holdTime : n.holdTimeSeconds ?? base.holdTime,
      keepalive: fast ? base.keepalive : n.keepAliveTimeSeconds ?? base.keepalive,
    };
    lines.push(
      '',
      '[[neighbors]]',
      '  [neighbors.config]',
      `    neighbor-address = "${addressOf(n.peerAddress)}"`,
      `    peer-as = ${n.peerASN}`,
      '  [neighbors.timers.config]',
      `    connect-retry = ${t.connectRetry}`,
      `    hold-time = ${t.holdTime}`,
      `    keepalive-interval = ${t.keepalive}`,
      '  [neighbors.transport.config]',
      `    local-address = "${node.ip}"`,
      '  [[neighbors.afi-safis]]',
      '    [neighbors.afi-safis.config]',
      '      afi-safi-name = "ipv4-unicast"',
    );
  }
  return lines.join('\n') + '\n';
}
