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
    const { writeDrill } = await import('../lab/state/drill-state.js');
    const s = await requireDrill(ctx.lab);
    const hints = findScenario(s.id).hints(s.fault);
    // After the last hint, asking again repeats it without counting.
    s.hintsUsed = Math.min(hints.length, s.hintsUsed + 1);
    await writeDrill(s);
    return { number: s.hintsUsed, total: hints.length, hint: hints[s.hintsUsed - 1]! };
  },
});
