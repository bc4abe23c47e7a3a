import { z } from 'zod';
import { defineCommand } from './types.js';
import type { DrillRoleResult } from './drill-results.js';

export default defineCommand({
  name: 'drill role',
  summary: 'Claim a role in the running drill: commander, scribe or responder (you become a participant)',
  examples: ['drill role commander', 'drill role scribe'],
  positionals: [{ name: 'role', complete: { values: ['commander', 'scribe', 'responder'] } }],
  args: z.object({ role: z.enum(['commander', 'scribe', 'responder']).describe('commander, scribe or responder') }),
  permission: 'read',
  async handler(args, ctx): Promise<DrillRoleResult> {
    const { requireDrill } = await import('../lab/drills/run.js');
    const { addParticipant, updateDrill } = await import('../lab/state/drill-state.js');
    await requireDrill(ctx.lab, { started: true });
    const at = new Date().toISOString();
    const name = ctx.caller.name ?? ctx.caller.user;
    let before: string | undefined;
    const s = await updateDrill(ctx.lab, (d) => {
      // One commander at a time: a new claim takes it over (said in the timeline).
      if (args.role === 'commander') {
        const cur = d.participants?.find((p) => p.roles.includes('commander') && p.user !== ctx.caller.user);
        if (cur) {
          before = cur.name;
          cur.roles = cur.roles.filter((r) => r !== 'commander');
        }
      }
      addParticipant(d, { user: ctx.caller.user, name, role: args.role, surface: ctx.caller.surface, at });
      d.events = [...(d.events ?? []), { at, kind: 'role', user: ctx.caller.user, name, text: `${name} is ${args.role}${before ? ` (was ${before})` : ''}` }];
    });
    return { lab: ctx.lab, role: args.role, name, took: before, participants: (s?.participants ?? []).map((p) => ({ name: p.name, roles: p.roles, paged: p.paged })) };
  },
});
