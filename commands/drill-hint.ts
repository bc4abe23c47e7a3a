import { z } from 'zod';
import { defineCommand } from './types.js';
import type { DrillHintResult } from './drill-results.js';
import { PERMISSION_RANK } from './types.js';

export default defineCommand({
  name: 'drill hint',
  summary: "The next hint for the running drill (hints used are scored; the drill's participants or an operator)",
  positionals: [],
  args: z.object({}),
  permission: 'read',
  async handler(_args, ctx): Promise<DrillHintResult> {
    const { requireDrill } = await import('../lab/drills/run.js');
    const { findScenario } = await import('../lab/drills/index.js');
    const { addParticipant, isParticipant, updateDrill } = await import('../lab/state/drill-state.js');
    const { PermissionError } = await import('../lab/errors.js');
    const running = await requireDrill(ctx.lab, { started: true });
    // A hint counts against the team's score: only the drill's participants take one (the game
    // master, the paged, whoever claimed a role or ran a command in it) or an operator, who joins
    // the drill by taking it; not any reader of the channel.
    const operator = PERMISSION_RANK[ctx.caller.level] >= PERMISSION_RANK.operate;
    if (!isParticipant(running, ctx.caller.user) && !operator) {
      const who = ctx.caller.name ?? (ctx.caller.surface === 'slack' ? `<@${ctx.caller.user}>` : ctx.caller.user);
      const starter = running.gameMaster?.name ?? (running.surface === 'slack' ? `<@${running.startedBy}>` : running.startedBy);
      const others = (running.participants ?? []).filter((p) => p.user !== running.startedBy).map((p) => p.name).slice(0, 6);
      throw new PermissionError(`only the drill's responder (${starter}${others.length ? `, ${others.join(', ')}` : ''}) or an operator takes its hints: they count against the score; ${who} is not a participant and has ${ctx.caller.level}`, 'join in first (`drill role responder`, or run a command), or `drill status` to follow along');
    }
    const hints = findScenario(running.id).hints(running.fault);
    // After the last hint, asking again repeats it without counting.
    let repeat = false;
    const at = new Date().toISOString();
    const name = ctx.caller.name ?? ctx.caller.user;
    const s = (await updateDrill(ctx.lab, (d) => {
      repeat = d.hintsUsed >= hints.length;
      d.hintsUsed = Math.min(hints.length, d.hintsUsed + 1);
      addParticipant(d, { user: ctx.caller.user, name, surface: ctx.caller.surface, at });
      if (!repeat) d.events = [...(d.events ?? []), { at, kind: 'hint', user: ctx.caller.user, name, text: `${name} took hint ${d.hintsUsed}/${hints.length}` }];
    })) ?? running;
    return { number: s.hintsUsed, total: hints.length, hint: hints[s.hintsUsed - 1]!, repeat: repeat || undefined };
  },
});
