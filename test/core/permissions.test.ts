// Permission levels that depend on the arguments. Checked on a stand-in command, never on the
// real `down --all`: if the check regressed, that test would remove every lab on the machine.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { Session } from '../../commands/execute.js';
import { commands, findCommand } from '../../commands/registry.js';
import { defineCommand, type CommandSpec } from '../../commands/types.js';

process.env.BGP_LAB_STATE_DIR = mkdtempSync(join(tmpdir(), 'bgp-lab-perm-'));
let ran = 0;
const standIn = defineCommand({
  name: 'zz-raise',
  summary: 'test stand-in: admin with --all',
  positionals: [],
  args: z.object({ all: z.boolean().default(false) }),
  permission: 'operate',
  permissionFor: (a) => (a.all ? 'admin' : 'operate'),
  offline: true,
  async handler() {
    ran++;
    return { ok: true };
  },
}) as CommandSpec;
commands.push(standIn);
afterAll(() => void commands.splice(commands.indexOf(standIn), 1));

describe('permissions that depend on the arguments', () => {
  it('down --all needs admin; plain down needs operate', () => {
    const down = findCommand('down')!;
    expect(down.permission).toBe('operate');
    expect(down.permissionFor!(down.args.parse({ all: true }))).toBe('admin');
    expect(down.permissionFor!(down.args.parse({}))).toBe('operate');
  });

  it('an operator is refused the raised level, with the line and both levels named, and nothing runs', async () => {
    const s = new Session({ lab: 'perm-test', caller: { surface: 'slack', user: 'UOPER', level: 'operate' } });
    const refused = await s.run('zz-raise --all');
    expect(refused.status).toBe('denied');
    expect(refused.error!.message).toBe('`zz-raise --all` needs admin permission; <@UOPER> has operate');
    expect(ran).toBe(0);
    expect((await s.run('zz-raise')).ok).toBe(true);
    expect(ran).toBe(1);
    const admin = await s.run('zz-raise --all', { caller: { surface: 'slack', user: 'UADMIN', level: 'admin' } });
    expect(admin.ok).toBe(true);
    expect(ran).toBe(2);
  });
});
