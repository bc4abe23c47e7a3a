import { isIPv6 } from 'node:net';
// Small IPv4 helpers: enough for subnet checks and address plans, no dependency needed.
export function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export interface Prefix {
  network: number;
  length: number;
}

export function parsePrefix(cidr: string): Prefix {
  const [addr, len] = cidr.split('/');
  const length = Number(len);
  if (!addr || !Number.isInteger(length) || length < 0 || length > 32) throw new Error(`not a prefix: ${cidr}`);
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  return { network: (ipToInt(addr) & mask) >>> 0, length };
}

export function prefixToString(p: Prefix): string {
  return `${intToIp(p.network)}/${p.length}`;
}

/** The network of an interface address: 10.1.5.1/24 -> 10.1.5.0/24. */
export function networkOf(cidr: string): string {
  if (isV6(cidr)) return networkOf6(cidr);
  return prefixToString(parsePrefix(cidr));
}

export function addressOf(cidr: string): string {
  return cidr.split('/')[0]!;
}

export function contains(outer: string, inner: string): boolean {
  // Different families never contain each other.
  if (isV6(outer) || isV6(inner)) return isV6(outer) && isV6(inner) && contains6(outer, inner);
  const o = parsePrefix(outer);
  const i = inner.includes('/') ? parsePrefix(inner) : { network: ipToInt(inner), length: 32 };
  if (i.length < o.length) return false;
  const mask = o.length === 0 ? 0 : (0xffffffff << (32 - o.length)) >>> 0;
  return ((i.network & mask) >>> 0) === o.network;
}

export function overlaps(a: string, b: string): boolean {
  return contains(a, b) || contains(b, a);
}

/** The n-th subnet of `length` inside `outer` (n from 0). */
export function nthSubnet(outer: string, length: number, n: number): string {
  if (isV6(outer)) return nthSubnet6(outer, length, n);
  const o = parsePrefix(outer);
  const size = 2 ** (32 - length);
  return prefixToString({ network: (o.network + n * size) >>> 0, length });
}

/** Host address number `host` inside a prefix: (10.98.2.0/24, 10) -> 10.98.2.10 */
export function hostIn(cidr: string, host: number): string {
  if (isV6(cidr)) return hostIn6(cidr, host);
  return intToIp((parsePrefix(cidr).network + host) >>> 0);
}

export function isValidIp(ip: string): boolean {
  try {
    ipToInt(ip);
    return true;
  } catch {
    return false;
  }
}

// ---- IPv6, alongside (never instead of) the IPv4 helpers above. Addresses are parsed by
// node's own parser (net.isIPv6) and kept in RFC 5952 form (as FRR and iproute2 print them),
// so string comparisons against live output hold. Dotted (IPv4-embedded) forms and zone ids
// are refused: no address of the lab needs them.

export const isV6 = (addrOrCidr: string): boolean => addrOrCidr.includes(':');

/** A plain IPv6 address: node's parser, no zone, no embedded IPv4. */
export function isValidIp6(ip: string): boolean {
  return ip.length <= 39 && !ip.includes('.') && !ip.includes('%') && isIPv6(ip);
}

export function ip6ToBigInt(ip: string): bigint {
  if (!isValidIp6(ip)) throw new Error(`not an IPv6 address: ${ip}`);
  const [head, tail] = ip.includes('::') ? ip.split('::') as [string, string] : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n);
}

/** RFC 5952: lower case, leading zeros dropped, the longest run (>1) of zero groups as `::`. */
export function bigIntToIp6(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(16 * (7 - i))) & 0xffffn));
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export function canonicalIp6(ip: string): string {
  return bigIntToIp6(ip6ToBigInt(ip));
}

interface Prefix6 { network: bigint; length: number }
const MASK128 = (1n << 128n) - 1n;
const mask6 = (len: number) => (len === 0 ? 0n : (MASK128 << BigInt(128 - len)) & MASK128);

export function parsePrefix6(cidr: string): Prefix6 {
  const [addr, len, extra] = cidr.split('/');
  const length = Number(len);
  if (!addr || extra !== undefined || !/^\d{1,3}$/.test(len ?? '') || length > 128) throw new Error(`not an IPv6 prefix: ${cidr}`);
  return { network: ip6ToBigInt(addr) & mask6(length), length };
}

/** `fd00:10:1:5::1/64` → the same in RFC 5952 form, host bits kept (an interface address). */
export function canonicalCidr6(cidr: string): string {
  const [addr, len] = cidr.split('/');
  parsePrefix6(cidr);
  return `${canonicalIp6(addr!)}/${Number(len)}`;
}

function contains6(outer: string, inner: string): boolean {
  const o = parsePrefix6(outer);
  const i = inner.includes('/') ? parsePrefix6(inner) : { network: ip6ToBigInt(inner), length: 128 };
  return i.length >= o.length && (i.network & mask6(o.length)) === o.network;
}

function networkOf6(cidr: string): string {
  const p = parsePrefix6(cidr);
  return `${bigIntToIp6(p.network)}/${p.length}`;
}

function nthSubnet6(outer: string, length: number, n: number): string {
  const o = parsePrefix6(outer);
  return `${bigIntToIp6(o.network + (BigInt(n) << BigInt(128 - length)))}/${length}`;
}

function hostIn6(cidr: string, host: number): string {
  return bigIntToIp6(parsePrefix6(cidr).network + BigInt(host));
}
