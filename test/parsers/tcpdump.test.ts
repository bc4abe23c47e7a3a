import { describe, expect, it } from 'vitest';
import { parseTcpdumpLine } from '../../lab/parsers/tcpdump.js';

describe('tcpdump line parser', () => {
  it('keeps ICMP addresses whole (no port)', () => {
    const p = parseTcpdumpLine('1796105687.506000 IP 10.98.0.10 > 10.98.2.10: ICMP echo request, id 19754, seq 1, length 64', 'eth2')!;
    expect(p).toMatchObject({ interface: 'eth2', src: '10.98.0.10', dst: '10.98.2.10', protocol: 'ICMP', length: 64 });
    expect(p.time).toBe('2026-12-01T06:14:47.506Z');
  });

  it('splits address and port for TCP, and names BGP by port 179', () => {
    const tcp = parseTcpdumpLine('1796105687.5 IP 10.98.0.10.41000 > 10.98.2.10.80: Flags [S], seq 1, win 64240, length 0', 'eth1')!;
    expect(tcp).toMatchObject({ src: '10.98.0.10:41000', dst: '10.98.2.10:80', protocol: 'TCP', length: 0 });
    const bgp = parseTcpdumpLine('1796105687.6 IP 10.1.10.1.56706 > 10.1.10.2.179: Flags [P.], seq 1:20, ack 1, win 62, length 19: BGP', 'eth1')!;
    expect(bgp).toMatchObject({ src: '10.1.10.1:56706', dst: '10.1.10.2:179', protocol: 'BGP' });
  });

  it('ignores lines that are not IPv4 packets', () => {
    expect(parseTcpdumpLine('listening on eth1, link-type EN10MB (Ethernet), snapshot length 262144 bytes', 'eth1')).toBeUndefined();
    expect(parseTcpdumpLine('1796105687.6 ARP, Request who-has 10.1.5.1 tell 10.1.5.10, length 28', 'eth3')).toBeUndefined();
  });
});
