// After a scenario's own restore: whatever a responder (or a crash mid-drill) left behind
// goes back to the baseline — the model, link states and MTUs, netem, stray staticd,
// dead daemons. Idempotent, so `drill end` can be run again after a failure.
import type { Topology } from '../topology/schema.js';
import type { EmbeddedDriver } from '../drivers/embedded/index.js';
import { applyTopology } from './policy.js';
import { daemonPid, killDaemon, linkInfo, netemOf, restartAgent, restartRouter, setLink, setNetem } from '../drivers/embedded/ops.js';

export async function restoreLab(d: EmbeddedDriver, baselineTopology: Topology | undefined): Promise<string[]> {
  const done: string[] = [];
  let rec = (await d.record())!;
  if (baselineTopology && JSON.stringify(rec.topology) !== JSON.stringify(baselineTopology)) {
    const { nodes } = await applyTopology(d, rec, baselineTopology);
    done.push(`policies restored (agents reconfigured: ${nodes.map((n) => n.node).join(', ') || 'none'})`);
    rec = (await d.record())!;
  }
  const topo = rec.topology;
  await Promise.all(
    topo.routers.map(async (r) => {
      for (const i of r.interfaces) {
        const l = await linkInfo(d, r.name, i.name);
        if (!l.adminUp || l.mtu !== i.mtu) {
          await setLink(d, r.name, i.name, 'up', i.mtu);
          done.push(`${r.name} ${i.name} up, MTU ${i.mtu}`);
        }
        if (await netemOf(d, r.name, i.name)) {
          await setNetem(d, r.name, i.name, 'clear');
          done.push(`${r.name} ${i.name} netem cleared`);
        }
      }
      if (await daemonPid(d, r.name, 'staticd')) {
        await killDaemon(d, r.name, 'staticd'); // zebra drops its static routes with it
        done.push(`${r.name} staticd stopped`);
      }
    }),
  );
  await Promise.all(
    topo.cluster.nodes.map(async (n) => {
      const l = await linkInfo(d, n.name, n.interface);
      if (!l.adminUp) {
        await setLink(d, n.name, n.interface, 'up');
        done.push(`${n.name} ${n.interface} up`);
      }
    }),
  );
  const health = await d.health();
  for (const h of health) {
    const dead = h.daemons.filter((x) => !x.alive).map((x) => x.name);
    if (!dead.length) continue;
    if (h.kind === 'router') await restartRouter(d, h.name);
    else if (h.kind === 'node') await restartAgent(d, rec, h.name);
    else continue;
    done.push(`${h.name}: restarted ${dead.join(', ')}`);
  }
  return done;
}

/** Routers whose routes the kernel rejected (FRR 8.4 after an interface flap, FRRouting/frr#14160). */
export function rejectedRouters(diff: string[]): string[] {
  return [...new Set(diff.filter((l) => l.endsWith(' NOT-IN-FIB')).map((l) => l.split(':')[0]!))];
}
