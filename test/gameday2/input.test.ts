// Game-day input is hostile, class by class, before it reaches state, a timeline, a postmortem,
// a Markdown upload or a Slack message: note text (terminal control sequences, bidi overrides),
// mrkdwn and Markdown injection in what people typed, a schedule file edited on disk (the bot runs
// it as a `drill start` with its author's operate), and the new commands' own arguments. No lab.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../commands/execute.js';
import { cleanNote } from '../../lab/gameday/input.js';
import { claimSchedule, listSchedules, type Schedule } from '../../lab/gameday/schedule.js';
import { postmortemMarkdown } from '../../src/render/postmortem.js';
import { postmortemBlocks } from '../../bot/render/gameday.js';
import type { Postmortem } from '../../lab/gameday/postmortem.js';
import { leaveNews, takeNews, NEWS_STALE_MS, type DrillNews } from '../../lab/gameday/news.js';
import { cutAt, parsePingLog } from '../../lab/drills/prober.js';
import { buildTimeline } from '../../lab/drills/timeline.js';
import { timelineRows } from '../../src/render/drill.js';
import type { DrillState } from '../../lab/state/drill-state.js';

const stateDir = mkdtempSync(join(tmpdir(), 'bgp-lab-gameday2-input-'));
process.env.BGP_LAB_STATE_DIR = stateDir;
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

const LAB = 't-gameday2-input';
const as = (level: 'read' | 'operate', surface: 'slack' | 'cli' = 'slack') =>
  new Session({ lab: LAB, caller: { surface, user: 'UA', name: 'Alice Anders', channel: 'CGAME', level } });

describe('note text', () => {
  it('drops C1 controls (a terminal reads \\u009b as CSI) and bidi overrides, as it drops C0', () => {
    expect(cleanNote('ok\u009b31mred\u001b[0m')).toBe('ok 31mred [0m');
    expect(cleanNote('admin\u202egnp.exe\u2066x\u2069')).toBe('admin gnp.exe x');
    expect(cleanNote('zero\u200bwidth\ufeff')).toBe('zero width');
  });
});

const pm = (text: string, name: string): Postmortem => ({
  drillId: 'l-1', lab: 'l', scenario: { id: 'spine-down', title: 'Spine down' }, outcome: 'aborted', abortReason: text, startedAt: '2026-12-02T06:00:00.000Z', endedAt: '2026-12-02T06:05:00.000Z',
  gameMaster: name, summary: `Drill on lab l (aborted: ${text}).`, impact: { outageMs: 0, longestOutageMs: 0, flowsAffected: 0, totalFlows: 4, probesLost: 0, outages: 0, stillBroken: false },
  detection: {}, mitigation: { intended: ['router restart spine0'] }, roles: [{ role: 'game master', names: [name] }],
  participants: [{ user: 'UA', name, roles: ['game master'], commands: 0, hints: 0 }], hintsUsed: 0, rootCause: 'x', wentWell: [`${text} (${name})`], wasHard: [],
  notes: [{ at: '2026-12-02T06:01:00.000Z', name, text }], actionItems: [], timeline: [{ at: '2026-12-02T06:01:00.000Z', kind: 'note', user: 'UA', name, text }],
});

describe('what people typed, in Slack and in Markdown', () => {
  const evil = '<!channel> <@U0BOSS> <img src=x onerror=alert(1)> [click](http://example.invalid) a|b';
  it('Slack blocks show it as text: no @channel, no mention, no link', () => {
    const json = JSON.stringify(postmortemBlocks(pm(evil, 'Mallory <!here>')));
    expect(json).not.toMatch(/<!channel>|<@U0BOSS>|<!here>|<img|<http/);
    expect(json).toContain('&lt;!channel&gt;');
  });
  it('the Markdown file escapes HTML, links and table cells', () => {
    const md = postmortemMarkdown(pm(evil, 'Mal|lory'));
    expect(md).not.toMatch(/(^|[^\\])<(!channel|@U0BOSS|img)/m);
    expect(md).not.toMatch(/(^|[^\\])\[click\]/m);
    expect(md).toContain('\\<!channel\\>');
    expect(md).toMatch(/^\| Mal\\\|lory \| game master \|/m); // one cell, the table intact
  });
});

describe('a schedule file edited on disk', () => {
  const good: Schedule = {
    id: 's-good1234', lab: LAB, createdAt: '2026-12-02T06:00:00.000Z', createdBy: 'UA', createdByName: 'Alice Anders', surface: 'slack', channel: 'CGAME',
    scenario: 'spine-down', random: false, page: ['UB'], fireAt: new Date(Date.now() + 3_600_000).toISOString(), kind: 'in',
  };
  const bad: [string, Record<string, unknown>][] = [
    ['a scenario that is an option', { scenario: '--host=evil' }],
    ['a name with a mention', { createdByName: '<!channel>' }],
    ['a page that pings everyone', { page: ['<!channel>'] }],
    ['a channel that is a path', { channel: '../../etc' }],
    ['an abort rule out of range', { limits: { abortIfOutage: '0s' } }],
    ['a field no command writes', { level: 'admin' }],
    ['a window that never comes', { kind: 'window', window: { from: '16:00', to: '14:00' } }],
    ['a scenario and random at once', { random: true }],
    ['another lab name smuggled', { lab: '../x' }],
  ];
  it.each(bad)('ignores %s (never fired), and says so', async (_what, change) => {
    const dir = join(stateDir, 'schedules');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, 's-good1234.json'), JSON.stringify(good));
    const evilSchedule = { ...good, id: 's-evil5678', ...change };
    writeFileSync(join(dir, 's-evil5678.json'), JSON.stringify(evilSchedule));
    const said: string[] = [];
    const listed = await listSchedules(undefined, (file, why) => said.push(`${file}: ${why}`));
    expect(listed.map((s) => s.id)).toEqual(['s-good1234']);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^s-evil5678\.json: /);
    expect(await claimSchedule({ ...good, id: 's-evil5678' } as Schedule)).toBeUndefined();
  });
});

