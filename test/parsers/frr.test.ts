// FRR 8.4's own JSON for a static blackhole beating two BGP next hops (captured from leaf1 in the
// leaf-blackhole drill), drawn as vtysh draws it.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseRouteTable } from '../../lab/parsers/frr.js';
import { routesText } from '../../src/render/routes.js';

const json = readFileSync(new URL('./frr-route-blackhole.json', import.meta.url), 'utf8');

describe('FRR route JSON', () => {
  it('reads a blackhole next hop, and no FIB mark on the route that lost', () => {
    const [stat, bgp] = parseRouteTable(json);
    expect(stat).toMatchObject({ protocol: 'static', selected: true, installed: true, nexthops: [{ unreachable: 'blackhole', fib: true }] });
    expect(bgp!.selected).toBe(false);
    expect(bgp!.nexthops.map((h) => [h.ip, h.fib])).toEqual([['10.1.11.2', false], ['10.1.34.2', false]]);
  });
  it('renders them the way `show ip route` does', () => {
    const text = routesText({ router: 'leaf1', kind: 'router', routes: parseRouteTable(json) }, { color: false, width: 200 });
    expect(text).toMatch(/^S>\* 10\.98\.0\.0\/24 \[1\/0\] unreachable \(blackhole\), weight 1, /m);
    expect(text).toMatch(/^B {3}10\.98\.0\.0\/24 \[20\/0\] via 10\.1\.11\.2, eth2, weight 1, /m);
    expect(text).toMatch(/^ {24}via 10\.1\.34\.2, eth1, weight 1, /m);
  });
});
