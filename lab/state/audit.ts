// Every command from every surface, one JSON line each: who, where, what, outcome, duration.
// A mutating command writes a `started` line (with an id) before it runs and its outcome line
// (same id) after: a crash in between leaves a `started` line nobody finished, which `audit`
// shows as `unfinished` — and a log that cannot be written refuses the command before it runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { stateDir } from '../paths.js';
import { appendPrivate, privateDir } from './dir.js';

export interface AuditEntry {
  at: string;
  /** Pairs a mutating command's `started` line with its outcome line. */
  id?: string;
  lab: string;
  surface: string;
  user: string;
  channel?: string;
  command: string;
  line: string;
  /** `unfinished`: only when read back, a `started` line with no outcome (crashed, or still running). */
  outcome: 'ok' | 'failed' | 'error' | 'denied' | 'busy' | 'bad-input' | 'cancelled' | 'started' | 'unfinished';
  message?: string;
  durationMs: number;
}

export function auditFile(): string {
  return process.env.BGP_LAB_AUDIT_LOG ?? join(stateDir(), 'audit.log');
}

export function newAuditId(): string {
  return randomUUID();
}

/** Appends one line (the file 0600, the state dir 0700). Throws when it cannot be written. */
export function appendAudit(entry: AuditEntry): void {
  const file = auditFile();
  if (!process.env.BGP_LAB_AUDIT_LOG) privateDir(stateDir());
  appendPrivate(file, `${JSON.stringify(entry)}\n`);
}

export function readAudit(last?: number, lab?: string): AuditEntry[] {
  let text = '';
  try {
    text = readFileSync(auditFile(), 'utf8');
  } catch {
    return [];
  }
  const all = text
    .split('\n')
    .filter(Boolean)
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as AuditEntry];
      } catch {
        return []; // a line cut by a crash or a full disk
      }
    });
  const finished = new Set(all.filter((e) => e.id && e.outcome !== 'started').map((e) => e.id));
  const entries = all
    .filter((e) => e.outcome !== 'started' || !finished.has(e.id))
    .map((e): AuditEntry => (e.outcome === 'started' ? { ...e, outcome: 'unfinished', message: 'no outcome recorded: still running, or its process died' } : e))
    .filter((e) => !lab || e.lab === lab);
  return last ? entries.slice(-last) : entries;
}
