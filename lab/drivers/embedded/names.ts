// Names of everything the embedded lab creates. Namespaces carry the lab name so labs run
// side by side; interfaces live only inside the lab's namespaces, so their names need no prefix.
import { labDir } from '../index.js';

export const NS_PREFIX = 'bgplab';

/** `bgplab.<lab>.<device>`: dots never occur in lab or device names, so prefixes are unambiguous. */
export function nsName(lab: string, device: string): string {
  return `${NS_PREFIX}.${lab}.${device}`;
}

export function labOfNs(ns: string): string | undefined {
  const m = /^bgplab\.([^.]+)\./.exec(ns);
  return m?.[1];
}

export function deviceOfNs(ns: string): string {
  return ns.split('.').slice(2).join('.');
}

export function deviceDir(lab: string, device: string): string {
  return `${labDir(lab)}/${device}`;
}
