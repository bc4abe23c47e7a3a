// FRR's vtysh protocol spoken directly to a daemon's vty socket: the command with a NUL,
// the answer ends with three NULs and a status byte. ~4 ms instead of ~80 ms for spawning
// vtysh, which is what keeps `routes` and the convergence poll cheap on a local lab.
import { createConnection } from 'node:net';

export function vtyCommand(socketPath: string, command: string, timeoutMs = 5000): Promise<{ output: string; status: number }> {
  return new Promise((resolve, reject) => {
    const sock = createConnection(socketPath);
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no answer from ${socketPath} in ${timeoutMs} ms`));
    }, timeoutMs);
    sock.on('connect', () => sock.write(`${command}\0`));
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      size += d.length;
      const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      const n = all.length;
      if (n >= 4 && all[n - 4] === 0 && all[n - 3] === 0 && all[n - 2] === 0) {
        clearTimeout(timer);
        sock.end();
        resolve({ output: all.subarray(0, n - 4).toString('utf8'), status: all[n - 1]! });
      }
    });
    sock.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
