// A session's first command runs cold: V8 compiles the handler, the FRR parser and the table
// renderer on first use (`routes leaf0` answered in ~75 ms first, ~25 ms after). While the
// operator reads the prompt, the REPL runs `routes` once, unseen and unaudited like the prompt
// refresh, and renders it off screen, so the first real command is a warm one.
import React from 'react';
import type { Session } from '../../commands/execute.js';
import type { Topology } from '../../lab/topology/schema.js';
import { ResultView } from '../render/views.js';

export async function warmUp(session: Session, topology: Topology | undefined, width: number): Promise<void> {
  const router = topology?.routers.find((r) => r.role === 'leaf') ?? topology?.routers[0];
  if (!router) return;
  try {
    const { result } = await session.peek('routes', { device: router.name });
    const { renderToString } = await import('ink');
    renderToString(React.createElement(ResultView, { command: 'routes', result, width }));
  } catch {
    // Only a warm-up: the real command will report whatever is wrong.
  }
}
