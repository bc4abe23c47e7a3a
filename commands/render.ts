import { z } from 'zod';
import { defineCommand } from './types.js';

export interface RenderResult {
  /** Where the files were written; absent when rendered in memory (Slack: `archive` instead). */
  outDir?: string;
  /** The files as one tar archive (a string whose UTF-8 bytes are the archive), for an upload. */
  archive?: { filename: string; content: string };
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
    out: z.string().min(1).optional().describe('output directory (default: out/<lab>); not from Slack'),
    force: z.boolean().default(false).describe('write into a non-empty directory bgp-lab did not make'),
    ciliumVersion: z.string().regex(/^v?\d{1,3}\.\d{1,3}(\.\d{1,3})?(-[0-9A-Za-z.]{1,32})?$/, 'expected a version such as 1.16.8').optional().describe('Cilium version (default: the topology\'s)'),
    fastTimers: z.boolean().default(false).describe('FRR configs with 1 s connect retry and datacenter timers'),
    target: z.enum(['lab', 'clabernetes']).default('lab').describe('kind + containerlab scripts, or a clabernetes Topology'),
  }),
  permission: 'read',
  offline: true,
  hostPaths: { out: 'out' },
  async handler(args, ctx): Promise<RenderResult> {
    const [{ renderAll }, path] = await Promise.all([import('../lab/render/index.js'), import('node:path')]);
    const topo = ctx.topology;
    const ciliumVersion = args.ciliumVersion?.replace(/^v/, '') ?? topo.cilium.version;
    const files = renderAll(topo, { ciliumVersion, fastTimers: args.fastTimers, target: args.target });
    let outDir: string | undefined;
    let archive: RenderResult['archive'];
    if (ctx.caller.surface === 'slack') {
      // Nothing touches the lab host's disk: the files go back as one upload.
      const { tarArchive } = await import('../lab/render/tar.js');
      archive = { filename: `${ctx.lab}-render.tar`, content: tarArchive(files.map((f) => ({ ...f, path: `${ctx.lab}/${f.path}` }))) };
    } else {
      const { writeFilesNoFollow } = await import('../lab/render/write.js');
      outDir = writeFilesNoFollow(path.resolve(args.out ?? path.join('out', ctx.lab)), files, { force: args.force });
    }
    return {
      outDir,
      archive,
      target: args.target,
      ciliumVersion,
      files: files.map((f) => ({ path: f.path, kind: f.kind, bytes: Buffer.byteLength(f.content) })),
    };
  },
});
