/**
 * The behaviour every ClaimStore must have, as plain async cases (no test framework, no
 * platform): core runs them against the in-memory store, the executor against its D1 store.
 * `make(now)` builds an empty store whose clock reads `now()` (milliseconds).
 */
import type { ClaimStore } from "./claim-store";

export interface ClaimStoreCase {
  name: string;
  run(make: (now: () => number) => ClaimStore | Promise<ClaimStore>): Promise<void>;
}

function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export const CLAIM_STORE_CASES: ClaimStoreCase[] = [
  {
    name: "the first claim wins; later claims get the first run id",
    async run(make) {
      const store = await make(() => 1_000_000);
      const first = await store.claim("k", "run-1", 60);
      const second = await store.claim("k", "run-2", 60);
      expect(same(first, { claimed: true }), `first claim: ${JSON.stringify(first)}`);
      expect(same(second, { claimed: false, runId: "run-1" }), `second claim: ${JSON.stringify(second)}`);
    },
  },
  {
    name: "keys are independent",
    async run(make) {
      const store = await make(() => 1_000_000);
      await store.claim("a", "run-1", 60);
      const other = await store.claim("b", "run-2", 60);
      expect(same(other, { claimed: true }), `claim of another key: ${JSON.stringify(other)}`);
    },
  },
  {
    name: "50 concurrent claims of one key: exactly one winner, the rest name it",
    async run(make) {
      const store = await make(() => 1_000_000);
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.claim("hot", `run-${i}`, 60)));
      const winners = results.map((r, i) => (r.claimed ? `run-${i}` : undefined)).filter((w) => w !== undefined);
      expect(winners.length === 1, `${winners.length} winners`);
      const named = new Set(results.flatMap((r) => (r.claimed ? [] : [r.runId])));
      expect(named.size === 1 && named.has(winners[0]!), `losers were told ${[...named].join(", ")}, winner ${winners[0]}`);
    },
  },
  {
    name: "a claim expires after its ttl, not before",
    async run(make) {
      let now = 1_000_000;
      const store = await make(() => now);
      await store.claim("k", "run-1", 60);
      now += 59_000;
      const during = await store.claim("k", "run-2", 60);
      expect(!during.claimed, "claimed again inside the ttl");
      now += 1_000;
      const after = await store.claim("k", "run-3", 60);
      expect(after.claimed, "not claimable once the ttl has passed");
      const next = await store.claim("k", "run-4", 60);
      expect(same(next, { claimed: false, runId: "run-3" }), `after re-claim: ${JSON.stringify(next)}`);
    },
  },
  {
    name: "release frees a key only for the run that holds it",
    async run(make) {
      const store = await make(() => 1_000_000);
      await store.claim("k", "run-1", 60);
      await store.release("k", "run-2");
      expect(!(await store.claim("k", "run-3", 60)).claimed, "released by a run that did not hold it");
      await store.release("k", "run-1");
      expect((await store.claim("k", "run-4", 60)).claimed, "not claimable after its holder released it");
    },
  },
];
