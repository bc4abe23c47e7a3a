import { z } from 'zod';
import { defineCommand } from './types.js';

export interface RenderResult {
  outDir: string;
  target: 'lab' | 'clabernetes';
  ciliumVersion: string;
  files: { path: string; kind: string; bytes: number }[];
}

export default defineCommand({
  name: 'render',
  summary: 'Write the real lab\'s files: kind config, containerlab, VyOS/FRR configs, Cilium objects, scripts',
  examples: ['render', 'render --out /tmp/lab --cilium-version 1.16.8', 'render --target clabernetes'],
  positionals: [],
  args: z.object({
    out: z.string().min(1).optional().describe('output directory (default: out/<lab>)'),
    ciliumVersion: z.string().regex(/^v?\d+\.\d+/, 'expected a version such as 1.16.8').optional().describe('Cilium version (default: the topology\'s)'),
    fastTimers: z.boolean().default(false).describe('FRR configs with 1 s connect retry and datacenter timers'),
    target: z.enum(['lab', 'clabernetes']).default('lab').describe('kind + containerlab scripts, or a clabernetes Topology'),
  }),
  permission: 'read',
  offline: true,
  async handler(args, ctx): Promise<RenderResult> {
    const [{ renderAll }, fs, path, { LabError }] = await Promise.all([
      import('../lab/render/index.js'),
      import('node:fs/promises'),
      import('node:path'),
      import('../lab/errors.js'),
    ]);
    const topo = ctx.topology;
    const ciliumVersion = args.ciliumVersion?.replace(/^v/, '') ?? topo.cilium.version;
    const outDir = path.resolve(args.out ?? path.join('out', ctx.lab));
    const files = renderAll(topo, { ciliumVersion, fastTimers: args.fastTimers, target: args.target });
    try {
      for (const f of files) {
        const dest = path.join(outDir, f.path);
        await fs.mkdir(path.dirname(dest), { recursive: true });
        await fs.writeFile(dest, f.content, { mode: f.mode ?? 0o644 });
        // writeFile's mode only applies to new files; re-rendering must keep scripts executable.
        if (f.mode) await fs.chmod(dest, f.mode);
      }
    } catch (err) {
      throw new LabError(`cannot write ${outDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { hint: 'pass a writable directory with --out DIR' });
    }
    return {
      outDir,
      target: args.target,
      ciliumVersion,
      files: files.map((f) => ({ path: f.path, kind: f.kind, bytes: Buffer.byteLength(f.content) })),
    };
  },
});
