import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { memoryClaimStore } from "./claim-store";
import { CLAIM_STORE_CASES } from "./claim-store-contract";

describe("ClaimStore contract: memoryClaimStore", () => {
  for (const c of CLAIM_STORE_CASES) test(c.name, () => c.run((now) => memoryClaimStore({ now })));

  test("expired claims are dropped", async () => {
    let now = 0;
    const store = memoryClaimStore({ now: () => now });
    await store.claim("a", "r", 1);
    assert.equal(store.size(), 1);
    now = 1000;
    assert.equal(store.size(), 0);
  });
});

describe("ClaimStore contract cases can fail", () => {
  // A store that checks and writes in two steps (as a KV get-then-put would): the contract must catch it.
  test("a racy check-then-set store fails the concurrency case", async () => {
    const claims = new Map<string, string>();
    const racy = {
      async claim(key: string, runId: string) {
        const held = claims.get(key);
        await new Promise((r) => setTimeout(r, 1));
        if (held) return { claimed: false as const, runId: held };
        claims.set(key, runId);
        return { claimed: true as const };
      },
      async release() {},
    };
    const concurrency = CLAIM_STORE_CASES.find((c) => c.name.startsWith("50 concurrent"))!;
    await assert.rejects(concurrency.run(() => racy), /winners/);
  });
});
