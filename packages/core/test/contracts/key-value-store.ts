/** The KeyValueStore contract (the credential vault's storage). `make` returns an empty store, once per test. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { KeyValueStore } from "../../src/ports/index";

export function describeKeyValueStore(label: string, make: () => Promise<KeyValueStore> | KeyValueStore): void {
  describe(`KeyValueStore contract: ${label}`, () => {
    test("an absent key is null; put then get returns the value; put again replaces it", async () => {
      const kv = await make();
      assert.equal(await kv.get("cred:a"), null);
      await kv.put("cred:a", '{"v":1}');
      assert.equal(await kv.get("cred:a"), '{"v":1}');
      await kv.put("cred:a", "second");
      assert.equal(await kv.get("cred:a"), "second");
    });

    test("delete removes a key; deleting an absent key is no error", async () => {
      const kv = await make();
      await kv.put("cred:a", "x");
      await kv.delete("cred:a");
      assert.equal(await kv.get("cred:a"), null);
      await kv.delete("cred:never");
    });

    test("keys(prefix): only keys with the prefix, ascending", async () => {
      const kv = await make();
      for (const key of ["cred:b", "cred-next:a", "cred:a", "credmeta:rotation", "cred:c"]) await kv.put(key, "1");
      assert.deepEqual(await kv.keys("cred:"), ["cred:a", "cred:b", "cred:c"]);
      assert.deepEqual(await kv.keys("cred-next:"), ["cred-next:a"]);
      assert.deepEqual(await kv.keys("nothing:"), []);
    });
  });
}
