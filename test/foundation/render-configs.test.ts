// VyOS config.boot and frr.conf carry every session and network of FABRIC.md (parsed, not
// compared as whole files).
import { describe, expect, it } from 'vitest';
import { loadTopology } from '../../lab/topology/load.js';
import { renderAll } from '../../lab/render/index.js';
import { fabricFacts } from './fabric.js';

type VyNode = Map<string, VyNode>;

/** VyOS curly-brace config → tree; `key value` leaves become a key with one child `value`. */
export function parseVyos(text: string): VyNode {
  const root: VyNode = new Map();
  const stack = [root];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('//') || line.startsWith('/*')) continue;
    const top = stack.at(-1)!;
    if (line === '}') {
      stack.pop();
      continue;
    }
    const words = line.replace(/ \{$/, '').match(/"[^"]*"|\S+/g)!.map((w) => w.replace(/^"|"$/g, ''));
    const opens = line.endsWith('{');
    // Tag nodes (`ethernet eth1 {`) and leaves (`remote-as 500`): key, then value as child.
    let node = top;
    for (const w of words) {
      if (!node.has(w)) node.set(w, new Map());
      node = node.get(w)!;
    }
    if (opens) stack.push(node);
  }
  if (stack.length !== 1) throw new Error('unbalanced braces');
  return root;
}

const at = (n: VyNode | undefined, ...path: string[]): VyNode | undefined => path.reduce<VyNode | undefined>((x, p) => x?.get(p), n);
const keys = (n: VyNode | undefined) => [...(n?.keys() ?? [])];

const topo = loadTopology();
const files = renderAll(topo);
const facts = fabricFacts();

describe('router configs carry FABRIC.md', () => {
  it('FABRIC.md gives four routers with their sessions', () => {
    expect(facts.map((r) => r.name)).toEqual(['spine0', 'spine1', 'leaf0', 'leaf1']);
    expect(facts.map((r) => r.neighbors.length)).toEqual([2, 2, 4, 4]);
  });

  for (const r of facts) {
    it(`VyOS ${r.name}: interfaces, system-as, router-id, multipath-relax, networks, neighbors${r.name.startsWith('leaf') ? ', NAT' : ''}`, () => {
      const cfg = parseVyos(files.find((f) => f.path === `startup-conf/${r.name}-boot.cfg`)!.content);
      for (const [ifname, addr] of Object.entries(r.interfaces)) {
        const itf = at(cfg, 'interfaces', 'ethernet', ifname);
        expect(keys(at(itf, 'address'))).toEqual([addr]);
        expect(keys(at(itf, 'mtu'))).toEqual(['9000']);
      }
      const bgp = at(cfg, 'protocols', 'bgp');
      expect(keys(at(bgp, 'system-as'))).toEqual([String(r.asn)]);
      expect(keys(at(bgp, 'parameters', 'router-id'))).toEqual([r.routerId]);
      expect(at(bgp, 'parameters', 'bestpath', 'as-path', 'multipath-relax')).toBeDefined();
      expect(keys(at(bgp, 'address-family', 'ipv4-unicast', 'network')).sort()).toEqual([...r.networks].sort());
      expect(keys(at(bgp, 'neighbor')).sort()).toEqual(r.neighbors.map((n) => n.address).sort());
      for (const n of r.neighbors) {
        const nb = at(bgp, 'neighbor', n.address);
        expect(keys(at(nb, 'remote-as')), n.address).toEqual([String(n.asn)]);
        const af = at(nb, 'address-family', 'ipv4-unicast');
        expect(af?.has('route-reflector-client') ?? false, `${n.address} rr-client`).toBe(n.rrClient);
        expect(af?.has('nexthop-self') ?? false, `${n.address} nexthop-self`).toBe(n.nexthopSelf);
      }
      const rule = at(cfg, 'nat', 'source', 'rule');
      if (r.name.startsWith('leaf')) {
        const [num] = keys(rule);
        expect(keys(at(rule, num!, 'outbound-interface'))).toEqual(['eth0']);
        expect(keys(at(rule, num!, 'source', 'address'))).toEqual(['10.1.0.0/16']);
        expect(keys(at(rule, num!, 'translation', 'address'))).toEqual(['masquerade']);
      } else expect(rule).toBeUndefined();
    });

    for (const fast of [false, true]) {
      it(`FRR ${r.name}${fast ? ' (fast timers)' : ''}: router bgp, networks, neighbors, rr-client, next-hop-self`, () => {
        const conf = renderAll(topo, { fastTimers: fast }).find((f) => f.path === `frr/${r.name}.conf`)!.content;
        const lines = conf.split('\n').map((l) => l.trim());
        expect(lines).toContain(`router bgp ${r.asn}`);
        expect(lines).toContain(`bgp router-id ${r.routerId}`);
        expect(lines).toContain('bgp bestpath as-path multipath-relax');
        expect(lines.filter((l) => l.startsWith('network ')).map((l) => l.split(' ')[1]).sort()).toEqual([...r.networks].sort());
        const remote = lines.filter((l) => / remote-as /.test(l)).map((l) => l.split(' '));
        expect(remote.map((w) => `${w[1]} ${w[3]}`).sort()).toEqual(r.neighbors.map((n) => `${n.address} ${n.asn}`).sort());
        for (const n of r.neighbors) {
          expect(lines.includes(`neighbor ${n.address} route-reflector-client`), `${n.address} rr`).toBe(n.rrClient);
          expect(lines.includes(`neighbor ${n.address} next-hop-self`), `${n.address} nhs`).toBe(n.nexthopSelf);
        }
        for (const [ifname, addr] of Object.entries(r.interfaces)) {
          const i = lines.indexOf(`interface ${ifname}`);
          expect(lines.slice(i, lines.indexOf('exit', i))).toContain(`ip address ${addr}`);
        }
        expect(lines.some((l) => l.endsWith('timers connect 1'))).toBe(fast);
      });
    }
  }
});
