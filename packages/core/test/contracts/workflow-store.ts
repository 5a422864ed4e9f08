/**
 * The WorkflowStore contract, run against every implementation (Hono's common.case.test.ts):
 *   describeWorkflowStore("KV", async () => new KvWorkflowStore(await emptyNamespace()));
 * `make` is called once per test and must return an empty store.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { StoredWorkflow, WorkflowStore } from "../../src/ports/index";

export function storedWorkflow(name: string, extra: Partial<StoredWorkflow> = {}): StoredWorkflow {
  return {
    name,
    yaml: `name: ${name}\nflow: []\n`,
    hash: `hash-${name}`,
    token: `${name.replace(/[^a-f0-9]/g, "a").padEnd(32, "0")}`.slice(0, 32),
    created_at: "2026-12-01T10:00:00.000Z",
    updated_at: "2026-12-01T10:00:00.000Z",
    ...extra,
  };
}

export function describeWorkflowStore(label: string, make: () => Promise<WorkflowStore> | WorkflowStore): void {
  describe(`WorkflowStore contract: ${label}`, () => {
    test("an unknown name or token finds nothing; an empty store lists nothing", async () => {
      const store = await make();
      assert.equal(await store.get("nope"), undefined);
      assert.equal(await store.getByToken("0".repeat(32)), undefined);
      assert.deepEqual(await store.list(), []);
      assert.equal(await store.delete("nope"), false);
    });

    test("put then get and getByToken return what was stored", async () => {
      const store = await make();
      const wf = storedWorkflow("alpha", { token: "a".repeat(32) });
      await store.put(wf);
      assert.deepEqual(await store.get("alpha"), wf);
      assert.deepEqual(await store.getByToken(wf.token), wf);
    });

    test("put replaces by name; a replaced token finds nothing, the new one finds the workflow", async () => {
      const store = await make();
      await store.put(storedWorkflow("alpha", { token: "a".repeat(32) }));
      const updated = storedWorkflow("alpha", { token: "b".repeat(32), yaml: "name: alpha\n# v2\n", hash: "h2", updated_at: "2026-12-01T11:00:00.000Z" });
      await store.put(updated);
      assert.deepEqual(await store.get("alpha"), updated);
      assert.equal(await store.getByToken("a".repeat(32)), undefined);
      assert.deepEqual(await store.getByToken("b".repeat(32)), updated);
      assert.equal((await store.list()).length, 1);
    });

    test("list returns every workflow sorted by name", async () => {
      const store = await make();
      for (const [name, t] of [["charlie", "c"], ["alpha", "a"], ["bravo", "b"]]) await store.put(storedWorkflow(name, { token: t.repeat(32) }));
      assert.deepEqual((await store.list()).map((w) => w.name), ["alpha", "bravo", "charlie"]);
    });

    test("delete removes the workflow and its token, and says whether there was one", async () => {
      const store = await make();
      const wf = storedWorkflow("alpha", { token: "a".repeat(32) });
      await store.put(wf);
      await store.put(storedWorkflow("bravo", { token: "b".repeat(32) }));
      assert.equal(await store.delete("alpha"), true);
      assert.equal(await store.get("alpha"), undefined);
      assert.equal(await store.getByToken(wf.token), undefined);
      assert.equal(await store.delete("alpha"), false);
      assert.deepEqual((await store.list()).map((w) => w.name), ["bravo"]);
    });

    test("a returned workflow is a copy: changing it changes nothing stored", async () => {
      const store = await make();
      await store.put(storedWorkflow("alpha", { token: "a".repeat(32) }));
      const got = (await store.get("alpha"))!;
      got.yaml = "changed";
      assert.notEqual((await store.get("alpha"))!.yaml, "changed");
    });
  });
}
