/**
 * "First one wins" with an expiry: the port behind idempotency keys, cron dedupe and the
 * webhook replay guard. The executor implements it over D1 with
 * `INSERT ... ON CONFLICT DO NOTHING` (then reading the row that won), so concurrent claims of
 * one key, in any isolate, have exactly one winner. Claims past their expiry count as absent.
 */

export type Claim = { claimed: true } | { claimed: false; runId: string };

export interface ClaimStore {
  /**
   * Atomically: when no live claim holds `key`, record `key → runId` for `ttlSeconds` and
   * answer `{claimed: true}`; otherwise answer the run id that holds it.
   */
  claim(key: string, runId: string, ttlSeconds: number): Promise<Claim>;
  /** Drop the claim if `runId` still holds it (a run that could not be started frees its key). */
  release(key: string, runId: string): Promise<void>;
}

export interface MemoryClaimStoreOptions {
  /** milliseconds since the epoch (tests move it) */
  now?: () => number;
}

/** An in-memory ClaimStore (tests, tools, a single process). */
export function memoryClaimStore(options: MemoryClaimStoreOptions = {}): ClaimStore & { size(): number } {
  const now = options.now ?? Date.now;
  const claims = new Map<string, { runId: string; expiresAt: number }>();
  return {
    // No await between the look-up and the write: the check-and-set is one synchronous step.
    async claim(key, runId, ttlSeconds) {
      const held = claims.get(key);
      if (held && held.expiresAt > now()) return { claimed: false, runId: held.runId };
      claims.set(key, { runId, expiresAt: now() + ttlSeconds * 1000 });
      return { claimed: true };
    },
    async release(key, runId) {
      if (claims.get(key)?.runId === runId) claims.delete(key);
    },
    size() {
      const t = now();
      for (const [key, held] of claims) if (held.expiresAt <= t) claims.delete(key);
      return claims.size;
    },
  };
}
