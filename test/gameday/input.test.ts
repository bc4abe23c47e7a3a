// Game-day input is hostile: schedule times range-checked, page targets only Slack IDs, notes
// capped, a schedule's scenario never shown, and a busy message that names a Slack holder
// instead of printing `<@U…>` in a terminal. No lab needed: these are refused before one is touched.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../commands/execute.js';
import { describeBusy } from '../../lab/state/lock.js';
import type { DrillScheduleResult } from '../../commands/drill-results.js';

const stateDir = mkdtempSync(join(tmpdir(), 'bgp-lab-gameday-input-'));
process.env.BGP_LAB_STATE_DIR = stateDir;
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

const as = (level: 'read' | 'operate', surface: 'slack' | 'cli' = 'slack') =>
  new Session({ lab: 't-gameday-input', caller: { surface, user: 'UA', name: 'Alice Anders', channel: 'CGAME', level } });

describe('drill schedule input', () => {
  it.each([
    ['--in 0s --random', /out of range/],
    ['--in 31d --random', /out of range/],
    ['--in soon --random', /not a duration/],
    ['--at 25:00 --random', /not a time/],
    ['--at 2020-01-01T00:00Z --random', /not within the next 30 days/],
    ['--window 16:00-14:00 --random', /ends before it starts/],
    ['--window 14:00-16:00 --days mon,funday --random', /not a day/],
    ['--in 5m', /--scenario ID or --random/],
    ['--in 5m --scenario nope', /no drill scenario/],
    ['--in 5m --random --page <!channel>', /not a Slack user or usergroup/],
    ['--in 5m --random --page @here', /not a Slack user or usergroup/],
    ['--in 5m --random --channel ../../etc', /not a Slack channel ID/],
    ['--in 5m --at 10:00 --random', /exactly one of --in, --at, --window/],
    ['--in 5m --random --abort-if-outage 0s', /out of range/],
  ])('refuses `drill schedule %s` (exit 2, nothing written)', async (args, why) => {
    const o = await as('operate').run(`drill schedule ${args}`);
    expect(o.exitCode).toBe(2);
    expect(o.error?.message).toMatch(why);
    expect(readdirSync(stateDir).includes('schedules') ? readdirSync(join(stateDir, 'schedules')) : []).toEqual([]);
  });

  it('needs operate; keeps the scenario and a window\'s moment secret; files are 0600; cancel removes it', async () => {
    expect((await as('read').run('drill schedule --in 5m --random')).status).toBe('denied');
    const made = await as('operate').run('drill schedule --window 14:00-16:00 --days fri --scenario spine-down --page <@UB|bob>,<!subteam^S0TEAM|@oncall>');
    expect(made.error).toBeUndefined();
    const view = (made.result as DrillScheduleResult).schedules[0]!;
    expect(JSON.stringify(made.result)).not.toContain('spine-down');
    expect(view.fireAt).toBeUndefined();
    expect(view.page).toEqual(['UB', 'S0TEAM']);
    expect(view.createdBy).toBe('Alice Anders');
    const file = join(stateDir, 'schedules', `${view.id}.json`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(stateDir, 'schedules')).mode & 0o777).toBe(0o700);
    expect(((await as('read').run('drill schedule list')).result as DrillScheduleResult).schedules.map((s) => s.id)).toEqual([view.id]);
    // From a terminal a schedule needs the channel the bot pages in.
    expect((await as('operate', 'cli').run('drill schedule --in 5m --random')).error?.message).toMatch(/needs --channel/);
    expect((await as('operate').run(`drill schedule cancel ${view.id}`)).ok).toBe(true);
    expect(readdirSync(join(stateDir, 'schedules'))).toEqual([]);
  });
});

describe('notes and names', () => {
  it('caps a note at 500 characters before touching any drill', async () => {
    const o = await as('read').run(`drill note ${'x'.repeat(501)}`);
    expect(o.exitCode).toBe(2);
    expect(o.error?.message).toMatch(/at most 500/);
  });

  it("a busy message names a Slack holder, not `<@U…>` (what the CLI printed)", () => {
    const info = { lab: 'l', command: 'up', owner: 'U0UX7OPS', ownerName: 'Alice Anders', surface: 'slack', pid: 1, host: 'h', startedAt: new Date().toISOString() };
    expect(describeBusy(info)).toMatch(/^busy: `up` by Alice Anders \(slack/);
    expect(describeBusy(info)).not.toContain('U0UX7OPS');
  });
});
