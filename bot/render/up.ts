// `up` and `down`: a summary with timings, and after `up` the next useful clicks.
// Buttons carry a command line; the click runs it through the same permission check.
import type { DownResult, UpResult } from '../../commands/results.js';
import type { KnownBlock } from './blocks.js';
import { displayArgv } from '../../lab/argv.js';
import { codeSections, context, duration, esc, section, table, type SlackMessage } from './blocks.js';

export const RUN_ACTION = 'bgp_lab_run';

/** A button that runs `line` with the clicker's permissions (action ids unique per line). */
export function runButton(label: string, line: string, extra: Record<string, unknown> = {}) {
  return { type: 'button' as const, action_id: `${RUN_ACTION}:${line.replace(/\s+/g, '-')}`, text: { type: 'plain_text' as const, text: label }, value: line, ...extra };
}

export function nextActions(firstRouter: string | undefined): KnownBlock {
  return {
    type: 'actions',
    elements: [
      ...(firstRouter ? [runButton(`Routes ${firstRouter}`, `routes ${firstRouter}`)] : []),
      runButton('Check', 'check'),
      runButton('Tear down', 'down', {
        style: 'danger',
        confirm: {
          title: { type: 'plain_text', text: 'Tear down the lab?' },
          text: { type: 'plain_text', text: 'Every namespace and daemon of the lab is removed. Needs operate permission.' },
          confirm: { type: 'plain_text', text: 'Tear down' },
          deny: { type: 'plain_text', text: 'Keep it' },
          style: 'danger',
        },
      }),
    ],
  };
}

export function renderUp(r: UpResult, firstRouter = 'leaf0'): SlackMessage {
  if (r.dryRun) {
    const plan = r.plan ?? [];
    const groups = plan.map((s, i) => [`${i + 1}. ${s.label}`, s.file ? `   > ${s.file}` : `   $ ${displayArgv(s.argv)}`, ...(s.input ?? []).map((l) => `     ${l}`)]);
    const { blocks, shownGroups } = codeSections(groups);
    return {
      text: `dry run: ${plan.length} steps for lab ${r.lab}; nothing was run`,
      blocks: [
        section(`:clipboard: *dry run* for lab ${esc(r.lab)} (${esc(r.driver)}): ${plan.length} steps; nothing was run`),
        ...blocks,
        ...(shownGroups < plan.length ? [context(`…${plan.length - shownGroups} more steps`)] : []),
      ],
    };
  }
  const steps = table(r.steps.map((s) => [s.label, duration(s.ms)]));
  const pods = table(r.pods.map((p) => [p.name, p.node, p.ip]));
  return {
    text: `lab ${r.lab} ${r.converged ? 'is up' : 'did not converge'} in ${duration(r.durationMs)}`,
    blocks: [
      section(
        `${r.converged ? ':white_check_mark:' : ':warning:'} *lab ${esc(r.lab)} ${r.converged ? 'is up' : 'did not converge'}* in ${duration(r.durationMs)} (${esc(r.driver)}) — ${r.sessions.established}/${r.sessions.expected} BGP sessions, ${r.pods.length} pods`,
      ),
      ...(r.notConverged?.length ? [section(`*Not converged*\n${esc(r.notConverged.slice(0, 20).map((x) => `• ${x}`).join('\n'))}`)] : []),
      ...(steps.length ? codeSections([steps], 1).blocks : []),
      ...(pods.length ? codeSections([pods], 1).blocks : []),
      nextActions(firstRouter),
    ],
  };
}

export function renderDown(r: DownResult): SlackMessage {
  return {
    text: `removed ${r.labs.join(', ') || 'nothing'}`,
    blocks: [
      section(`:wastebasket: *${r.labs.length ? `lab ${esc(r.labs.join(', '))} removed` : 'no lab to remove'}* in ${duration(r.durationMs)}`),
      ...(r.removed.length ? [context(`${r.removed.length} namespaces and their processes removed`)] : []),
    ],
  };
}
