// Slack delivers at least once: an event it thinks was not acked in 3 s comes again (HTTP with
// X-Slack-Retry-Num, Socket Mode as a redelivered envelope). A command must run once, so every
// request's IDs are remembered for longer than Slack retries and a signed request stays valid
// (5 min), and a request carrying an ID already seen is acked and dropped.

/** IDs seen recently: bounded in count (oldest dropped first) and in age. */
export class SeenIds {
  private seen = new Map<string, number>(); // id → when first seen (insertion order = age)

  constructor(
    private maxEntries = 10_000,
    private ttlMs = 15 * 60_000,
    private now: () => number = Date.now,
  ) {}

  /**
   * Records every ID and tells whether any of them was already seen (a retry or a replay).
   * All are recorded either way, so a retry that reuses one ID and adds another is caught next time too.
   */
  checkAndRecord(ids: readonly string[]): boolean {
    const now = this.now();
    this.expire(now);
    const dup = ids.some((id) => this.seen.has(id));
    for (const id of ids) if (!this.seen.has(id)) this.seen.set(id, now);
    while (this.seen.size > this.maxEntries) this.seen.delete(this.seen.keys().next().value!);
    return dup;
  }

  get size(): number {
    return this.seen.size;
  }

  private expire(now: number): void {
    for (const [id, at] of this.seen) {
      if (now - at < this.ttlMs) break; // the rest are younger
      this.seen.delete(id);
    }
  }
}
