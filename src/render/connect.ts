// `connect`: one line once the router's vtysh has handed the terminal back.
import type { ConnectResult } from '../../commands/connect.js';
import { ms } from './lines.js';

export const connectText = (r: ConnectResult): string =>
  `left ${r.router}'s vtysh after ${ms(r.durationMs)}${r.exitCode ? ` (exit ${r.exitCode})` : ''}`;
