import { z } from 'zod';
import { defineCommand } from './types.js';
import type { InterfacesResult } from './results.js';
import { resolveDevice } from './names.js';

interface IpLink {
  ifname: string;
  flags: string[];
  mtu: number;
  addr_info?: { family: string; local: string; prefixlen: number }[];
}

export default defineCommand({
  name: 'interfaces',
  summary: "A router's or node's interfaces as `show interfaces` lists them: addresses, state, MTU against the intended one, the far end",
  examples: ['interfaces leaf0', 'interfaces spine0', 'interfaces worker2'],
  positionals: [{ name: 'device', complete: 'device' }],
  args: z.object({ device: z.string().describe('router (spine0, leaf0, …) or node') }),
  permission: 'read',
  async handler(args, ctx): Promise<InterfacesResult> {
    const dev = resolveDevice(ctx.topology, args.device, ['router', 'node']);
    const driver = await ctx.driver();
    const r = await driver.exec(dev.name, ['ip', '-j', 'addr', 'show']);
    const links = JSON.parse(r.stdout || '[]') as IpLink[];
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
        };
      }),
    };
  },
});
