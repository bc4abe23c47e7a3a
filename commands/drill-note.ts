import { z } from 'zod';
import { defineCommand } from './types.js';
import type { DrillNoteResult } from './drill-results.js';

export default defineCommand({
  name: 'drill note',
  summary: 'Add a note to the running drill\'s timeline ("+ …" went well, "- …" was hard, for the postmortem)',
  examples: ['drill note "leaf0 lost a next hop toward rack 2"', 'drill note + the page pointed straight at the spine', 'drill note - took a while to find the right router'],
  positionals: [{ name: 'text', variadic: true }],
  args: z.object({ text: z.array(z.string().max(600)).min(1).max(100).describe('the note (up to 500 characters)') }),
  permission: 'read',
  async handler(args, ctx): Promise<DrillNoteResult> {
    const { requireDrill } = await import('../lab/drills/run.js');
    const { addParticipant, updateDrill } = await import('../lab/state/drill-state.js');
    const { cleanNote } = await import('../lab/gameday/input.js');
    const text = cleanNote(args.text.join(' '));
    await requireDrill(ctx.lab, { started: true });
    const at = new Date().toISOString();
    const name = ctx.caller.name ?? ctx.caller.user;
    const s = await updateDrill(ctx.lab, (d) => {
      if ((d.notes?.length ?? 0) >= 200) return; // a drill's notes are bounded too
      d.notes = [...(d.notes ?? []), { at, user: ctx.caller.user, name, text }];
      addParticipant(d, { user: ctx.caller.user, name, surface: ctx.caller.surface, at });
    });
    return { lab: ctx.lab, at, name, text, notes: s?.notes?.length ?? 0 };
  },
});
