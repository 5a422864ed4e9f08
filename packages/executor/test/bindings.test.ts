// The executor's KV and D1 implementations of core's ports pass the same contract suites as the
// in-memory twins, against Miniflare's real simulators in workerd (handed to Node through
// Miniflare's binding proxies; no executor bundle is built).
import { after, before } from "node:test";
import { Miniflare } from "miniflare";
import { describeKeyValueStore } from "@arcrun/core/contracts/key-value-store";
import { describeRunStore } from "@arcrun/core/contracts/run-store";
import { describeSecretSource } from "@arcrun/core/contracts/secret-source";
import { describeWorkflowStore } from "@arcrun/core/contracts/workflow-store";
import { CredentialVault, encryptCredential, fingerprintCredential, generateEncryptionKey, parseEncryptionKey, vaultSecretSource } from "@arcrun/core";
import "./node/assets";

const { KvWorkflowStore } = await import("../src/bindings/kv-workflow-store");
const { D1RunStore } = await import("../src/bindings/d1-run-store");
const { kvKeyValueStore } = await import("../src/bindings/kv-key-value");

let mf: Miniflare;
let kv: KVNamespace;
let db: D1Database;

before(async () => {
  mf = new Miniflare({
    modules: true,
    script: "export default { fetch: () => new Response(null, { status: 204 }) }",
    compatibilityDate: "2026-04-01",
    cf: false,
    kvNamespaces: ["KV"],
    d1Databases: ["DB"],
  });
  kv = (await mf.getKVNamespace("KV")) as unknown as KVNamespace;
  db = (await mf.getD1Database("DB")) as unknown as D1Database;
});
after(() => mf.dispose());

async function emptyKv(): Promise<KVNamespace> {
  let cursor: string | undefined;
  do {
    const page = await kv.list({ cursor });
    await Promise.all(page.keys.map((k) => kv.delete(k.name)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return kv;
}

async function emptyDb(): Promise<D1Database> {
  const store = new D1RunStore(db);
  await store.get("migrate-first"); // creates the tables on first use
  await db.batch([db.prepare("DELETE FROM node_traces"), db.prepare("DELETE FROM runs")]);
  return db;
}

describeWorkflowStore("KV (Miniflare)", async () => new KvWorkflowStore(await emptyKv()));
describeRunStore("D1 (Miniflare)", async () => new D1RunStore(await emptyDb()));
describeKeyValueStore("KV (Miniflare)", async () => kvKeyValueStore(await emptyKv()));
describeSecretSource("vault over KV (Miniflare)", async (values) => {
  const key = await parseEncryptionKey(generateEncryptionKey());
  const store = kvKeyValueStore(await emptyKv());
  const vault = new CredentialVault(store, { keyId: key.id });
  for (const [name, value] of Object.entries(values)) {
    await vault.put(name, { ...(await encryptCredential(key, name, value)), fingerprint: await fingerprintCredential(key, name, value) });
  }
  return vaultSecretSource(vault, async () => key);
});
