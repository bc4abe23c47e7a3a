// Bundles the CLI entry and its pure-JS dependencies into dist/bundle/ so `bgp-lab --help`
// and the REPL load a few files instead of hundreds of modules.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Bundled: zod, and the REPL's ink + react (importing ink module by module costs ~1 s of CPU).
// Left as imports: yaml (its Node build is CommonJS), Bolt, ssh2, the Kubernetes client
// (loaded lazily, only where used), ink's optional devtools, the GoBGP API client's gRPC +
// protobufjs (CommonJS, required only where an agent is configured), and the graph's elkjs and
// resvg (a native addon), loaded only by `graph`.
const EXTERNAL = /^(yaml|@slack\/|@kubernetes\/|ssh2|react-devtools-core|node:|@grpc\/|protobufjs|elkjs|@resvg\/)/;

// Chunk names carry content hashes: without a clean slate old chunks pile up.
rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: ['src/cli.ts'],
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Prefer the packages' ESM builds; CommonJS parts that still require() Node builtins get one.
  mainFields: ['module', 'main'],
  conditions: ['import', 'node'],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [
    {
      name: 'external-packages',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => (EXTERNAL.test(args.path) ? { path: args.path, external: true } : undefined));
      },
    },
  ],
});
