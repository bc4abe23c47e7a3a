// Renderers on real result objects captured from an embedded lab (fixtures/*.json).
import React from 'react';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { Box } from 'ink';
import type { CheckResult, PeersResult, RoutesResult, TraceResult, StatusResult, BgpResult, CaptureResult } from '../../commands/results.js';
import type { TopoShowResult } from '../../commands/topo-show.js';
import { CheckView, PeersView, RoutesView, TopoView, ResultView, statesFromPeers } from '../../src/render/views.js';
import { renderText } from '../../src/render/text.js';

const fixture = <T,>(name: string): T => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as T;
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
// ink-testing-library's terminal is 100 columns; a wider box stands for a wider terminal.
const frame = (el: React.ReactElement) => strip(render(<Box width={200}>{el}</Box>).lastFrame() ?? '');
const plain = { color: false, width: 200 };

describe('routes', () => {
  const r = fixture<RoutesResult>('routes-leaf0');
  it('groups ECMP next hops under their prefix as vtysh does', () => {
    const lines = frame(<RoutesView result={r} width={160} />).split('\n');
    const i = lines.findIndex((l) => l.startsWith('B>* 10.98.2.0/24 [20/0] via 10.1.10.2, eth1, weight 1, '));
    expect(i).toBeGreaterThan(0);
    const next = lines[i + 1]!;
    expect(next).toMatch(/^ {2}\* +via 10\.1\.12\.2, eth2, weight 1, /);
    // The continuation's "via" lines up under the first next hop's.
    expect(next.indexOf('via')).toBe(lines[i]!.indexOf('via'));
    expect(lines.some((l) => l.startsWith('Codes:'))).toBe(true);
    expect(lines.some((l) => l.startsWith('C>* 10.1.5.0/24 is directly connected, eth3'))).toBe(true);
  });
  it('prints the same table as text, coloured only when asked, cut to the width', () => {
    const text = renderText('routes', r, plain);
    expect(text).toContain('B>* 10.98.3.0/24 [20/0] via 10.1.10.2, eth1, weight 1, ');
    expect(text).not.toContain('\x1b[');
    expect(renderText('routes', r, { color: true, width: 200 })).toContain('\x1b[32m');
    const narrow = renderText('routes', r, { color: false, width: 40 }).split('\n');
    expect(Math.max(...narrow.map((l) => l.length))).toBeLessThanOrEqual(40);
    expect(narrow.some((l) => l.endsWith('…'))).toBe(true);
  });
  it('shows what a node advertises', () => {
    const text = renderText('routes', fixture<RoutesResult>('routes-node'), plain);
    expect(text).toContain('advertised by cilium-bgp-worker2:');
    expect(text).toMatch(/10\.98\.2\.0\/24 next hop 10\.1\.8\.10/);
  });
});

