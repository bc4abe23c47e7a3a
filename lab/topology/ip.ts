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
  return prefixToString(parsePrefix(cidr));
}

export function addressOf(cidr: string): string {
  return cidr.split('/')[0]!;
}

export function contains(outer: string, inner: string): boolean {
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
  const o = parsePrefix(outer);
  const size = 2 ** (32 - length);
  return prefixToString({ network: (o.network + n * size) >>> 0, length });
}

/** Host address number `host` inside a prefix: (10.98.2.0/24, 10) -> 10.98.2.10 */
export function hostIn(cidr: string, host: number): string {
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
