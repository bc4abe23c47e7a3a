// What the devices' kernels say about their fabric interfaces, against the model: admin state,
// carrier, MTU off its intended value, and nftables rules that drop what an interface carries.
// `check` names these first when they lie on a failing path; `status` lists them as drift,
// each with the command that puts it back.
import type { Driver } from '../drivers/types.js';
import type { Topology } from '../topology/schema.js';

/** containerlab's veth MTU: a node's net0 (kept here, not imported, so lab/inspect stays driver-free). */
const NODE_MTU = 9500;

export interface Drift {
  device: string;
  iface?: string;
  /** One line: `spine0 eth1 has MTU 1300 (intended 9000)`. */
  what: string;
  /** The operator command that puts it back. */
  fix?: string;
  kind: 'admin-down' | 'mtu' | 'drop' | 'no-carrier';
}

interface IpLink {
  ifname: string;
  flags: string[];
  mtu: number;
}

interface NftRule {
  table: string;
  expr: Record<string, unknown>[];
}

/** The interfaces of the model on one router or node, with the model's intended MTU and far end. */
function fabricInterfaces(topo: Topology, device: string): { name: string; mtu: number; peer?: string }[] {
  const router = topo.routers.find((r) => r.name === device);
  const peerOf = (iface: string) => topo.links.find((l) => l.endpoints.includes(`${device}:${iface}`))?.endpoints.find((e) => e !== `${device}:${iface}`)?.replace(':', ' ');
  if (router) {
    return router.interfaces.map((i) => {
      const rack = topo.racks.find((k) => k.leaf === device && k.leafInterface === i.name);
      return { name: i.name, mtu: i.mtu, peer: rack ? `${rack.name} LAN` : peerOf(i.name) };
    });
  }
  const node = topo.cluster.nodes.find((n) => n.name === device);
  return node ? [{ name: node.interface, mtu: NODE_MTU, peer: `${node.rack} LAN` }] : [];
}

/** Drift on the given devices' fabric interfaces (all routers and nodes when none given). Devices that cannot be read are skipped. */
export async function readDrift(driver: Driver, topo: Topology, devices?: string[], signal?: AbortSignal): Promise<Drift[]> {
  const all = devices ?? [...topo.routers.map((r) => r.name), ...topo.cluster.nodes.map((n) => n.name)];
  const per = await Promise.all(
    all.map(async (device): Promise<Drift[]> => {
      const want = fabricInterfaces(topo, device);
      if (!want.length) return [];
      const isRouter = topo.routers.some((r) => r.name === device);
      const [links, rules] = await Promise.all([
        driver.exec(device, ['ip', '-j', 'link', 'show'], { signal }),
        isRouter ? driver.exec(device, ['nft', '-j', 'list', 'ruleset'], { signal }) : undefined,
      ]);
      if (links.exitCode !== 0) return [];
      const have = new Map((JSON.parse(links.stdout || '[]') as IpLink[]).map((l) => [l.ifname, l]));
      const out: Drift[] = [];
      for (const i of want) {
        const l = have.get(i.name);
        if (!l) continue;
        const toward = i.peer ? ` (toward ${i.peer})` : '';
        if (!l.flags.includes('UP')) out.push({ device, iface: i.name, kind: 'admin-down', what: `${device} ${i.name}${toward} is admin down`, fix: `link ${device} ${i.name} up` });
        else if (!l.flags.includes('LOWER_UP')) out.push({ device, iface: i.name, kind: 'no-carrier', what: `${device} ${i.name}${toward} has no carrier (its far end is down)` });
        if (l.mtu !== i.mtu) out.push({ device, iface: i.name, kind: 'mtu', what: `${device} ${i.name}${toward} has MTU ${l.mtu} (intended ${i.mtu})`, fix: `link ${device} ${i.name} up --mtu ${i.mtu}` });
      }
      if (rules && rules.exitCode === 0) out.push(...dropRules(device, rules.stdout, new Set(want.map((w) => w.name))));
      return out;
    }),
  );
  return per.flat();
}

/** nftables rules with a drop verdict bound to an interface (`oifname "eth2" … drop`). */
function dropRules(device: string, json: string, ifaces: Set<string>): Drift[] {
  let items: { rule?: NftRule }[];
  try {
    items = (JSON.parse(json) as { nftables: { rule?: NftRule }[] }).nftables;
  } catch {
    return [];
  }
  const out: Drift[] = [];
  for (const { rule } of items) {
    if (!rule || !rule.expr.some((e) => 'drop' in e)) continue;
    const text = JSON.stringify(rule.expr);
    const m = /"key":"(oifname|iifname)"\}\},"right":"([^"]+)"/.exec(text);
    if (!m || !ifaces.has(m[2]!)) continue;
    const pct = dropPercent(rule.expr);
    const what = pct ? `about ${pct}% of the packets` : 'packets';
    out.push({
      device,
      iface: m[2],
      kind: 'drop',
      what: `${device} ${m[2]} drops ${what} it ${m[1] === 'oifname' ? 'sends' : 'receives'} (nftables table ${rule.table})`,
      fix: rule.table.startsWith('bgplab-netem-') ? `netem ${device} ${m[2]} --clear` : undefined,
    });
  }
  return out;
}

/** The share a `numgen … mod M` match lets through to the drop: `< R` drops R/M, `== R` one in M. */
function dropPercent(expr: Record<string, unknown>[]): number | undefined {
  for (const e of expr) {
    const m = e.match as { op?: string; left?: { numgen?: { mod?: number } }; right?: unknown } | undefined;
    const mod = m?.left?.numgen?.mod;
    if (!mod || typeof m.right !== 'number') continue;
    if (m.op === '<') return Math.round((100 * m.right) / mod);
    if (m.op === '==') return Math.round(100 / mod);
  }
  return undefined;
}
