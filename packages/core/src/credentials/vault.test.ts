import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ArcrunError } from "../errors";
import { bytesToBase64 } from "../crypto/base64";
import { parseEncryptionKey, type EncryptionKey } from "../crypto/key";
import { encryptCredential, fingerprintCredential } from "../crypto/credential";
import { CredentialVault, memoryKeyValueStore } from "./vault";
import { vaultSecretSource } from "./secret-source";

const K = bytesToBase64(new Uint8Array(32).fill(1));
const N = bytesToBase64(new Uint8Array(32).fill(2));

async function upload(key: EncryptionKey, name: string, value: string, description?: string) {
  return { ...(await encryptCredential(key, name, value)), fingerprint: await fingerprintCredential(key, name, value), ...(description ? { description } : {}) };
}

const rejectsWith = (code: string) => (e: unknown) => {
  assert.ok(e instanceof ArcrunError, String(e));
  assert.equal(e.code, code, e.message);
  return true;
};

let clock = 0;
const now = () => new Date(Date.UTC(2026, 3, 26, 10, 0, clock++)).toISOString();

// plaintexts that cannot occur by chance in base64 ciphertext (a space and '#'): "v1" could
const V1 = "secret value #1";
const V2 = "secret value #2";

describe("CredentialVault put/list/remove", () => {
  test("created, updated and unchanged, compared by fingerprint and description; never stores a value", async () => {
    const k = await parseEncryptionKey(K);
    const kv = memoryKeyValueStore();
    const vault = new CredentialVault(kv, { keyId: k.id, now });
    assert.equal((await vault.put("api", await upload(k, "api", V1))).status, "created");
    const first = kv.entries.get("cred:api")!;
    assert.equal((await vault.put("api", await upload(k, "api", V1))).status, "unchanged");
    assert.equal(kv.entries.get("cred:api"), first, "unchanged writes nothing");
    assert.equal((await vault.put("api", await upload(k, "api", V1, "now described"))).status, "updated");
    assert.equal((await vault.put("api", await upload(k, "api", V2, "now described"))).status, "updated");
    const list = await vault.list();
    assert.equal(list.key_id, k.id);
    assert.equal(list.rotation, null);
    assert.deepEqual(list.credentials.map((c) => [c.name, c.description, c.kid]), [["api", "now described", k.id]]);
    assert.ok(!JSON.stringify(list).includes("encrypted") && !JSON.stringify(list).includes("fingerprint"));
    for (const value of kv.entries.values()) assert.ok(!value.includes(V1) && !value.includes(V2));
  });

  test("bad uploads change nothing: plaintext, wrong key, malformed, bad name, no executor key", async () => {
    const k = await parseEncryptionKey(K);
    const other = await parseEncryptionKey(N);
    const kv = memoryKeyValueStore();
    const vault = new CredentialVault(kv, { keyId: k.id, now });
    await vault.put("api", await upload(k, "api", "v1"));
    const before = new Map(kv.entries);
    await assert.rejects(vault.put("api", { ...(await upload(k, "api", "v9")), value: "v9" }), rejectsWith("credential_record_invalid"));
    await assert.rejects(vault.put("api", { name: "api", value: "plain" }), rejectsWith("credential_record_invalid"));
    await assert.rejects(vault.put("api", await upload(other, "api", "v9")), rejectsWith("encryption_key_mismatch"));
    await assert.rejects(vault.put("api", { ...(await upload(k, "api", "v9")), iv: "short" }), rejectsWith("credential_record_invalid"));
    await assert.rejects(vault.put("bad name", await upload(k, "api", "v9")), rejectsWith("credential_name_invalid"));
    await assert.rejects(new CredentialVault(kv, { keyId: null }).put("api", await upload(k, "api", "v9")), rejectsWith("executor_key_missing"));
    await assert.rejects(vault.remove("apj"), (e: unknown) => rejectsWith("credential_not_found")(e) && /did you mean "api"/.test((e as Error).message));
    assert.deepEqual(kv.entries, before);
    await vault.remove("api");
    assert.equal(kv.entries.size, 0);
  });
});

describe("vaultSecretSource", () => {
  test("decrypts on demand; missing → undefined; wrong key → credential_undecryptable", async () => {
    const k = await parseEncryptionKey(K);
    const kv = memoryKeyValueStore();
    await new CredentialVault(kv, { keyId: k.id }).put("api", await upload(k, "api", "s3cret"));
    let keyLoads = 0;
    const source = vaultSecretSource(new CredentialVault(kv, { keyId: k.id }), async () => (keyLoads++, k));
    assert.equal(await source.get("nope"), undefined);
    assert.equal(keyLoads, 0, "no key needed for a missing credential");
    assert.equal(await source.get("api"), "s3cret");
    assert.equal(await source.get("api"), "s3cret");
    assert.equal(keyLoads, 1);
    const other = await parseEncryptionKey(N);
    const wrong = vaultSecretSource(new CredentialVault(kv, { keyId: other.id }), async () => other);
    await assert.rejects(wrong.get("api"), rejectsWith("credential_undecryptable"));
  });
});

