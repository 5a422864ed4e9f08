/**
 * The per-isolate workflow cache: the WorkflowStore contract holds through it; a push or delete
 * through it is seen at once; a change made elsewhere (another isolate) within FRESH_MS.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MemoryWorkflowStore } from "@arcrun/core";
import { describeWorkflowStore, storedWorkflow } from "@arcrun/core/contracts/workflow-store";
import { CachedWorkflowStore, FRESH_MS } from "../../src/bindings/cached-workflow-store";

describeWorkflowStore("cached (over memory)", async () => new CachedWorkflowStore(new MemoryWorkflowStore()));

describe("CachedWorkflowStore", () => {
  test("reads are served from memory until FRESH_MS; its own pushes and deletes are seen at once", async () => {
    const shared = new MemoryWorkflowStore();
    let reads = 0;
    const counted = { ...shared, get: (name: string) => (reads++, shared.get(name)), getByToken: shared.getByToken.bind(shared), getVersion: shared.getVersion.bind(shared), put: shared.put.bind(shared), delete: shared.delete.bind(shared), list: shared.list.bind(shared) };
    let now = 1_000;
    const here = new CachedWorkflowStore(counted, () => now);
    const elsewhere = new CachedWorkflowStore(shared, () => now);
    await here.put(storedWorkflow("a", { hash: "v1" }));
    assert.equal((await here.get("a"))?.hash, "v1");
    assert.equal((await here.get("a"))?.hash, "v1");
    assert.equal(reads, 0, "a push fills the cache; repeated reads do not reach the store");

    await elsewhere.put(storedWorkflow("a", { hash: "v2" }));
    now += FRESH_MS - 1;
    assert.equal((await here.get("a"))?.hash, "v1", "another isolate's push is not seen inside the bound…");
    now += 2;
    assert.equal((await here.get("a"))?.hash, "v2", "…and is seen after it");
    assert.equal(reads, 1);

    await here.put(storedWorkflow("a", { hash: "v3" }));
    assert.equal((await here.get("a"))?.hash, "v3", "a push through this isolate is seen at once");
    assert.equal(await here.delete("a"), true);
    assert.equal(await here.get("a"), undefined, "a delete through this isolate is seen at once");
  });
});
