// `connect <router>`: the argv of an interactive vtysh inside one router of the embedded lab.
// The surface runs it on its terminal; this only decides what runs and that it can.
import type { Driver } from '../types.js';
import { LabError } from '../../errors.js';
import { daemonPid, embeddedOnly, requireRecord } from './ops.js';
import { deviceDir, nsName } from './names.js';

/** `ip netns exec <ns> vtysh --vty_socket <router dir>`: FRR's own prompt, Tab and history. */
export async function routerShellArgv(driver: Driver, router: string): Promise<string[]> {
  const d = embeddedOnly(driver);
  await requireRecord(d);
  // vtysh without its daemons opens a prompt that can do nothing: say so before handing over.
  if (!(await daemonPid(d, router, 'zebra')))
    throw new LabError(`${router}'s zebra is not running: vtysh would have nothing to talk to`, { hint: `\`router restart ${router}\`, then connect again` });
  // The router was resolved against the topology by the command: namespace and dir are ours.
  return ['ip', 'netns', 'exec', nsName(d.lab, router), 'vtysh', '--vty_socket', deviceDir(d.lab, router)];
}