describe("rotation", () => {
  async function setup() {
    const k = await parseEncryptionKey(K);
    const n = await parseEncryptionKey(N);
    const kv = memoryKeyValueStore();
    const oldVault = new CredentialVault(kv, { keyId: k.id, now });
    for (const [name, value] of [["a", "value-a"], ["b", "value-b"], ["c", "value-c"]]) await oldVault.put(name, await upload(k, name, value, `about ${name}`));
    return { k, n, kv, oldVault, newVault: new CredentialVault(kv, { keyId: n.id, now }) };
  }
  const readAll = async (vault: CredentialVault, key: EncryptionKey) => {
    const source = vaultSecretSource(vault, async () => key);
    return Promise.all(["a", "b", "c"].map((name) => source.get(name)));
  };

  test("every credential reads correctly at every step, with the old key or the new one", async () => {
    const { k, n, kv, oldVault, newVault } = await setup();
    const started = await oldVault.startRotation({ from_kid: k.id, to_kid: n.id });
    assert.deepEqual(started.records.map((r) => [r.name, r.staged]), [["a", false], ["b", false], ["c", false]]);
    await assert.rejects(oldVault.put("d", await upload(k, "d", "x")), rejectsWith("rotation_in_progress"));
    await assert.rejects(oldVault.remove("a"), rejectsWith("rotation_in_progress"));
    // stage two of three, then "crash": the old key still reads everything
    await oldVault.putStaged("a", await upload(n, "a", "value-a", "about a"));
    await oldVault.putStaged("b", await upload(n, "b", "value-b", "about b"));
    assert.deepEqual(await readAll(oldVault, k), ["value-a", "value-b", "value-c"]);
    // resume: start again reports what is staged
    const resumed = await oldVault.startRotation({ from_kid: k.id, to_kid: n.id });
    assert.deepEqual(resumed.records.map((r) => r.staged), [true, true, false]);
    // commit is refused before the executor has the new key, and while a record is missing
    await assert.rejects(oldVault.commitRotation({ to_kid: n.id }), rejectsWith("rotation_key_not_loaded"));
    await assert.rejects(newVault.commitRotation({ to_kid: n.id }), rejectsWith("rotation_incomplete"));
    await oldVault.putStaged("c", await upload(n, "c", "value-c", "about c"));
    // the executor switches keys before commit: staged copies serve reads
    assert.deepEqual(await readAll(newVault, n), ["value-a", "value-b", "value-c"]);
    const committed = await newVault.commitRotation({ to_kid: n.id });
    assert.deepEqual(committed, { key_id: n.id, promoted: ["a", "b", "c"] });
    assert.deepEqual([...kv.entries.keys()].sort(), ["cred:a", "cred:b", "cred:c"]);
    assert.deepEqual(await readAll(newVault, n), ["value-a", "value-b", "value-c"]);
    const list = await newVault.list();
    assert.deepEqual(list.credentials.map((c) => [c.kid, c.description]), [[n.id, "about a"], [n.id, "about b"], [n.id, "about c"]]);
    // committing again is harmless once done
    await assert.rejects(newVault.commitRotation({ to_kid: n.id }), rejectsWith("rotation_not_started"));
  });

  test("an interrupted commit is finished by committing again", async () => {
    const { k, n, kv, oldVault, newVault } = await setup();
    await oldVault.startRotation({ from_kid: k.id, to_kid: n.id });
    for (const name of ["a", "b", "c"]) await oldVault.putStaged(name, await upload(n, name, `value-${name}`));
    // promote only "a" by hand, as if the commit stopped after one record
    kv.entries.set("cred:a", kv.entries.get("cred-next:a")!);
    kv.entries.delete("cred-next:a");
    assert.deepEqual(await readAll(newVault, n), ["value-a", "value-b", "value-c"]);
    assert.deepEqual((await newVault.commitRotation({ to_kid: n.id })).promoted, ["b", "c"]);
    assert.equal(await newVault.rotation(), null);
  });

  test("abort drops staged copies and the marker, only while the executor is on the old key", async () => {
    const { k, n, kv, oldVault, newVault } = await setup();
    await oldVault.startRotation({ from_kid: k.id, to_kid: n.id });
    await oldVault.putStaged("a", await upload(n, "a", "value-a"));
    await assert.rejects(newVault.abortRotation(), rejectsWith("rotation_not_abortable"));
    await oldVault.abortRotation();
    assert.deepEqual([...kv.entries.keys()].sort(), ["cred:a", "cred:b", "cred:c"]);
    assert.deepEqual(await readAll(oldVault, k), ["value-a", "value-b", "value-c"]);
  });

  test("conflicting or malformed rotation requests are refused", async () => {
    const { k, n, oldVault } = await setup();
    await assert.rejects(oldVault.startRotation({ from_kid: n.id, to_kid: k.id }), rejectsWith("encryption_key_mismatch"));
    await assert.rejects(oldVault.startRotation({ from_kid: k.id, to_kid: k.id }), rejectsWith("rotation_invalid"));
    await assert.rejects(oldVault.startRotation({}), rejectsWith("credential_record_invalid"));
    await assert.rejects(oldVault.putStaged("a", await upload(n, "a", "x")), rejectsWith("rotation_not_started"));
    await oldVault.startRotation({ from_kid: k.id, to_kid: n.id });
    await assert.rejects(oldVault.startRotation({ from_kid: k.id, to_kid: "other-kid-00" }), rejectsWith("rotation_conflict"));
    await assert.rejects(oldVault.putStaged("a", await upload(k, "a", "x")), rejectsWith("encryption_key_mismatch"));
    await assert.rejects(oldVault.putStaged("zzz", await upload(n, "zzz", "x")), rejectsWith("credential_not_found"));
  });
});
