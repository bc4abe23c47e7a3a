// The App Home tab (views.publish on app_home_opened): the lab's state and health, the running
// drill (page, elapsed, participants), the next scheduled drill, the leaderboard, and buttons
// for status and check (answered in the user's DM with the bot, with their own permissions).
import type { webApi } from '@slack/bolt';
import type { BotContext } from './dispatch.js';
import type { StatusResult } from '../commands/results.js';
import { context, duration, esc, header, section, type KnownBlock } from './render/blocks.js';

export const HOME_ACTION = 'bgp_lab_home';
const HOME_COMMANDS = new Set(['status', 'check']);

export async function homeView(bot: BotContext): Promise<{ type: 'home'; blocks: KnownBlock[] }> {
  const lab = bot.session.lab;
  const [{ readDrill }, { findScenario }, { listSchedules }, { readScores }, { leaderboard }] = await Promise.all([
    import('../lab/state/drill-state.js'), import('../lab/drills/index.js'), import('../lab/gameday/schedule.js'), import('../lab/state/drill-state.js'), import('../lab/gameday/scores.js'),
  ]);
  const status = await bot.session.peek<StatusResult>('status').then((p) => p.result, () => undefined);
  const drill = await readDrill(lab);
  const next = (await listSchedules(lab))[0];
  const board = leaderboard((await readScores()).filter((s) => s.lab === lab), 'person').slice(0, 5);
  const icon = { up: ':large_green_circle:', degraded: ':large_yellow_circle:', down: ':white_circle:' } as const;
  const blocks: KnownBlock[] = [
    header(`bgp-lab · lab ${lab}`),
    section(status ? `${icon[status.state]} *lab ${esc(lab)} is ${status.state}* (${esc(status.driver)}) — ${status.sessions.established}/${status.sessions.expected} BGP sessions${status.drift.length ? `, ${status.drift.length} drift` : ''}` : `:white_circle: *lab ${esc(lab)}*: state unknown (the lab host did not answer)`),
  ];
  if (drill) {
    const page = drill.phase && drill.phase !== 'running' && drill.phase !== 'injected' ? 'starting…' : findScenario(drill.id).page(drill.fault);
    const elapsed = drill.injectedAt ? Date.now() - Date.parse(drill.injectedAt) : undefined;
    const people = (drill.participants ?? []).map((p) => `${p.name}${p.roles.length ? ` (${p.roles.join(', ')})` : p.paged ? ' (paged)' : ''}`).join(', ');
    blocks.push(section(`:rotating_light: *running drill* ${drill.hidden ? '(surprise)' : `\`${esc(drill.id)}\``} — ${duration(elapsed)} since the fault, ${drill.hintsUsed} hints\n>${esc(page)}`), context(`participants: ${esc(people || 'nobody yet')}`));
    const paused = drill.prober?.pauses?.at(-1);
    if (paused && !paused.resumedAt) blocks.push(context(`:double_vertical_bar: prober paused by ${esc(paused.name)} since ${esc(paused.at.slice(11, 19))} UTC`));
  } else blocks.push(section(':zzz: no drill running'));
  blocks.push(section(next ? `:calendar: *next scheduled drill* ${next.kind === 'window' ? `in the window ${esc(next.window!.from)}-${esc(next.window!.to)} UTC${next.window?.days ? ` (${esc(next.window.days.join(','))})` : ''}` : `at ${esc(next.fireAt.slice(0, 16).replace('T', ' '))} UTC`}, by ${esc(next.createdByName)}` : ':calendar: no drill scheduled — `/bgp-lab drill schedule --window 14:00-16:00 --days fri --random --page @team`'));
  blocks.push(
    section(board.length ? `:trophy: *leaderboard*\n${board.map((r, i) => `${i + 1}. *${esc(r.key)}* — ${r.resolved}/${r.drills} resolved, detect ${duration(r.meanDetectMs)}, best mitigation ${duration(r.bestMitigateMs)}, ${r.hints} hints`).join('\n')}` : ':trophy: no drills scored yet'),
    {
      type: 'actions',
      elements: [...HOME_COMMANDS].map((c) => ({ type: 'button' as const, action_id: `${HOME_ACTION}:${c}`, text: { type: 'plain_text' as const, text: c === 'status' ? 'Status' : 'Check' }, value: c })),
    },
    context(`updated ${new Date().toISOString().slice(11, 19)} UTC`),
  );
  return { type: 'home', blocks };
}

export async function publishHome(bot: BotContext, client: webApi.WebClient, user: string): Promise<void> {
  await client.views.publish({ user_id: user, view: (await homeView(bot)) as never });
}

/** Only these lines run from the Home tab (the button's value is never trusted beyond this set). */
export const homeCommand = (value: string | undefined) => (value && HOME_COMMANDS.has(value) ? value : undefined);
