/**
 * The SecretSource contract. `make(values)` returns a source that knows exactly `values`
 * (name → plaintext), however it stores them (plain map, sealed records in KV).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { SecretSource } from "../../src/ports/index";

export function describeSecretSource(label: string, make: (values: Record<string, string>) => Promise<SecretSource> | SecretSource): void {
  describe(`SecretSource contract: ${label}`, () => {
    test("a stored name gives its value, every time", async () => {
      const source = await make({ api_token: "s3cr3t-value", other: "ünïcode ✓" });
      assert.equal(await source.get("api_token"), "s3cr3t-value");
      assert.equal(await source.get("api_token"), "s3cr3t-value");
      assert.equal(await source.get("other"), "ünïcode ✓");
    });

    test("an unknown name is undefined", async () => {
      const source = await make({ api_token: "x" });
      assert.equal(await source.get("missing"), undefined);
    });
  });
}
