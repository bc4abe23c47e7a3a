// `watch`'s closing line (the ticks themselves are printed as they come: watch-ticks.ts).
import type { WatchResult } from '../../commands/watch.js';

export const watchText = (r: WatchResult) =>
  `watched \`${r.line}\` ${r.ticks} time${r.ticks === 1 ? '' : 's'}, every ${r.intervalSeconds}s (${r.stoppedBy === 'count' ? 'count reached' : 'stopped'})`;
