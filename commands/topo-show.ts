import { z } from 'zod';
import { defineCommand } from './types.js';
import { podsOf, podCidrOf, sessions, type ExpectedSession, type Pod } from '../lab/topology/model.js';

export interface TopoShowResult {
  name: string;
  routers: { name: string; role: string; asn: number; routerId: string; interfaces: { name: string; address: string; mtu: number }[] }[];
  links: { a: string; b: string; subnet?: string }[];
  racks: { name: string; leaf: string; bridge: string; subnet: string; gateway: string; nodes: string[] }[];
  nodes: { name: string; role: string; ip: string; rack: string; podCIDR: string; policy?: string; localAsn?: number }[];
  pods: Pod[];
  /** Each session; `state` is its live state when the lab is up. */
  sessions: (ExpectedSession & { state?: string })[];
}

export default defineCommand({
  name: 'topo show',
  summary: 'The fabric as a picture and a summary: routers, links, racks, nodes, pods and BGP sessions',
  aliases: ['topo'],
  positionals: [],
  args: z.object({}),
  permission: 'read',
  async handler(_args, ctx): Promise<TopoShowResult> {
    const t = ctx.topology;
    // On a running lab the picture shows each session's state; without one, the plan alone.
    const driver = await ctx.driver().catch(() => undefined);
    let states: Map<string, string> | undefined;
    if (driver && (await driver.record().catch(() => undefined))) {
      const { collectPeerRows, sessionRows } = await import('../lab/inspect/peers.js');
      const rows = sessionRows(t, await collectPeerRows(driver, t));
      states = new Map(rows.map((r) => [`${r.router}|${r.peerAddress}`, r.state]));
    }
    const { policyForNode } = await import('../lab/topology/model.js');
    const { networkOf } = await import('../lab/topology/ip.js');
    return {
      name: t.name,
      routers: t.routers.map((r) => ({
        name: r.name,
        role: r.role,
        asn: r.asn,
        routerId: r.routerId,
        interfaces: r.interfaces.map((i) => ({ name: i.name, address: i.address, mtu: i.mtu })),
      })),
      links: t.links.map((l) => {
        const [dev, ifname] = l.endpoints[0].split(':');
        const itf = t.routers.find((r) => r.name === dev)?.interfaces.find((i) => i.name === ifname);
        return { a: l.endpoints[0], b: l.endpoints[1], subnet: itf ? networkOf(itf.address) : undefined };
      }),
      racks: t.racks.map((r) => ({
        name: r.name,
        leaf: r.leaf,
        bridge: r.bridge,
        subnet: r.subnet,
        gateway: r.gateway,
        nodes: t.cluster.nodes.filter((n) => n.rack === r.name).map((n) => n.name),
      })),
      nodes: t.cluster.nodes.map((n) => {
        const p = policyForNode(t, n);
        return { name: n.name, role: n.role, ip: n.ip, rack: n.rack, podCIDR: podCidrOf(t, n), policy: p?.name, localAsn: p?.virtualRouters[0]?.localASN };
      }),
      pods: podsOf(t),
      sessions: sessions(t).map((x) => ({ ...x, state: states?.get(`${x.device}|${x.peerAddress}`) })),
    };
  },
});
