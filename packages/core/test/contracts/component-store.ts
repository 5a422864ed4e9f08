/** The ComponentStore contract (published components). `make` returns an empty store, once per test. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ComponentStore, PublishedManifest } from "../../src/ports/index";

const manifest = (name: string, sha256: string, extra: Partial<PublishedManifest> = {}): PublishedManifest => ({
  name,
  version: "1.0.0",
  sha256,
  bytes: 4,
  published_at: "2026-12-01T10:00:00.000Z",
  contract: { name, version: "1.0.0", description: "test", input_schema: { type: "object" } } as PublishedManifest["contract"],
  ...extra,
});
const bytes = (...b: number[]) => new Uint8Array(b);
const read = async (store: ComponentStore, name: string, sha: string) => {
  const got = await store.module(name, sha);
  return got ? [...new Uint8Array(got)] : undefined;
};

export function describeComponentStore(label: string, make: () => Promise<ComponentStore> | ComponentStore): void {
  describe(`ComponentStore contract: ${label}`, () => {
    test("an empty store has no names, manifests or modules; removing is false", async () => {
      const store = await make();
      assert.deepEqual(await store.names(), []);
      assert.deepEqual(await store.manifests(), []);
      assert.equal(await store.manifest("slugify"), undefined);
      assert.equal(await store.module("slugify", "aa"), undefined);
      assert.equal(await store.remove("slugify"), false);
    });

    test("publish stores the manifest and the module bytes", async () => {
      const store = await make();
      const m = manifest("slugify", "aa11");
      assert.equal((await store.publish(m, bytes(0, 97, 115, 109))).previous, undefined, "a first publish replaces nothing");
      assert.deepEqual(await store.manifest("slugify"), m);
      assert.deepEqual(await read(store, "slugify", "aa11"), [0, 97, 115, 109]);
      assert.deepEqual(await store.names(), ["slugify"]);
      assert.deepEqual(await store.manifests(), [m]);
    });

    test("a republish returns the previous manifest and keeps only the new module and the one it replaced", async () => {
      const store = await make();
      await store.publish(manifest("slugify", "v1"), bytes(1));
      await store.publish(manifest("slugify", "v2", { version: "1.1.0" }), bytes(2));
      const third = manifest("slugify", "v3", { version: "1.2.0" });
      const { previous } = await store.publish(third, bytes(3));
      assert.equal(previous?.sha256, "v2");
      assert.deepEqual(await store.manifest("slugify"), third);
      assert.deepEqual(await read(store, "slugify", "v3"), [3]);
      assert.deepEqual(await read(store, "slugify", "v2"), [2]);
      assert.equal(await store.module("slugify", "v1"), undefined);
    });

    test("remove deletes the manifest and every module of that name only", async () => {
      const store = await make();
      await store.publish(manifest("slugify", "s1"), bytes(1));
      await store.publish(manifest("hash_it", "h1"), bytes(9));
      assert.equal(await store.remove("slugify"), true);
      assert.equal(await store.manifest("slugify"), undefined);
      assert.equal(await store.module("slugify", "s1"), undefined);
      assert.deepEqual(await store.names(), ["hash_it"]);
      assert.deepEqual((await store.manifests()).map((m) => m.name), ["hash_it"]);
      assert.equal(await store.remove("slugify"), false);
    });

    test("names and manifests are sorted by name", async () => {
      const store = await make();
      for (const name of ["zeta", "alpha", "mid"]) await store.publish(manifest(name, `${name}1`), bytes(1));
      assert.deepEqual(await store.names(), ["alpha", "mid", "zeta"]);
      assert.deepEqual((await store.manifests()).map((m) => m.name), ["alpha", "mid", "zeta"]);
    });
  });
}
