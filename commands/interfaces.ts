import { z } from 'zod';
import { defineCommand } from './types.js';
import type { InterfacesResult } from './results.js';
import { resolveDevice } from './names.js';

interface IpLink {
  ifname: string;
  flags: string[];
  mtu: number;
  addr_info?: { family: string; local: string; prefixlen: number }[];
  stats64?: { rx?: Counters; tx?: Counters };
}

interface Counters {
  bytes?: number;
  packets?: number;
  errors?: number;
  dropped?: number;
}

interface TcQdisc {
  kind: string;
  dev?: string;
  root?: boolean;
  options?: Record<string, unknown>;
}

/** `tc -j qdisc` options as tc prints them: `netem delay 50ms loss 5%`. */
function qdiscText(q: TcQdisc): string {
  const o = q.options ?? {};
  if (q.kind !== 'netem') return q.kind;
  const delay = (o.delay as { delay?: number } | undefined)?.delay;
  const loss = (o['loss-random'] as { loss?: number } | undefined)?.loss;
  return ['netem', ...(delay ? [`delay ${Math.round(delay * 1000)}ms`] : []), ...(loss ? [`loss ${Math.round(loss * 1000) / 10}%`] : [])].join(' ');
}

export default defineCommand({
  name: 'interfaces',
  summary: "A router's or node's interfaces as `show interfaces` lists them: addresses, state, MTU against the intended one, the far end, RX/TX counters, the qdisc and any nftables rule dropping there",
  examples: ['interfaces leaf0', 'interfaces spine0', 'interfaces worker2'],
  positionals: [{ name: 'device', complete: 'device' }],
  args: z.object({ device: z.string().describe('router (spine0, leaf0, …) or node') }),
  permission: 'read',
  async handler(args, ctx): Promise<InterfacesResult> {
    const dev = resolveDevice(ctx.topology, args.device, ['router', 'node']);
    const driver = await ctx.driver();
    // Three reads in the device's namespace, at once: addresses with counters, qdiscs, nftables.
    const [r, tc, nft] = await Promise.all([
      driver.exec(dev.name, ['ip', '-s', '-j', 'addr', 'show']),
      driver.exec(dev.name, ['tc', '-j', 'qdisc', 'show']),
      driver.exec(dev.name, ['nft', 'list', 'ruleset']),
    ]);
    const links = JSON.parse(r.stdout || '[]') as IpLink[];
    const qdiscs = tc.exitCode === 0 ? (JSON.parse(tc.stdout || '[]') as TcQdisc[]) : [];
    const { parseNftDropRules } = await import('../lab/parsers/nft.js');
    const drops = nft.exitCode === 0 ? parseNftDropRules(nft.stdout) : [];
    const topo = ctx.topology;
    const router = topo.routers.find((x) => x.name === dev.name);
    const node = topo.cluster.nodes.find((x) => x.name === dev.name);
    // The far end of each cabled interface, from the model's links and rack bridges.
    const [{ podsOf }, { CLAB_MTU }] = await Promise.all([import('../lab/topology/model.js'), import('../lab/drivers/embedded/fabric.js')]);
    const pods = podsOf(topo, (await driver.record())?.podsPerNode).filter((p) => p.node === dev.name);
    const peerOf = (iface: string): string | undefined => {
      const lxc = /^lxc(\d+)$/.exec(iface);
      if (node && lxc) return pods[Number(lxc[1])] ? `${pods[Number(lxc[1])]!.name}:eth0` : undefined;
      const link = topo.links.find((l) => l.endpoints.includes(`${dev.name}:${iface}`));
      if (link) return link.endpoints.find((e) => e !== `${dev.name}:${iface}`);
      const rack = topo.racks.find((k) => (k.leaf === dev.name && k.leafInterface === iface) || (node?.rack === k.name && node.interface === iface));
      return rack ? `${rack.bridge} (${rack.name} LAN)` : undefined;
    };
    return {
      device: dev.name,
      kind: dev.kind as 'router' | 'node',
      interfaces: links.map((l) => {
        const intended = router?.interfaces.find((i) => i.name === l.ifname);
        const intendedMtu = intended?.mtu ?? (node && l.ifname === node.interface ? CLAB_MTU : undefined);
        return {
          name: l.ifname,
          addresses: (l.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`),
          adminUp: l.flags.includes('UP'),
          carrier: l.flags.includes('LOWER_UP'),
          mtu: l.mtu,
          intendedMtu,
          peer: peerOf(l.ifname),
          description: intended?.description,
          stats: l.stats64 ? statsOf(l.stats64) : undefined,
          qdisc: ((q) => (q ? qdiscText(q) : undefined))(qdiscs.find((q) => q.dev === l.ifname && q.root)),
          dropRules: drops.filter((d) => d.iface === l.ifname).map(({ iface: _, ...rest }) => rest),
        };
      }),
    };
  },
});

function statsOf(s: { rx?: Counters; tx?: Counters }) {
  return {
    rxPackets: s.rx?.packets ?? 0,
    rxBytes: s.rx?.bytes ?? 0,
    rxErrors: s.rx?.errors ?? 0,
    rxDropped: s.rx?.dropped ?? 0,
    txPackets: s.tx?.packets ?? 0,
    txBytes: s.tx?.bytes ?? 0,
    txErrors: s.tx?.errors ?? 0,
    txDropped: s.tx?.dropped ?? 0,
  };
}
