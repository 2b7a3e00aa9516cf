/**
 * A per-instance micro-cache for public, anonymous answers (the portal's announcement list): an answer is
 * reused for `ttlMs`, concurrent misses for the same key wait for one computation, and at most
 * `maxEntries` keys are kept (the oldest go first). It trades at most `ttlMs` of staleness for not asking
 * the database once per visitor — what a CDN in front of the portal would do. `ttlMs` 0 turns it off.
 */
export class MicroCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; storedAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, compute: () => Promise<V>): Promise<V> {
    if (this.ttlMs <= 0) return compute();
    const at = this.now();
    const hit = this.entries.get(key);
    if (hit && at - hit.storedAt < this.ttlMs) return hit.value;
    if (hit) this.entries.delete(key);
    const value = compute();
    this.entries.set(key, { value, storedAt: at });
    // A failure is answered once, never remembered.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return value;
  }

  /** Forget everything (after a change this instance made, so its author sees it at once). */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
