// tcpdump -n -tt -l lines into packets: `1732550000.123456 IP 10.98.0.10 > 10.98.2.10: ICMP echo request, …`
import type { CapturedPacket } from '../../commands/results.js';

const LINE = /^(\d+\.\d+)\s+IP\s+(\S+)\s+>\s+(\S+):\s+(.*)$/;

export function parseTcpdumpLine(line: string, iface: string): CapturedPacket | undefined {
  const m = LINE.exec(line.trim());
  if (!m) return undefined;
  const [, ts, src, dst, rest] = m as unknown as [string, string, string, string, string];
  const protocol = /^ICMP/.test(rest) ? 'ICMP' : /^UDP|udp/.test(rest) ? 'UDP' : /Flags \[/.test(rest) ? 'TCP' : /^BGP|bgp/i.test(rest) ? 'BGP' : rest.split(/[ ,]/)[0]!;
  const length = /length (\d+)/.exec(rest)?.[1];
  return {
    time: new Date(Number(ts) * 1000).toISOString(),
    interface: iface,
    src: src.replace(/\.(\d+)$/, ':$1'),
    dst: dst.replace(/:$/, '').replace(/\.(\d+)$/, ':$1'),
    protocol: src.endsWith('.179') || dst.endsWith('.179') ? 'BGP' : protocol,
    summary: rest,
    length: length ? Number(length) : undefined,
  };
}
