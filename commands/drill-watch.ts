import { z } from 'zod';
import { defineCommand } from './types.js';
import type { WatchLook } from '../lab/gameday/watch.js';

export type DrillWatchResult = WatchLook;

export default defineCommand({
  name: 'drill watch',
  summary: "One look at the running drill: BGP sessions and leaf routes that changed go into its timeline; says if an abort rule is passed (the bot looks every 2 s)",
  positionals: [],
  args: z.object({}),
  permission: 'read',
  async handler(_args, ctx): Promise<DrillWatchResult> {
    const { watchDrill } = await import('../lab/gameday/watch.js');
    return watchDrill(await ctx.driver(), ctx.lab);
  },
});
