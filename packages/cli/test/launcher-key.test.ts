/** The local server's encryption key: env, else config, else generated and stored; and it follows the config. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parseEncryptionKey } from "@arcrun/core/crypto/key";
import { writeConfig } from "../src/config";
import { followConfigKey, resolveLauncherEncryptionKey, type LauncherKey } from "../src/credentials/launcher-key";

const KEY = Buffer.alloc(32, 21).toString("base64");
const NEXT = Buffer.alloc(32, 22).toString("base64");
const temp = () => join(mkdtempSync(join(tmpdir(), "acr-launcher-")), "arcrun", "config.json");

describe("resolveLauncherEncryptionKey", () => {
  test("first start generates a key and stores it in the config (0600), then reuses it", async () => {
    const path = temp();
    const first = await resolveLauncherEncryptionKey({ ARCRUN_CONFIG: path });
    assert.equal(first.generated, true);
    assert.equal(first.source, path);
    assert.equal(JSON.parse(readFileSync(path, "utf8")).encryption_key, first.key);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(first.id, (await parseEncryptionKey(first.key)).id);
    const second = await resolveLauncherEncryptionKey({ ARCRUN_CONFIG: path });
    assert.deepEqual({ ...second, generated: true }, first);
    assert.equal(second.generated, false);
  });

  test("ARCRUN_ENCRYPTION_KEY wins and is never written to the config", async () => {
    const path = temp();
    const key = await resolveLauncherEncryptionKey({ ARCRUN_CONFIG: path, ARCRUN_ENCRYPTION_KEY: KEY });
    assert.equal(key.key, KEY);
    assert.equal(key.fromEnv, true);
    assert.throws(() => statSync(path));
  });

  test("a malformed key is an error with the command that makes one, wherever it comes from", async () => {
    const path = temp();
    await assert.rejects(resolveLauncherEncryptionKey({ ARCRUN_CONFIG: path, ARCRUN_ENCRYPTION_KEY: "too-short" }), /ARCRUN_ENCRYPTION_KEY is malformed[\s\S]*/);
    writeConfig(path, { encryption_key: "c2hvcnQ=" });
    await assert.rejects(resolveLauncherEncryptionKey({ ARCRUN_CONFIG: path }), (e: Error & { hint?: string }) => e.message.includes(path) && /openssl rand -base64 32/.test(e.hint ?? ""));
  });
});

describe("followConfigKey", () => {
  test("reports a new valid key in the config, ignores invalid ones and the pending next key", async () => {
    const path = temp();
    writeConfig(path, { encryption_key: KEY });
    const current = await resolveLauncherEncryptionKey({ ARCRUN_CONFIG: path });
    const seen: LauncherKey[] = [];
    let notify: () => void = () => {};
    const stop = followConfigKey({ ARCRUN_CONFIG: path }, current, (k) => { seen.push(k); notify(); }, 10);
    try {
      writeConfig(path, { encryption_key: KEY, encryption_key_next: NEXT }); // staging: the server keeps KEY
      writeConfig(path, { encryption_key: "not a key" });
      writeConfig(path, { encryption_key: NEXT, encryption_key_previous: KEY }); // the flip
      await new Promise<void>((resolve) => (notify = resolve));
      assert.deepEqual(seen.map((k) => k.key), [NEXT]);
      assert.equal(seen[0].id, (await parseEncryptionKey(NEXT)).id);
    } finally {
      stop();
    }
  });

  test("does nothing when the key came from the environment", async () => {
    const stop = followConfigKey({}, { key: KEY, id: "x", source: "ARCRUN_ENCRYPTION_KEY", fromEnv: true, generated: false }, () => assert.fail("called"));
    stop();
  });
});
