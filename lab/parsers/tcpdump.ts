// tcpdump -n -tt -l lines into packets: `1732550000.123456 IP 10.98.0.10 > 10.98.2.10: ICMP echo request, …`
import type { CapturedPacket } from '../results.js';

const LINE = /^(\d+\.\d+)\s+IP\s+(\S+)\s+>\s+(\S+):\s+(.*)$/;
/** `10.1.10.1.179` is address 10.1.10.1, port 179; `10.98.0.10` (ICMP) has no port. */
const ENDPOINT = /^(\d+\.\d+\.\d+\.\d+)(?:\.(\d+))?$/;

function endpoint(word: string): { text: string; port?: number } {
  const m = ENDPOINT.exec(word);
  if (!m) return { text: word };
  return m[2] ? { text: `${m[1]}:${m[2]}`, port: Number(m[2]) } : { text: m[1]! };
}

export function parseTcpdumpLine(line: string, iface: string): CapturedPacket | undefined {
  const m = LINE.exec(line.trim());
  if (!m) return undefined;
  const [, ts, srcWord, dstWord, rest] = m as unknown as [string, string, string, string, string];
  const src = endpoint(srcWord);
  const dst = endpoint(dstWord);
  const protocol =
    src.port === 179 || dst.port === 179 ? 'BGP'
    : /^ICMP/.test(rest) ? 'ICMP'
    : /^UDP|udp/.test(rest) ? 'UDP'
    : /Flags \[/.test(rest) ? 'TCP'
    : rest.split(/[ ,]/)[0]!;
  const length = /length (\d+)/.exec(rest)?.[1];
  return {
    time: new Date(Number(ts) * 1000).toISOString(),
    interface: iface,
    src: src.text,
    dst: dst.text,
    protocol,
    summary: rest,
    length: length ? Number(length) : undefined,
  };
}
