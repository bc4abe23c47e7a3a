import { z } from 'zod';
import { defineCommand } from './types.js';
import type { DrillHintResult } from './drill-results.js';

export default defineCommand({
  name: 'drill hint',
  summary: 'The next hint for the running drill (hints used are scored)',
  positionals: [],
  args: z.object({}),
  permission: 'read',
  async handler(_args, ctx): Promise<DrillHintResult> {
    const { requireDrill } = await import('../lab/drills/run.js');
    const { findScenario } = await import('../lab/drills/index.js');
    const { updateDrill } = await import('../lab/state/drill-state.js');
    const running = await requireDrill(ctx.lab);
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
