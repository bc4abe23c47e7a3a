import { z } from 'zod';
import { defineCommand } from './types.js';
import { PERMISSION_RANK } from './types.js';
import type { DrillHintResult } from './drill-results.js';

export default defineCommand({
  name: 'drill hint',
  summary: 'The next hint for the running drill (hints used are scored; the responder or an operator)',
  positionals: [],
  args: z.object({}),
  permission: 'read',
  async handler(_args, ctx): Promise<DrillHintResult> {
    const { requireDrill } = await import('../lab/drills/run.js');
    const { findScenario } = await import('../lab/drills/index.js');
    const { updateDrill } = await import('../lab/state/drill-state.js');
    const { PermissionError } = await import('../lab/errors.js');
    const running = await requireDrill(ctx.lab, { started: true });
    // A hint counts against the responder's score: only the drill's participants take one
    // (who started it, or an operator running it with them), not any reader of the channel.
    const participant = ctx.caller.user === running.startedBy || PERMISSION_RANK[ctx.caller.level] >= PERMISSION_RANK.operate;
    if (!participant) {
      const who = ctx.caller.surface === 'slack' ? `<@${ctx.caller.user}>` : ctx.caller.user;
      const starter = running.surface === 'slack' ? `<@${running.startedBy}>` : running.startedBy;
      throw new PermissionError(`only the drill's responder (${starter}) or an operator takes its hints: they count against the score; ${who} has ${ctx.caller.level}`, 'ask the responder, or `drill status` to follow along');
    }
    const hints = findScenario(running.id).hints(running.fault);
    // After the last hint, asking again repeats it without counting.
    let repeat = false;
    const s = (await updateDrill(ctx.lab, (d) => {
      repeat = d.hintsUsed >= hints.length;
      d.hintsUsed = Math.min(hints.length, d.hintsUsed + 1);
    })) ?? running;
    return { number: s.hintsUsed, total: hints.length, hint: hints[s.hintsUsed - 1]!, repeat: repeat || undefined };
  },
});
