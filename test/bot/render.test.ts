// Block Kit renderers against Slack's limits: 3000 characters per text, 50 blocks, and a
// cut result always carries the rest as an attachment.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { RoutesResult, CheckResult, PeersResult } from '../../commands/results.js';
import { renderResult, renderError } from '../../bot/render/index.js';
import { routeLines } from '../../bot/render/routes.js';
import { MAX_BLOCKS, MAX_TEXT, type SlackMessage } from '../../bot/render/blocks.js';

function texts(msg: SlackMessage): string[] {
  const out: string[] = [];
  for (const b of msg.blocks as unknown as Record<string, unknown>[]) {
    const t = b.text as { text?: string } | undefined;
    if (t?.text !== undefined) out.push(t.text);
    for (const e of (b.elements as { text?: unknown }[] | undefined) ?? []) if (typeof e.text === 'string') out.push(e.text);
  }
  return out;
}

function expectWithinLimits(msg: SlackMessage): void {
  expect(msg.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
  for (const t of texts(msg)) expect(t.length).toBeLessThanOrEqual(MAX_TEXT);
  expect(msg.text.length).toBeLessThanOrEqual(MAX_TEXT);
}

function syntheticRoutes(n: number): RoutesResult {
  return {
    router: 'leaf0',
    kind: 'router',
    routes: Array.from({ length: n }, (_, i) => ({
      prefix: `10.${100 + Math.floor(i / 250)}.${i % 250}.0/24`,
      protocol: 'bgp',
      selected: true,
      installed: true,
      distance: 20,
      metric: 0,
      uptime: '00:01:02',
      nexthops: [
        { ip: '10.1.10.2', interface: 'eth1', active: true, fib: true, device: 'spine0', weight: 1 },
        { ip: '10.1.12.2', interface: 'eth2', active: true, fib: true, device: 'spine1', weight: 1 },
      ],
    })),
  };
}

describe('slack renderers', () => {
  it('prints a route vtysh-style with each ECMP next hop on its own line', () => {
    const lines = routeLines(syntheticRoutes(1).routes[0]!);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^B>\* 10\.100\.0\.0\/24 \[20\/0\] via 10\.1\.10\.2, eth1, .*\(spine0\)$/);
    expect(lines[1]).toMatch(/^ {2}\* +via 10\.1\.12\.2, eth2, .*\(spine1\)$/);
    expect(lines[1]!.indexOf('via')).toBe(lines[0]!.indexOf('via'));
  });

  it('keeps a 100-route answer within Slack limits and attaches the full table', () => {
    const result = syntheticRoutes(100);
    const msg = renderResult('routes', result);
    expectWithinLimits(msg);
    const shown = texts(msg).join('\n');
    const more = /…(\d+) more routes/.exec(shown);
    expect(more, 'the message says how many routes were cut').not.toBeNull();
    const shownPrefixes = result.routes.filter((r) => shown.includes(` ${r.prefix} `)).length;
    expect(shownPrefixes + Number(more![1])).toBe(100);
    expect(msg.attachment?.filename).toBe('routes-leaf0.txt');
    for (const r of result.routes) expect(msg.attachment!.content).toContain(r.prefix);
    expect(msg.attachment!.content.match(/via 10\.1\.12\.2/g)).toHaveLength(100);
  });

  it('cuts any oversized answer (generic YAML too) to 50 blocks / 3000 chars with the rest attached', () => {
    const huge = { items: Array.from({ length: 3000 }, (_, i) => ({ name: `item-${i}`, value: 'x'.repeat(50) })) };
    const msg = renderResult('something new', huge);
    expectWithinLimits(msg);
    expect(texts(msg).join('\n')).toMatch(/…\d+ more lines/);
    expect(msg.attachment?.content).toContain('item-2999');
  });

  it('renders the check matrix with ✓ and ✗ and each failure with its diagnosis', () => {
    const pods = ['web-a', 'web-b', 'web-c'];
    const results = pods.flatMap((from) =>
      pods.filter((to) => to !== from).map((to) => ({ from, to, toIp: '10.244.0.10', kind: 'ping' as const, ok: !(from === 'web-a' && to === 'web-c'), diagnosis: from === 'web-a' && to === 'web-c' ? 'leaf0 has no route to 10.244.2.0/24' : undefined })),
    );
    const r: CheckResult = { ok: false, pods, results, passed: 5, failed: 1, durationMs: 1234 };
    const msg = renderResult('check', r);
    expectWithinLimits(msg);
    const all = texts(msg).join('\n');
    expect(all).toContain('✓');
    expect(all).toMatch(/1 web-a +· +✓ +✗/);
    expect(all).toContain('leaf0 has no route to 10.244.2.0/24');
  });

  it('renders a real check --http --nodeport --capture: NodePort by node, and the links each direction took', () => {
    const r = JSON.parse(readFileSync(new URL('../repl/fixtures/check-capture.json', import.meta.url), 'utf8')) as CheckResult;
    const msg = renderResult('check', r);
    expectWithinLimits(msg);
    const all = texts(msg).join('\n');
    // NodePort probes nodes, not pods: one row for the client, a ✓ per node, the nodes numbered.
    const nodeport = all.split('*nodeport*')[1]!;
    expect(nodeport).toMatch(/app-control-plane +✓ +✓ +✓ +✓/);
    expect(nodeport).toMatch(/4 = cilium-bgp-worker3/);
    expect(all).toMatch(/\*capture on leaf0\* — eth1: \d+, eth2: \d+/);
    expect(all).toMatch(/app-control-plane ⇄ app-worker2 +→ eth\d/);
    expect(all).toMatch(/two-way conversations came back on another link/);
  });

  it('renders a drill page with its buttons and the end report with its timeline', () => {
    const page = renderResult('drill start', { lab: 'l', id: 'spine-down', title: 't', page: '[WARNING] leaf0 lost a spine', startedAt: '2026-12-01T06:00:00.000Z', startedBy: 'U1', hintsAvailable: 3, settled: true });
    expect(texts(page).join('\n')).toContain('*PAGE* (drill `spine-down`)\n>[WARNING] leaf0 lost a spine');
    const actions = (page.blocks as { type: string; elements?: { value?: string; action_id?: string }[] }[]).find((b) => b.type === 'actions')!;
    expect(actions.elements!.map((e) => e.value)).toEqual(['drill hint', 'drill check', 'drill status']);
    expect(new Set(actions.elements!.map((e) => e.action_id)).size).toBe(3);
    const end = renderResult('drill end', {
      ok: true, lab: 'l', id: 'spine-down', title: 'A spine dies', cause: 'spine0 bgpd was killed', fix: ['router restart spine0'], outcome: 'resolved',
      timeToResolveMs: 8200, hintsUsed: 1, actions: [], prober: { flows: [{ flow: 'a → c', sent: 80, answered: 79 }], windows: [] }, convergence: { injectMs: 1400, fixMs: 900 },
      restored: [], diff: [], durationMs: 3000,
      timeline: [
        { at: '2026-12-01T06:00:01.000Z', kind: 'injected' },
        { at: '2026-12-01T06:00:01.200Z', kind: 'outage', phase: 'incident', backAt: '2026-12-01T06:00:01.300Z', durationMs: 100, flows: 1, totalFlows: 4, lost: 1, bursts: 1 },
        { at: '2026-12-01T06:00:06.000Z', kind: 'action', user: 'U1', line: 'router restart spine0' },
        { at: '2026-12-01T06:00:09.000Z', kind: 'resolved', by: 'check' },
        { at: '2026-12-01T06:00:12.000Z', kind: 'restore' },
      ],
    });
    expectWithinLimits(end);
    const all = texts(end).join('\n');
    expect(all).toContain('resolved in 8.2 s, 1 hint');
    expect(all).toContain('06:00:01.200  ✗ traffic broke on 1/4 flows (during the incident), back at 06:00:01.300 after 100 ms, 1 probe lost');
    expect(all).toContain('06:00:06.000  U1: router restart spine0');
  });

  it('renders peers with their state', () => {
    const row = { router: 'leaf0', kind: 'router' as const, localAs: 65010, peerAs: 65000, peerAddress: '10.1.10.2', peer: 'spine0', uptime: '00:01:00', received: 4, advertised: 4, expected: true };
    const r: PeersResult = { ok: false, established: 1, expected: 2, peers: [{ ...row, state: 'Established' }, { ...row, peer: 'spine1', peerAddress: '10.1.12.2', state: 'Active' }] };
    const all = texts(renderResult('peers', r)).join('\n');
    expect(all).toContain('1/2 BGP sessions established');
    expect(all).toContain('leaf0→spine1 (Active)');
  });

  it('escapes what a user typed (no @channel from an argument) but keeps the mentions the core writes', () => {
    const msg = renderError({ message: 'unknown router or node "<!channel>"', hint: 'run `bgp-lab --lab x up`; type `help` for all commands', exitCode: 2 }, 'bad-input');
    const all = [msg.text, ...texts(msg)].join('\n');
    expect(all).not.toContain('<!channel>');
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('`/bgp-lab up`'); // CLI hints become slash commands
    expect(all).toContain('`/bgp-lab help`');
    expect(texts(renderError({ message: '`up` needs operate permission; <@U1> has read', exitCode: 1 }, 'denied'))[0]).toContain('<@U1>');
    expect(renderResult('capture', { router: 'leaf0', interfaces: ['eth1'], packets: [], perInterface: {}, conversations: [] }).text).not.toMatch(/<[!@#]/);
  });

  it('lists every command in help, in sections under 3000 characters, never cut silently', () => {
    const r = { commands: Array.from({ length: 40 }, (_, i) => ({ name: `cmd${i}`, usage: `cmd${i} <device> [--flag VALUE]`, summary: 'x'.repeat(90), permission: 'read' })) };
    const msg = renderResult('help', r as never);
    expectWithinLimits(msg);
    const all = texts(msg).join('\n');
    for (let i = 0; i < 40; i++) expect(all).toContain(`cmd${i} &lt;device&gt;`);
  });

  it('cuts an oversized text visibly and attaches the whole result', () => {
    const pods = Array.from({ length: 60 }, (_, i) => `app-worker-${i}`);
    const results = pods.flatMap((from) => pods.filter((to) => to !== from).map((to) => ({ from, to, toIp: '10.98.0.1', kind: 'ping' as const, ok: true })));
    const msg = renderResult('check', { ok: true, pods, results, passed: results.length, failed: 0, durationMs: 100 } as CheckResult);
    expectWithinLimits(msg);
    expect(texts(msg).join('\n')).toMatch(/…\d+ more rows: the full matrix is attached/);
    expect(msg.attachment?.content).toContain('60 app-worker-59');
  });

  it('renders an error as one line and its hint', () => {
    const msg = renderError({ message: '`up` needs operate permission; <@U1> has read', hint: 'ask an admin to add you to SLACK_OPERATORS', exitCode: 1 }, 'denied');
    expect(texts(msg)).toEqual([':no_entry: `up` needs operate permission; <@U1> has read', ':bulb: ask an admin to add you to SLACK_OPERATORS']);
  });
});