describe('the new commands refuse bad input before anything runs', () => {
  it('drill prober: pause|resume only, and only with a running drill', async () => {
    expect((await as('operate', 'cli').run('drill prober stop')).exitCode).toBe(2);
    const o = await as('operate', 'cli').run('drill prober pause');
    expect(o.exitCode).toBe(2);
    expect(o.error?.message).toMatch(/no drill is running/);
  });
  it('drill guard is not a Slack command; drill end --drill-id is a drill ID', async () => {
    const g = await as('operate').run('drill guard --drill-id abc');
    expect(g.exitCode).toBe(2);
    expect(g.error?.message).toMatch(/runs beside a drill/);
    expect((await as('operate', 'cli').run(['drill', 'end', '--abort', '--drill-id', '../../x'])).exitCode).toBe(2);
  });
});

describe("a drill's news for its thread", () => {
  it('two bots taking at once post each item once, oldest first; another lab keeps its own; stale or edited items (no thread, a mention for a channel, no reason) are dropped and said', async () => {
    const thread = { channel: 'CGAME', ts: '1.000100' };
    const aborting = (drillId: string, at = new Date().toISOString()): DrillNews => ({ kind: 'aborting', lab: LAB, drillId, thread, at, by: 'the abort rule', reason: 'an outage lasted 3 s' });
    for (const id of ['d-1', 'd-2', 'd-3']) await leaveNews(aborting(id));
    await leaveNews({ ...aborting('d-other'), lab: `${LAB}-b` });
    await leaveNews(aborting('d-old', new Date(Date.now() - NEWS_STALE_MS - 1000).toISOString()));
    mkdirSync(join(stateDir, 'drill-news'), { recursive: true });
    writeFileSync(join(stateDir, 'drill-news', `${LAB}.999999999999999.1.ended.json`), '{"kind": "ended", "lab": "' + LAB + '"}'); // no thread
    // Edited on disk: a channel that is a mention, not a channel ID; an aborting item with no reason.
    writeFileSync(join(stateDir, 'drill-news', `${LAB}.999999999999999.2.aborting.json`), JSON.stringify({ ...aborting('d-x'), thread: { channel: '<!channel>', ts: '1.2' } }));
    writeFileSync(join(stateDir, 'drill-news', `${LAB}.999999999999999.3.aborting.json`), JSON.stringify({ ...aborting('d-y'), reason: undefined }));
    const dropped: string[] = [];
    const [a, b] = await Promise.all([takeNews(LAB, (_f, why) => dropped.push(why)), takeNews(LAB, (_f, why) => dropped.push(why))]);
    const got = [...a, ...b].map((n) => n.drillId);
    expect(got.sort()).toEqual(['d-1', 'd-2', 'd-3']);
    expect(a.map((n) => n.drillId)).toEqual([...a.map((n) => n.drillId)].sort()); // in the order they were left
    expect(dropped.sort()).toEqual([
      'not drill news: the item: an item without its reason or result',
      'not drill news: thread.channel: Invalid string: must match pattern /^[CDG][A-Z0-9]{1,30}$/',
      'not drill news: drillId: Invalid input: expected string, received undefined',
      `older than ${NEWS_STALE_MS / 60_000} min (no bot ran)`,
    ].sort());
    expect(await takeNews(LAB)).toEqual([]);
    expect((await takeNews(`${LAB}-b`)).map((n) => n.drillId)).toEqual(['d-other']);
    expect(await takeNews('../x')).toEqual([]);
  });
});

describe('a pause in the figures', () => {
  it('an outage going on at the pause is cut there (not a recovery), nothing after it counts, and the timeline says so', () => {
    // ping -D -O: seq 1-2 answered, 3-40 unanswered (the fault), pings killed at the pause.
    const t0 = Date.parse('2026-12-02T06:00:00.000Z') / 1000;
    const line = (seq: number, ok: boolean) => `[${(t0 + seq * 0.1).toFixed(6)}] ${ok ? '64 bytes from 10.0.0.1: ' : 'no answer yet for '}icmp_seq=${seq}`;
    const log = [1, 2].map((q) => line(q, true)).concat(Array.from({ length: 38 }, (_, i) => line(i + 3, false))).join('\n');
    const { windows } = parsePingLog(log, 100, 'a → b');
    expect(windows[0]!.backAt).toBeUndefined(); // still broken as ping saw it
    const pausedAt = new Date((t0 + 3) * 1000).toISOString();
    const cut = cutAt(windows, pausedAt);
    expect(cut).toHaveLength(1);
    expect(cut[0]).toMatchObject({ backAt: pausedAt, cutByPause: true });
    expect(cut[0]!.durationMs).toBe(3000 - 200);
    const state = { lab: 'l', id: 'x', title: 'x', startedAt: '2026-12-02T05:59:00.000Z', startedBy: 'UA', surface: 'slack', hintsUsed: 0, fault: {} } as DrillState;
    const rows = timelineRows(buildTimeline(state, { flows: [{ flow: 'a → b', sent: 40, answered: 2 }], windows: cut }, Date.parse(pausedAt) + 60_000));
    expect(rows.map((r) => r.what).join('\n')).toMatch(/still broken when the prober was paused at 06:00:03(\.000)? \(2\.8 s counted\)/);
  });
});
