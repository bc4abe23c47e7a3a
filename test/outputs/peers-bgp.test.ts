// `peers` as the Cilium agent of the lab's version prints it, and `bgp` as FRR shows it: AS
// paths, per-neighbor advertised/received routes, a node's `cilium bgp routes`. One seed lab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, eventually, labName, ok, session } from '../helpers/lab.js';
import type { BgpResult, BgpRoutesResult, PeerRow, PeersResult } from '../../commands/results.js';
import { renderText } from '../../src/render/text.js';
import { tabwriter, ciliumPeerCells } from '../../src/render/cilium-table.js';

const lab = labName('outputs-peers');
const s = session(lab);

beforeAll(async () => {
  await ok(s, 'up');
});
afterAll(async () => {
  await cli(['--lab', lab, 'down']);
});

// cilium/cmd/bgp_peer_get.go (1.14): tabwriter minwidth 5, padding 3, `%s:%d` address, lowercase state.
const HEADER = 'Local AS   Peer AS   Peer Address   Session       Uptime   Family         Received   Advertised';

describe('peers: node rows as `cilium bgp peers` (1.14, the seed)', () => {
  it('prints each node with the agent command, header, address:port, lowercase state, one row per family', async () => {
    const r = await ok<PeersResult>(s, 'peers');
    expect(r.nodeCommand).toBe('cilium bgp peers');
    const text = renderText('peers', r, { color: false, width: 200 });
    const lines = text.split('\n');
    const nodes = r.peers.filter((p) => p.kind === 'node');
    expect(nodes).toHaveLength(4);
    for (const n of nodes) {
      const at = lines.indexOf(`${n.router}  $ cilium bgp peers`);
      expect(at, text).toBeGreaterThanOrEqual(0);
      expect(lines[at + 1]).toBe(HEADER);
      // e.g. "65005      65005     10.1.5.1:179   established   4s       ipv4/unicast   10         1"
      expect(lines[at + 2]).toMatch(new RegExp(`^${n.localAs} {6}${n.peerAs} {5}${n.peerAddress.replace(/\./g, '\\.')}:179 {3}established {3}\\d+s +ipv4/unicast {3}\\d+ +\\d+$`));
      expect(n.families?.length).toBeGreaterThan(0);
      const familyRows = lines.slice(at + 2).filter((l, i, all) => i < all.findIndex((x) => x === '') || !all.includes('')).filter((l) => /\b(ipv4|ipv6)\/unicast\b/.test(l));
      expect(familyRows).toHaveLength(n.families!.length);
    }
    // Fields of the earlier result stay; the new ones are added.
    const worker = nodes[0]! as PeerRow;
    for (const k of ['router', 'kind', 'localAs', 'peerAs', 'peerAddress', 'peer', 'state', 'uptime', 'received', 'advertised', 'expected', 'peerPort', 'sessionState', 'families'])
      expect(Object.keys(worker)).toContain(k);
    expect(worker.state).toBe('Established');
    expect(worker.sessionState).toBe('established');
    // Router rows after the nodes'.
    expect(text.indexOf('leaf0   ')).toBeGreaterThan(text.lastIndexOf('$ cilium bgp peers'));
  });

  it('a second family gets its own row, aligned under Family, with the session columns empty', () => {
    const row: PeerRow = {
      router: 'n', kind: 'node', localAs: 65001, peerAs: 65000, peerAddress: '10.0.0.1', peer: 'leaf', state: 'Established', uptime: '', uptimeSeconds: 499, received: 1, advertised: 2, expected: true,
      peerPort: 179, sessionState: 'established', families: [{ afi: 'ipv4', safi: 'unicast', received: 1, advertised: 2 }, { afi: 'ipv6', safi: 'unicast', received: 0, advertised: 1 }],
    };
    expect(tabwriter(ciliumPeerCells([row]))).toEqual([
      'Local AS   Peer AS   Peer Address   Session       Uptime   Family         Received   Advertised',
      '65001      65000     10.0.0.1:179   established   8m19s    ipv4/unicast   1          2',
      '                                                           ipv6/unicast   0          1',
    ]);
  });

  it('at 80 columns keeps every column of every row, nothing cut', async () => {
    const r = await ok<PeersResult>(s, 'peers');
    const text = renderText('peers', r, { color: false, width: 80 });
    for (const l of text.split('\n')) expect(l.length, l).toBeLessThan(80);
    expect(text).not.toContain('…');
    for (const p of r.peers) {
      const row = text.split('\n').find((l) => (p.kind === 'node' ? l.includes(`${p.peerAddress}:179`) && text.includes(p.router) : l.startsWith(p.router) && l.includes(p.peerAddress)))!;
      expect(row, p.router).toBeDefined();
      // Every column's value is on the row: ASes, state, uptime, received, advertised.
      expect(row.split(/\s+/).slice(-2)).toEqual([String(p.received), String(p.advertised)]);
      expect(row).toContain(p.kind === 'node' ? 'established' : 'Established');
    }
  });
});

