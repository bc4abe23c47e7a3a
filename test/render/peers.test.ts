import { describe, expect, it } from 'vitest';
import { peersText, sessionErrorText } from '../../src/render/peers.js';
import { renderResult } from '../../bot/render/index.js';
import type { PeersResult } from '../../commands/results.js';

// A node whose policy has the wrong peerASN, as FRR on leaf1 explains it.
const lastError = { by: 'leaf1', notification: 'OPEN Message Error/Bad Peer AS', resetDueTo: 'BGP Notification received' };
const r: PeersResult = {
  ok: false, established: 0, expected: 1,
  peers: [{ router: 'cilium-bgp-worker2', kind: 'node', localAs: 65008, peerAs: 65009, peerAddress: '10.1.8.1', peer: 'leaf1', state: 'Idle', uptime: '', received: 0, advertised: 0, expected: true, lastError }],
};

describe('why a session is down', () => {
  it('puts the subcode first and says who saw it', () => {
    expect(sessionErrorText(lastError)).toBe('Bad Peer AS (OPEN Message Error, NOTIFICATION received by leaf1)');
    expect(sessionErrorText({ by: 'leaf0', resetDueTo: 'Hold Timer Expired' })).toBe('leaf0: Hold Timer Expired');
  });
  it('both surfaces show it', () => {
    expect(peersText(r, { color: false, width: 200 })).toContain('✗ cilium-bgp-worker2 ↔ leaf1 Idle: Bad Peer AS (OPEN Message Error, NOTIFICATION received by leaf1)');
    expect(JSON.stringify(renderResult('peers', r).blocks)).toContain('cilium-bgp-worker2→leaf1 (Idle, Bad Peer AS (OPEN Message Error, NOTIFICATION received by leaf1))');
  });
});
