// yaml loaded on first use, synchronously: most commands never parse YAML, and loading it
// up front costs every `bgp-lab` start ~60 ms of CPU.
import { createRequire } from 'node:module';

let mod: typeof import('yaml') | undefined;

export function yaml(): typeof import('yaml') {
  mod ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return mod;
}
