import { z } from 'zod';
import { defineCommand } from './types.js';
import { readAudit, type AuditEntry } from '../lab/state/audit.js';

export interface AuditResult {
  entries: AuditEntry[];
}

export default defineCommand({
  name: 'audit',
  summary: 'Who ran what, where, with which outcome and how long it took',
  examples: ['audit', 'audit --last 50', 'audit --all-labs'],
  positionals: [],
  args: z.object({
    last: z.coerce.number().int().min(1).max(10000).default(20).describe('how many entries, newest last'),
    allLabs: z.boolean().default(false).describe('entries of every lab, not only this one'),
  }),
  permission: 'read',
  offline: true,
  async handler(args, ctx): Promise<AuditResult> {
    return { entries: readAudit(args.last, args.allLabs ? undefined : ctx.lab) };
  },
});
