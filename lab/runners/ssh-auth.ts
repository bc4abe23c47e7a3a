// How the SSH runner logs in, and what a failed connection says: one line and what to do.
import ssh2 from 'ssh2';
import type { ConnectConfig } from 'ssh2';
import { readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LabError, UsageError } from '../errors.js';

/** --identity FILE, else the agent, else ~/.ssh/id_ed25519 or id_rsa (unencrypted). */
export async function authConfig(identity?: string): Promise<Pick<ConnectConfig, 'privateKey' | 'agent'>> {
  if (identity) {
    const key = await readFile(identity).catch(() => {
      throw new UsageError(`--identity ${identity} cannot be read`, 'give the path of a private key file');
    });
    const parsed = ssh2.utils.parseKey(key);
    if (parsed instanceof Error) {
      throw new LabError(`--identity ${identity}: ${parsed.message}`, { hint: 'load the key into ssh-agent (ssh-add) and omit --identity' });
    }
    return { privateKey: key };
  }
  const agent = process.env.SSH_AUTH_SOCK || undefined;
  for (const name of ['id_ed25519', 'id_rsa']) {
    const file = join(homedir(), '.ssh', name);
    if (!existsSync(file)) continue;
    const key = readFileSync(file);
    if (!(ssh2.utils.parseKey(key) instanceof Error)) return { privateKey: key, agent };
  }
  if (agent) return { agent };
  throw new LabError('no SSH key to log in with', { hint: 'pass --identity FILE, or start ssh-agent and ssh-add your key' });
}

export function connectError(err: Error & { level?: string; code?: string }, where: string, identity?: string): LabError {
  if (err.level === 'client-authentication') {
    return new LabError(`ssh ${where}: authentication failed`, {
      hint: identity ? `is ${identity}.pub in the remote authorized_keys?` : 'pass --identity FILE or add your key to ssh-agent',
    });
  }
  if (err.code === 'ECONNREFUSED') return new LabError(`ssh ${where}: connection refused`, { hint: 'is sshd running there, on that port?' });
  if (err.code === 'ENOTFOUND') return new LabError(`ssh ${where}: unknown host`, { hint: 'check the name in --host' });
  if (/timed out/i.test(err.message)) return new LabError(`ssh ${where}: timed out connecting`, { hint: 'check the address and that port 22 (or :PORT) is reachable' });
  return new LabError(`ssh ${where}: ${err.message.split('\n')[0]}`, { hint: 'try `ssh` to the same host to see what it says' });
}
