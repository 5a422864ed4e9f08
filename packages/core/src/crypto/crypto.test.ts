import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execSync } from "node:child_process";
import { ArcrunError } from "../errors";
import { generateEncryptionKey, parseEncryptionKey, GENERATE_KEY_COMMANDS } from "./key";
import {
  decryptCredential, encryptCredential, fingerprintCredential, EncryptedCredentialSchema, MAX_CREDENTIAL_BYTES,
} from "./credential";
import { base64ToBytes, bytesToBase64 } from "./base64";
import { secretEquals, timingSafeEqual } from "./digest";

const KEY_TEXT = bytesToBase64(new Uint8Array(32).map((_, i) => i + 1));
const OTHER_TEXT = bytesToBase64(new Uint8Array(32).map((_, i) => 200 - i));

function code(expected: string, reason?: string) {
  return (e: unknown) => {
    assert.ok(e instanceof ArcrunError, `expected ArcrunError, got ${e}`);
    assert.equal(e.code, expected);
    if (reason) assert.equal((e.details as { reason: string }).reason, reason);
    return true;
  };
}

describe("parseEncryptionKey", () => {
  test("accepts 32 bytes of standard base64 (surrounding whitespace ignored) and derives a stable id", async () => {
    const a = await parseEncryptionKey(KEY_TEXT);
    const b = await parseEncryptionKey(`  ${KEY_TEXT}\n`);
    assert.equal(a.id, b.id);
    assert.match(a.id, /^[A-Za-z0-9_-]{12}$/);
    assert.notEqual(a.id, (await parseEncryptionKey(OTHER_TEXT)).id);
    assert.equal(a.aes.extractable, false);
  });

  test("missing, short, long and malformed keys are refused with a hint that generates one", async () => {
    for (const missing of [undefined, null, "", "   "]) {
      await assert.rejects(parseEncryptionKey(missing), code("encryption_key_missing"));
    }
    const bad = [
      bytesToBase64(new Uint8Array(16)), // short
      bytesToBase64(new Uint8Array(33)), // long
      "not base64 at all!!",
      KEY_TEXT.slice(0, -1), // broken padding
      KEY_TEXT.replace(/=$/, ""), // unpadded
    ];
    for (const text of bad) {
      await assert.rejects(parseEncryptionKey(text, { source: "test config" }), (e: unknown) => {
        code("encryption_key_invalid")(e);
        const err = e as ArcrunError;
        assert.match(err.message, /test config/);
        assert.match(err.hint!, /acr init/);
        assert.match(err.hint!, /openssl rand -base64 32/);
        return true;
      });
    }
  });

  test("a url-safe key is refused with a message that says so", async () => {
    const urlSafe = bytesToBase64(new Uint8Array(32).fill(0xfb)).replace(/\//g, "_").replace(/\+/g, "-");
    await assert.rejects(parseEncryptionKey(urlSafe), /url-safe alphabet/);
  });

  test("the error never contains the key text", async () => {
    const almost = bytesToBase64(new Uint8Array(31).fill(7));
    await assert.rejects(parseEncryptionKey(almost), (e: unknown) => !String((e as Error).message).includes(almost) && !(e as ArcrunError).hint!.includes(almost));
  });

  test("generateEncryptionKey and the printed node command both produce valid, distinct keys", async () => {
    const generated = generateEncryptionKey();
    assert.equal(base64ToBytes(generated)?.length, 32);
    await parseEncryptionKey(generated);
    assert.notEqual(generated, generateEncryptionKey());
    const fromNode = execSync(GENERATE_KEY_COMMANDS[2], { encoding: "utf8" });
    assert.equal(base64ToBytes(fromNode.trim())?.length, 32);
    await parseEncryptionKey(fromNode);
  });
});

describe("encryptCredential / decryptCredential", () => {
  test("round-trips unicode and large values with a fresh IV each time", async () => {
    const key = await parseEncryptionKey(KEY_TEXT);
    for (const value of ["x", "sk-live-ÄÖ-🔑-\u0000-\n", "\uFEFFbom-first", "v".repeat(MAX_CREDENTIAL_BYTES)]) {
      const a = await encryptCredential(key, "token", value);
      const b = await encryptCredential(key, "token", value);
      assert.deepEqual(EncryptedCredentialSchema.parse(a), a);
      assert.equal(a.v, 1);
      assert.equal(a.alg, "AES-256-GCM");
      assert.equal(a.kid, key.id);
      assert.equal(base64ToBytes(a.iv)!.length, 12);
      assert.notEqual(a.iv, b.iv);
      assert.notEqual(a.encrypted, b.encrypted);
      assert.ok(!JSON.stringify(a).includes(value.slice(0, 8)) || value.length < 4);
      assert.equal(await decryptCredential(key, "token", a), value);
    }
  });

  test("empty, non-string and oversized values are refused before encryption", async () => {
    const key = await parseEncryptionKey(KEY_TEXT);
    await assert.rejects(encryptCredential(key, "t", ""), code("credential_value_empty"));
    await assert.rejects(encryptCredential(key, "t", 42 as unknown as string), code("credential_value_invalid"));
    await assert.rejects(encryptCredential(key, "t", "é".repeat(MAX_CREDENTIAL_BYTES / 2 + 1)), (e: unknown) => {
      code("credential_value_too_large")(e);
      assert.equal((e as ArcrunError).status, 413);
      return true;
    });
    await assert.rejects(encryptCredential(key, "bad name", "v"), code("credential_name_invalid"));
    await assert.rejects(encryptCredential(key, "1abc", "v"), code("credential_name_invalid"));
  });

  test("a wrong key is told apart from tampering", async () => {
    const key = await parseEncryptionKey(KEY_TEXT);
    const other = await parseEncryptionKey(OTHER_TEXT);
    const record = await encryptCredential(key, "token", "secret-value");
    await assert.rejects(decryptCredential(other, "token", record), code("credential_undecryptable", "wrong_key"));
    // a forged kid does not help: GCM authentication still fails
    await assert.rejects(decryptCredential(other, "token", { ...record, kid: other.id }), code("credential_undecryptable", "tampered"));
  });

  test("tampered ciphertext, tag, IV, or a record copied to another name do not decrypt", async () => {
    const key = await parseEncryptionKey(KEY_TEXT);
    const record = await encryptCredential(key, "token", "secret-value");
    const flip = (b64: string, index: number) => {
      const bytes = base64ToBytes(b64)!;
      bytes[index] ^= 1;
      return bytesToBase64(bytes);
    };
    const cases = [
      { ...record, encrypted: flip(record.encrypted, 0) },
      { ...record, encrypted: flip(record.encrypted, base64ToBytes(record.encrypted)!.length - 1) },
      { ...record, iv: flip(record.iv, 5) },
    ];
    for (const tampered of cases) await assert.rejects(decryptCredential(key, "token", tampered), code("credential_undecryptable", "tampered"));
    await assert.rejects(decryptCredential(key, "other_token", record), code("credential_undecryptable", "tampered"));
  });

  test("malformed records are reported as such", async () => {
    const key = await parseEncryptionKey(KEY_TEXT);
    const record = await encryptCredential(key, "token", "secret-value");
    const malformed: unknown[] = [
      null, "plain-text", { ...record, v: 2 }, { ...record, alg: "AES-128-CBC" }, { ...record, iv: "AAAA" },
      { ...record, iv: "%%%" }, { ...record, encrypted: "" }, { ...record, encrypted: bytesToBase64(new Uint8Array(16)) },
      { ...record, encrypted: bytesToBase64(new Uint8Array(MAX_CREDENTIAL_BYTES + 64)) },
      { v: 1, alg: "AES-256-GCM", iv: record.iv, encrypted: record.encrypted },
    ];
    for (const bad of malformed) await assert.rejects(decryptCredential(key, "token", bad), code("credential_record_invalid"));
  });
});

describe("fingerprintCredential", () => {
  test("is stable for a key, name and value, and changes with any of them", async () => {
    const key = await parseEncryptionKey(KEY_TEXT);
    const other = await parseEncryptionKey(OTHER_TEXT);
    const fp = await fingerprintCredential(key, "token", "v1");
    assert.equal(fp, await fingerprintCredential(key, "token", "v1"));
    assert.match(fp, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(fp, await fingerprintCredential(key, "token", "v2"));
    assert.notEqual(fp, await fingerprintCredential(key, "token2", "v1"));
    assert.notEqual(fp, await fingerprintCredential(other, "token", "v1"));
    // the name/value boundary is unambiguous
    assert.notEqual(await fingerprintCredential(key, "ab", "c"), await fingerprintCredential(key, "a", "bc"));
  });
});

describe("constant-time comparison", () => {
  test("equal only with the same length and bytes", () => {
    assert.equal(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3])), true);
    assert.equal(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4])), false);
    assert.equal(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2])), false);
  });

  test("secretEquals: the same text only, whatever its length", () => {
    const key = "k3y-for-the-test-0123456789abcdef";
    assert.equal(secretEquals(key, key), true);
    assert.equal(secretEquals(key.slice(0, -1), key), false);
    assert.equal(secretEquals(key + "x", key), false);
    assert.equal(secretEquals("", key), false);
    assert.equal(secretEquals(key.toUpperCase(), key), false);
    assert.equal(secretEquals("ключ", "ключ"), true);
    assert.equal(secretEquals(key, "another-key"), false);
    assert.equal(secretEquals(key + key, key), false); // the secret twice over
    assert.equal(secretEquals("", ""), false); // an empty secret matches nothing
  });
});
