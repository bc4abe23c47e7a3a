// The prompt's health comes from the `status` command's result. It is read through the
// command core but not audited: refreshing the prompt is not something the operator ran.
import type { Session } from '../../commands/execute.js';
import type { StatusResult } from '../../commands/results.js';
import type { Topology } from '../../lab/topology/schema.js';
import type { PromptLabel } from './input.js';

export async function quietStatus(session: Session, signal?: AbortSignal): Promise<{ status?: StatusResult; topology?: Topology }> {
  try {
    const { result, context } = await session.peek<StatusResult>('status', {}, { signal });
    return { status: result, topology: context.topology };
  } catch {
    return { topology: await session.context({ signal }).then((c) => c.topology).catch(() => undefined) };
  }
}

export function promptLabel(lab: string, status?: StatusResult): PromptLabel {
  if (!status) return { text: `${lab} ›`, color: 'cyan' };
  const { established, expected } = status.sessions;
  if (status.state === 'down') return { text: `${lab} ✗ down ›`, color: 'red' };
  const mark = status.state === 'up' ? '✓' : '!';
  const drill = status.drill ? ` [drill ${status.drill.id}]` : ''; // the running drill, for whoever is on call
  return { text: `${lab} ${mark} ${established}/${expected} sessions${drill} ›`, color: status.state === 'up' ? 'green' : 'yellow' };
}
