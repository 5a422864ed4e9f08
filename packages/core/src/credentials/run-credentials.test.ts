/** Credentials through the scheduler: contract injection, unreadable records, redaction of every echo. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { executeWorkflow } from "../run/execute";
import { component, resolverOf, workflow } from "../run/testing";
import type { RunRecord } from "../run/schema";
import { bytesToBase64 } from "../crypto/base64";
import { parseEncryptionKey } from "../crypto/key";
import { encryptCredential, fingerprintCredential } from "../crypto/credential";
import { CredentialVault, memoryKeyValueStore } from "./vault";
import { vaultSecretSource } from "./secret-source";
import { loadNodeCredentials } from "./load";

const SECRET = "tg-9f8e7d6c5b4a";
const byNode = (record: RunRecord) => Object.fromEntries(record.nodes.map((n) => [n.node, n]));

const telegram = component("telegram_send", (params, ctx) => {
  ctx.log(`token=${String(params.token)}`);
  // a careless component: echoes the token in every form it could
  return {
    success: true,
    data: {
      sent_with: params.token,
      b64: btoa(String(params.token)),
      url: `https://api.telegram.test/bot${encodeURIComponent(String(params.token))}/send`,
      json: JSON.stringify({ token: params.token }),
    },
  };
}, { contract: { name: "telegram_send", version: "1.0.0", description: "send", credentials_required: [{ key: "tg_token", inject_as: "token" }] } });

async function vaultWith(values: Record<string, string>, keyText = bytesToBase64(new Uint8Array(32).fill(5))) {
  const key = await parseEncryptionKey(keyText);
  const kv = memoryKeyValueStore();
  const vault = new CredentialVault(kv, { keyId: key.id });
  for (const [name, value] of Object.entries(values)) {
    await vault.put(name, { ...(await encryptCredential(key, name, value)), fingerprint: await fingerprintCredential(key, name, value) });
  }
  return { key, kv, vault };
}

describe("credentials in a run", () => {
  test("inject_as fills the contract's field; the trace, logs and result show only [redacted:tg_token]", async () => {
    const { key, vault } = await vaultWith({ tg_token: SECRET });
    let received: unknown;
    const spy = component("spy", (params) => ((received = params), { success: true, data: params }));
    const wf = workflow(["input >> ON_SUCCESS >> send", "send >> ON_SUCCESS >> after"], {
      send: { component: "telegram_send", text: "hi" },
      after: { component: "spy", copy: "{{send.data}}" },
    });
    const nodes = structuredClone(wf.nodes);
    const record = await executeWorkflow(wf, { resolver: resolverOf(telegram, spy), input: {}, secrets: vaultSecretSource(vault, async () => key) });
    assert.equal(record.status, "succeeded", JSON.stringify(record.error));
    assert.deepEqual(byNode(record).send.input, { text: "hi", token: "[redacted:tg_token]" });
    assert.deepEqual(byNode(record).send.logs, ["token=[redacted:tg_token]"]);
    const text = JSON.stringify(record);
    for (const form of [SECRET, btoa(SECRET), encodeURIComponent(SECRET), JSON.stringify(SECRET).slice(1, -1)]) assert.ok(!text.includes(form), form);
    assert.ok(!JSON.stringify(received).includes(SECRET), "downstream nodes read the redacted trace, never the raw echo");
    assert.deepEqual(wf.nodes, nodes, "the workflow definition is not modified");
  });

  test("a node that sets the field itself overrides the injection (and needs no contract credential)", async () => {
    const { key, vault } = await vaultWith({ other_bot: "other-bot-token-1" });
    const record = await executeWorkflow(workflow(["input >> ON_SUCCESS >> send"], { send: { component: "telegram_send", token: "{{credential.other_bot}}" } }), {
      resolver: resolverOf(telegram), input: {}, secrets: vaultSecretSource(vault, async () => key),
    });
    assert.equal(record.status, "succeeded");
    assert.deepEqual(byNode(record).send.input, { token: "[redacted:other_bot]" });
  });

  test("missing contract credential: credential_missing with the key name and the push command", async () => {
    const { key, vault } = await vaultWith({});
    const record = await executeWorkflow(workflow(["input >> ON_SUCCESS >> send"], { send: { component: "telegram_send", text: "x" } }), {
      resolver: resolverOf(telegram), input: {}, secrets: vaultSecretSource(vault, async () => key),
    });
    const error = byNode(record).send.error!;
    assert.equal(error.code, "credential_missing");
    assert.match(error.message, /node "send" needs credential "tg_token".*add `tg_token: <value>` to credentials\.yaml and run `acr creds push`/);
    assert.equal(record.status, "failed");
  });

  test("a record sealed under another key: credential_undecryptable, saying to rotate or re-push", async () => {
    const { kv } = await vaultWith({ tg_token: SECRET });
    const newKey = await parseEncryptionKey(bytesToBase64(new Uint8Array(32).fill(6)));
    const record = await executeWorkflow(workflow(["input >> ON_SUCCESS >> send"], { send: { component: "telegram_send", text: "x" } }), {
      resolver: resolverOf(telegram), input: {}, secrets: vaultSecretSource(new CredentialVault(kv, { keyId: newKey.id }), async () => newKey),
    });
    const error = byNode(record).send.error!;
    assert.equal(error.code, "credential_undecryptable");
    assert.match(JSON.stringify(error), /rotate-key/);
    assert.match(JSON.stringify(error), /acr creds push/);
    assert.ok(!JSON.stringify(record).includes(SECRET));
  });

  test("a store that fails is credential_unavailable, never a crash", async () => {
    const result = await loadNodeCredentials({ node: "n", params: { a: "{{credential.x}}" }, source: { get: async () => { throw new Error("KV timeout"); } } });
    assert.deepEqual(result, { ok: false, error: { code: "credential_unavailable", message: 'node "n": credential "x" could not be read from the store (KV timeout)', details: { credential: "x" } } });
  });
});
