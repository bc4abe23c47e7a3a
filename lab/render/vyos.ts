// VyOS config.boot per router (curly-brace syntax), booted by the real lab's containers.
// VyOS 1.4 syntax: the image is burlyluo/vyos:1.4.0, and 1.4 moved the AS number from the
// node name (`protocols bgp 65005 { … }`, 1.3) to `protocols bgp { system-as 65005 }`;
// the 1.3 form no longer validates there.
import type { Router, Topology } from '../topology/schema.js';
import { isV6, networkOf } from '../topology/ip.js';

type Tree = { [key: string]: Tree | string | null };

const quote = (v: string) => (/^[\w./:-]+$/.test(v) ? v : `"${v.replace(/"/g, '\\"')}"`);

function serialize(tree: Tree, depth = 0): string[] {
  const pad = '    '.repeat(depth);
  const out: string[] = [];
  for (const [key, value] of Object.entries(tree)) {
    if (value === null) out.push(`${pad}${key}`);
    else if (typeof value === 'string') out.push(`${pad}${key} ${quote(value)}`);
    else out.push(`${pad}${key} {`, ...serialize(value, depth + 1), `${pad}}`);
  }
  return out;
}

export function vyosTree(topo: Topology, router: Router): Tree {
  const ethernet: Tree = {};
  for (const itf of router.interfaces) {
    const node: Tree = { address: itf.address };
    // Dual stack: VyOS takes a second `address` line for the IPv6 one.
    if (itf.address6) node[`address ${itf.address6}`] = null;
    if (itf.description) node.description = itf.description;
    node.mtu = String(itf.mtu);
    ethernet[`ethernet ${itf.name}`] = node;
  }
  const networks: Tree = {};
  const networks6: Tree = {};
  for (const n of router.networks) (isV6(n) ? networks6 : networks)[`network ${networkOf(n)}`] = {};
  const bgp: Tree = { 'address-family': { 'ipv4-unicast': networks, ...(Object.keys(networks6).length ? { 'ipv6-unicast': networks6 } : {}) } };
  for (const n of router.neighbors) {
    const af: Tree = {};
    if (n.nexthopSelf) af['nexthop-self'] = {};
    if (n.routeReflectorClient) af['route-reflector-client'] = null;
    // VyOS renders `no bgp default ipv4-unicast`: a neighbor carries the families listed under it,
    // so an IPv6 neighbor gets ipv6-unicast alone (dual stack), an IPv4 one ipv4-unicast.
    const node: Tree = { 'address-family': { [isV6(n.address) ? 'ipv6-unicast' : 'ipv4-unicast']: af } };
    if (n.description) node.description = n.description;
    node['remote-as'] = String(n.asn);
    bgp[`neighbor ${n.address}`] = node;
  }
  // Both spine paths (AS 500 and AS 800) differ in AS path; relax keeps them as ECMP.
  bgp.parameters = { bestpath: { 'as-path': { 'multipath-relax': null } }, 'router-id': router.routerId };
  bgp['system-as'] = String(router.asn);
  const tree: Tree = { interfaces: { ...ethernet, 'loopback lo': {} }, protocols: { bgp } };
  if (router.nat) {
    tree.nat = {
      source: {
        'rule 100': {
          'outbound-interface': router.nat.outboundInterface,
          source: { address: router.nat.source },
          translation: { address: 'masquerade' },
        },
      },
    };
  }
  tree.system = { 'host-name': router.name };
  return tree;
}

// Without a version footer VyOS runs every migration script from version 0, and the old BGP
// migration would read `system-as` as an AS number; the footer says this is already 1.4 syntax.
const VERSION_FOOTER = [
  '// Warning: Do not remove the following line.',
  '// vyos-config-version: "bgp@4:interfaces@28:nat@5:system@25"',
];

export function renderVyosConfig(topo: Topology, router: Router): string {
  return [...serialize(vyosTree(topo, router)), ...VERSION_FOOTER, ''].join('\n');
}
