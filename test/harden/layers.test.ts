// Dependencies point down: lab/ imports nothing from commands/ or the surfaces (src/, bot/), and
// commands/ imports nothing from the surfaces. Every import form counts: `import … from`,
// `export … from`, `import type`, `import('…')` (in code and in type positions).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx|js|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

/** Relative specifiers a file imports, with the line they stand on. */
function importsOf(text: string): { spec: string; line: number }[] {
  const out: { spec: string; line: number }[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/^\s*\/\/.*$/, '').replace(/^\s*\*.*$/, '');
    for (const m of line.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"`])([^'"`]+)\1/g)) out.push({ spec: m[2], line: i + 1 });
  });
  return out;
}

/** Top-level folder of the project an import lands in, or undefined for a package. */
function layerOf(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return relative(ROOT, resolve(dirname(file), spec)).split('/')[0];
}

function violations(layer: string, forbidden: string[]): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(join(ROOT, layer))) {
    for (const { spec, line } of importsOf(readFileSync(file, 'utf8'))) {
      const target = layerOf(file, spec);
      if (target && forbidden.includes(target)) out.push(`${relative(ROOT, file)}:${line} imports ${spec}`);
    }
  }
  return out;
}

describe('layers', () => {
  it('finds every import form (the checker itself can fail)', () => {
    const text = [
      "import type { A } from '../../commands/results.js';",
      "export type * from '../src/x.js';",
      "const m = await import('../bot/app.js');",
      "type T = import('../../commands/types.js').CommandContext;",
      "import '../bot/side-effect.js';",
      "// import { x } from '../commands/commented.js';",
    ].join('\n');
    expect(importsOf(text).map((i) => i.spec)).toEqual(['../../commands/results.js', '../src/x.js', '../bot/app.js', '../../commands/types.js', '../bot/side-effect.js']);
    expect(layerOf(join(ROOT, 'lab/inspect/peers.ts'), '../../commands/results.js')).toBe('commands');
    expect(layerOf(join(ROOT, 'lab/inspect/peers.ts'), '../results.js')).toBe('lab');
  });

  it('lab/ imports nothing from commands/, src/ or bot/', () => {
    expect(sourceFiles(join(ROOT, 'lab')).length).toBeGreaterThan(50);
    expect(violations('lab', ['commands', 'src', 'bot'])).toEqual([]);
  });

  it('commands/ imports nothing from src/ or bot/', () => {
    expect(sourceFiles(join(ROOT, 'commands')).length).toBeGreaterThan(20);
    expect(violations('commands', ['src', 'bot'])).toEqual([]);
  });
});