describe('peers', () => {
  const r = fixture<PeersResult>('peers');
  it('has the columns of cilium bgp peers and one row per session', () => {
    const lines = frame(<PeersView result={r} width={160} />).split('\n');
    expect(lines[1]).toMatch(/^Local AS +Peer AS +Peer Address +Session +Uptime +Family +Received +Advertised/);
    expect(lines.filter((l) => / established +\d|Established  /.test(l))).toHaveLength(8);
    expect(lines.some((l) => /^leaf0 +65005 +800 +10\.1\.12\.2 \(spine1\) +Established/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe('✓ 8/8 sessions established');
  });
  it('colours a session that is down', () => {
    const down: PeersResult = { ...r, ok: false, established: 7, peers: r.peers.map((p, i) => (i === 0 ? { ...p, state: 'Active', uptime: '' } : p)) };
    const text = renderText('peers', down, { color: true, width: 200 });
    expect(text).toContain('\x1b[1;31mactive');
    expect(strip(text)).toContain('✗ 7/8 sessions established');
  });
});

describe('check', () => {
  const r = fixture<CheckResult>('check');
  it('draws the pingall matrix and totals', () => {
    const text = renderText('check', r, plain);
    expect(text).toContain('app-control-plane -> app-worker app-worker2 app-worker3');
    expect(text).toContain('*** Results: 0% dropped (12/12 received)');
    const ink = frame(<CheckView result={r} width={160} />);
    expect(ink).toContain('app-control-plane ->  ✓ app-worker  ✓ app-worker2  ✓ app-worker3');
  });
  it('marks a failure with X / ✗ and prints its diagnosis', () => {
    const results = r.results.map((x) => (x.from === 'app-control-plane' && x.to === 'app-worker2' ? { ...x, ok: false, rttMs: undefined, diagnosis: 'leaf0 has no route to 10.98.2.0/24' } : x));
    const failed: CheckResult = { ...r, ok: false, results, passed: r.passed - 1, failed: 1 };
    const text = renderText('check', failed, plain);
    expect(text).toContain('app-control-plane -> app-worker X app-worker3');
    expect(text).toContain('*** Results: 8% dropped (11/12 received)');
    expect(text).toContain('✗ app-control-plane -> app-worker2 (10.98.2.10): leaf0 has no route to 10.98.2.0/24');
    expect(frame(<CheckView result={failed} width={160} />)).toContain('✓ app-worker  ✗ app-worker2  ✓ app-worker3');
  });
});

describe('topo show', () => {
  const r = fixture<TopoShowResult>('topo-show');
  it('draws spines over leaves over racks of nodes, side by side when wide', () => {
    const lines = frame(<TopoView result={r} width={160} states={statesFromPeers(fixture<PeersResult>('peers-all'))} />).split('\n');
    const spines = lines.findIndex((l) => /spine0.*spine1/.test(l));
    const leaves = lines.findIndex((l) => /leaf0.*leaf1/.test(l));
    const nodes = lines.findIndex((l) => /cilium-bgp-control-plane.*cilium-bgp-worker2/.test(l));
    expect(spines).toBeGreaterThan(0);
    expect(leaves).toBeGreaterThan(spines);
    expect(nodes).toBeGreaterThan(leaves);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(160);
    expect(lines.join('\n')).toContain('eth1 ─ spine0:eth1');
  });
  it('stacks the racks on a narrow terminal and colours sessions by state', () => {
    const lines = frame(<TopoView result={r} width={80} />).split('\n');
    expect(lines.findIndex((l) => l.includes('leaf1'))).toBeGreaterThan(lines.findIndex((l) => l.includes('cilium-bgp-worker ')));
    const states = statesFromPeers(fixture<PeersResult>('peers-all'));
    const text = renderText('topo show', r, { color: true, width: 200 });
    expect(text).toContain('│');
    expect(Object.values(states)).toContain('Established');
  });
});

describe('other results', () => {
  it('trace as a hop chain', () => {
    const t = fixture<TraceResult>('trace');
    expect(renderText('trace', t, plain)).toBe(
      `✓ app-control-plane → ${t.hops.map((h) => `${h.device} (${h.ip})`).join(' → ')}`,
    );
    expect(renderText('trace', t, plain)).toContain('→ cilium-bgp-control-plane (10.1.5.10) → leaf0 (10.1.5.1) → spine');
  });
  it('status, bgp and capture', () => {
    expect(renderText('status', fixture<StatusResult>('status'), plain)).toMatch(/^✓ lab repl-dev up \(embedded\) — 8\/8 BGP sessions established/);
    const bgp = renderText('bgp', fixture<BgpResult>('bgp-leaf0'), plain);
    expect(bgp).toContain('BGP router identifier 10.1.5.1, local AS number 65005');
    expect(bgp).toMatch(/\*= +10\.98\.2\.0\/24/);
    const cap = fixture<CaptureResult>('capture');
    expect(renderText('capture', cap, plain)).toContain(`capture on leaf0 eth1, eth2: ${cap.packets.length} packets`);
    expect(frame(<ResultView command="capture" result={cap} width={120} />)).toMatch(/eth1 +\d+ packets/);
  });
  it('drill results use the same renderers as the CLI, in colour, not YAML', () => {
    const page = { lab: 'l', id: 'spine-down', title: 't', page: '[WARNING] leaf0 lost a spine', startedAt: '2026-12-01T06:00:00.000Z', startedBy: 'alice', hintsAvailable: 3, settled: true };
    const f = frame(<ResultView command="drill start" result={page} width={120} />);
    expect(f).toContain('📟 PAGE (drill spine-down) [WARNING] leaf0 lost a spine');
    expect(f).not.toContain('hintsAvailable');
  });
  it("check --capture shows which spine link each direction took (the seed's ECMP picture)", () => {
    const c = fixture<CheckResult>('check-capture');
    const text = renderText('check', c, plain);
    expect(text).toContain('*** NodePort: testing the service through every node');
    // A cross-rack conversation: requests out on one spine link, replies back on the other.
    expect(text).toMatch(/app-control-plane ⇄ app-worker2 +→ eth\d ×\d+.* +← eth\d ×\d+/);
    expect(text).toMatch(/\d+ of \d+ two-way conversations came back on another link than they went out/);
  });
});
