// `nft list ruleset` text → the rules that drop packets on one interface (the lab's lossy-link
// fallback where the kernel has no netem, or anything else that drops there), with where they live.

export interface NftDropRule {
  /** `ip bgplab-netem-eth1`. */
  table: string;
  chain: string;
  /** `postrouting`, `input`, …: where in the path the rule sits. */
  hook?: string;
  /** The interface the rule matches and which way: `oifname` (out) or `iifname` (in). */
  iface: string;
  direction: 'in' | 'out';
  /** The rule as nft prints it (counters included). */
  rule: string;
  /** `numgen random mod 100 < N`: the share of packets it drops. */
  lossPct?: number;
  /** Packets it has dropped so far, when it counts. */
  packets?: number;
}

export function parseNftDropRules(text: string): NftDropRule[] {
  const out: NftDropRule[] = [];
  let table = '';
  let chain = '';
  let hook: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^table (\S+ \S+) \{$/.exec(line))) [table, chain, hook] = [m[1]!, '', undefined];
    else if ((m = /^chain (\S+) \{$/.exec(line))) [chain, hook] = [m[1]!, undefined];
    else if ((m = /^type \S+ hook (\S+)/.exec(line))) hook = m[1];
    else if (chain && /\bdrop\b/.test(line) && (m = /\b([io])ifname "([^"]+)"/.exec(line))) {
      const loss = /numgen random mod 100 < (\d+)/.exec(line);
      const packets = /counter packets (\d+)/.exec(line);
      out.push({
        table,
        chain,
        hook,
        iface: m[2]!,
        direction: m[1] === 'o' ? 'out' : 'in',
        rule: line.replace(/\s*# handle \d+$/, ''),
        lossPct: loss ? Number(loss[1]) : undefined,
        packets: packets ? Number(packets[1]) : undefined,
      });
    }
  }
  return out;
}
