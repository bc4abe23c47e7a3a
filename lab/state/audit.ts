// Every command from every surface, one JSON line each: who, where, what, outcome, duration.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from '../paths.js';

export interface AuditEntry {
  at: string;
  lab: string;
  surface: string;
  user: string;
  channel?: string;
  command: string;
  line: string;
  outcome: 'ok' | 'failed' | 'error' | 'denied' | 'busy' | 'bad-input' | 'cancelled';
  message?: string;
  durationMs: number;
}

export function auditFile(): string {
  return process.env.BGP_LAB_AUDIT_LOG ?? join(stateDir(), 'audit.log');
}

export function appendAudit(entry: AuditEntry): void {
  const file = auditFile();
  mkdirSync(join(file, '..'), { recursive: true });
  appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

export function readAudit(last?: number, lab?: string): AuditEntry[] {
  let text = '';
  try {
    text = readFileSync(auditFile(), 'utf8');
  } catch {
    return [];
  }
  const entries = text
    .split('\n')
    .filter(Boolean)
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as AuditEntry];
      } catch {
        return [];
      }
    })
    .filter((e) => !lab || e.lab === lab);
  return last ? entries.slice(-last) : entries;
}