describe('bgp as FRR shows it', () => {
  it('`bgp leaf0` shows AS paths with origin, metric, local-pref and weight', async () => {
    const r = await ok<BgpResult>(s, 'bgp leaf0');
    const remote = r.table.find((e) => e.prefix === '10.98.2.0/24')!;
    expect(remote.paths.map((p) => p.asPath).sort()).toEqual(['500 65008', '800 65008']);
    const local = r.table.find((e) => e.prefix === '10.98.0.0/24')!.paths[0]!;
    expect(local).toMatchObject({ localPref: 100, weight: 0, internal: true });
    const text = renderText('bgp', r, { color: false, width: 200 });
    expect(text).toMatch(/Network\s+Next Hop\s+Metric\s+LocPrf\s+Weight\s+Path/);
    expect(text).toMatch(/10\.98\.2\.0\/24\s+10\.1\.\d+\.2\s+0\s+(500|800) 65008 i/);
    expect(text).toMatch(/\*>i\s+10\.98\.0\.0\/24\s+10\.1\.5\.10\s+100\s+0\s+i/);
  });

  it('`bgp leaf0 --prefix` keeps the AS path and the best path', async () => {
    const r = await ok<BgpResult>(s, 'bgp leaf0 --prefix 10.98.2.0/24');
    expect(r.table[0]!.paths.map((p) => p.asPath).sort()).toEqual(['500 65008', '800 65008']);
    expect(r.table[0]!.paths.filter((p) => p.best)).toHaveLength(1);
  });

  it('`bgp leaf0 --neighbor 10.1.10.2 --advertised` lists rack0 pod CIDRs; --received what spine0 sends', async () => {
    const adv = await ok<BgpRoutesResult>(s, 'bgp leaf0 --neighbor 10.1.10.2 --advertised');
    const advertised = adv.routes.map((r) => r.prefix);
    expect(advertised).toEqual(expect.arrayContaining(['10.98.0.0/24', '10.98.1.0/24']));
    const rcv = await ok<BgpRoutesResult>(s, 'bgp leaf0 --neighbor 10.1.10.2 --received');
    // spine0 sends rack1's pod CIDRs, through AS 500 from AS 65008, and never leaf0's own.
    expect(rcv.routes.filter((r) => r.prefix.startsWith('10.98.')).map((r) => [r.prefix, r.asPath])).toEqual([
      ['10.98.2.0/24', '500 65008'],
      ['10.98.3.0/24', '500 65008'],
    ]);
    const json = JSON.parse((await cli(['--lab', lab, '--json', 'bgp', 'leaf0', '--neighbor', '10.1.10.2', '--advertised'])).stdout) as { routes: { prefix: string }[] };
    expect(json.routes.map((r) => r.prefix)).toEqual(expect.arrayContaining(['10.98.0.0/24', '10.98.1.0/24']));
  });

  it("a node's advertised routes, as `cilium bgp routes advertised ipv4 unicast peer IP` lists them", async () => {
    const r = await ok<BgpRoutesResult>(s, 'bgp cilium-bgp-worker2 --neighbor 10.1.8.1 --advertised');
    expect(r.source).toBe('cilium bgp routes advertised ipv4 unicast peer 10.1.8.1');
    expect(r.routes.map((x) => [x.prefix, x.neighbor])).toEqual([['10.98.2.0/24', '10.1.8.1']]);
    expect(renderText('bgp', r, { color: false, width: 200 })).toMatch(/VRouter\s+Peer\s+Prefix\s+NextHop\s+Attrs\n65008\s+10\.1\.8\.1\s+10\.98\.2\.0\/24\s+10\.1\.8\.10\s+\[\{Origin: /);
  });

  it('refuses a neighbor the device does not have', async () => {
    const o = await s.run('bgp leaf0 --neighbor 10.9.9.9 --advertised');
    expect(o.exitCode).toBe(2);
    expect(o.error?.message).toContain('leaf0 has no neighbor 10.9.9.9');
  });
});

describe('a neighbor that went down', () => {
  it("reads FRR's Up/Down (time since it went down), not `never`", async () => {
    await ok(s, 'link leaf0 eth1 down');
    try {
      const r = await eventually(async () => {
        const b = await ok<BgpResult>(s, 'bgp leaf0');
        const spine0 = b.peers.find((p) => p.peerAddress === '10.1.10.2')!;
        return spine0.state !== 'Established' && /^\d\d:\d\d:\d\d$/.test(spine0.upDown ?? '') ? b : undefined;
      }, 20_000);
      const text = renderText('bgp', r, { color: false, width: 200 });
      expect(text).toMatch(/10\.1\.10\.2\s+spine0\s+500\s+\d\d:\d\d:\d\d\s+(Idle|Active|Connect)/);
      expect(text).not.toMatch(/spine0.*never/);
    } finally {
      await ok(s, 'link leaf0 eth1 up');
    }
  });
});
