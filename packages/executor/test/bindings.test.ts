// The executor's KV, D1 and R2 implementations of core's ports pass the same contract suites as the
// in-memory twins, against Miniflare's real simulators in workerd (handed to Node through
// Miniflare's binding proxies; no executor bundle is built).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Miniflare } from "miniflare";
import { describeComponentStore } from "@arcrun/core/contracts/component-store";
import { describeKeyValueStore } from "@arcrun/core/contracts/key-value-store";
import { describeRunStore } from "@arcrun/core/contracts/run-store";
import { describeSecretSource } from "@arcrun/core/contracts/secret-source";
import { describeWorkflowStore } from "@arcrun/core/contracts/workflow-store";
import { CLAIM_STORE_CASES, CredentialVault, encryptCredential, fingerprintCredential, generateEncryptionKey, parseEncryptionKey, vaultSecretSource } from "@arcrun/core";
import "./node/assets";

const { KvWorkflowStore } = await import("../src/bindings/kv-workflow-store");
const { D1RunStore } = await import("../src/bindings/d1-run-store");
const { kvKeyValueStore } = await import("../src/bindings/kv-key-value");
const { R2ComponentStore } = await import("../src/bindings/r2-component-store");
const { D1ClaimStore } = await import("../src/bindings/d1-claim-store");

let mf: Miniflare;
let kv: KVNamespace;
let db: D1Database;
let bucket: R2Bucket;

before(async () => {
  mf = new Miniflare({
    modules: true,
    script: "export default { fetch: () => new Response(null, { status: 204 }) }",
    compatibilityDate: "2026-04-01",
    cf: false,
    kvNamespaces: ["KV"],
    d1Databases: ["DB"],
    r2Buckets: ["BUCKET"],
  });
  kv = (await mf.getKVNamespace("KV")) as unknown as KVNamespace;
  db = (await mf.getD1Database("DB")) as unknown as D1Database;
  bucket = (await mf.getR2Bucket("BUCKET")) as unknown as R2Bucket;
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

async function emptyBucket(): Promise<R2Bucket> {
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ cursor });
    if (page.objects.length) await bucket.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return bucket;
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
describeComponentStore("R2 (Miniflare)", async () => new R2ComponentStore(await emptyBucket()));

describe("D1RunStore: one row per run, old rows still read", () => {
  test("a run is one runs row with its traces in runs.nodes; a run saved before 0002 reads its node_traces rows", async () => {
    const database = await emptyDb();
    const store = new D1RunStore(database);
    const run = {
      run_id: "one-row", workflow: "w", status: "succeeded" as const, result: 1, started_at: "2026-12-01T10:00:00.000Z", duration_ms: 3,
      nodes: [{ node: "a", component: "code", status: "succeeded" as const, input: { x: 1 }, output: 1, error: null, attempts: 1, duration_ms: 1 }],
    };
    await store.save(run);
    assert.deepEqual(await store.get("one-row"), run);
    const traceRows = await database.prepare("SELECT COUNT(*) AS n FROM node_traces").first<{ n: number }>();
    assert.equal(traceRows?.n, 0, "no per-node rows are written");

    await database.batch([
      database.prepare("INSERT INTO runs (run_id, workflow, status, result, started_at, duration_ms) VALUES ('old', 'w', 'failed', NULL, '2026-11-30T10:00:00.000Z', 2)"),
      database.prepare("INSERT INTO node_traces (run_id, seq, node, component, status, input, output, error, attempts, duration_ms) VALUES ('old', 0, 'a', 'if', 'succeeded', '{\"v\":1}', 'true', NULL, 1, 1), ('old', 1, 'b', 'code', 'failed', NULL, NULL, '{\"code\":\"code_error\",\"message\":\"x\"}', 1, 1)"),
    ]);
    const old = await store.get("old");
    assert.deepEqual(old?.nodes.map((n) => [n.node, n.status, n.input, n.output, n.error?.code ?? null]), [["a", "succeeded", { v: 1 }, true, null], ["b", "failed", null, null, "code_error"]]);
  });

  test("traces are stored by position, without their keys; traces stored as objects still read", async () => {
    const database = await emptyDb();
    const store = new D1RunStore(database);
    const traces = [
      { node: "a", component: "if", status: "succeeded" as const, input: { v: 1 }, output: { result: true }, error: null, attempts: 1, duration_ms: 2, branch: "ON_TRUE" },
      { node: "b", component: "code", status: "failed" as const, input: null, output: null, error: { code: "code_error", message: "x" }, attempts: 2, duration_ms: 0, logs: ["hi"] },
      { node: "c", component: "http", status: "succeeded" as const, input: {}, output: null, error: null, attempts: 1, duration_ms: 5, output_ref: { key: "runs/t/c", bytes: 9 } },
      { node: "d", component: "respond", status: "skipped" as const, input: null, output: null, error: null, attempts: 0, duration_ms: 0 },
    ];
    const run = { run_id: "tuples", workflow: "w", status: "failed" as const, result: null, started_at: "2026-12-01T10:00:00.000Z", duration_ms: 7, nodes: traces };
    await store.saveMany([run, { ...run, run_id: "tuples-2" }]);
    await store.save({ ...run, run_id: "tuples-3" });
    for (const id of ["tuples", "tuples-2", "tuples-3"]) {
      const stored = await database.prepare("SELECT nodes FROM runs WHERE run_id = ?").bind(id).first<{ nodes: string }>();
      assert.ok(stored && !stored.nodes.includes('"node"') && !stored.nodes.includes('"attempts"'), `keys are not stored: ${stored?.nodes}`);
      assert.deepEqual(await store.get(id), { ...run, run_id: id });
    }
    await database.prepare("INSERT INTO runs (run_id, workflow, status, result, started_at, duration_ms, nodes, tenant_id) VALUES ('objects', 'w', 'failed', NULL, '2026-11-30T10:00:00.000Z', 7, ?1, '')").bind(JSON.stringify(traces)).run();
    assert.deepEqual((await store.get("objects"))?.nodes, traces);
  });

  test("saveMany writes many runs in one batch, every one of them", async () => {
    const store = new D1RunStore(await emptyDb());
    const runs = Array.from({ length: 250 }, (_, i) => ({
      run_id: `bulk-${i}`, workflow: "bulk", status: "succeeded" as const, result: i, started_at: "2026-12-01T10:00:00.000Z", duration_ms: 1, nodes: [],
    }));
    await store.saveMany(runs);
    assert.equal((await store.list({ workflow: "bulk", limit: 1000 })).length, 250);
    assert.equal((await store.get("bulk-249"))?.result, 249);
  });

  test("saveMany reads back exactly what save does, keeps scheduled_time and input on a later save, takes large rows", async () => {
    const store = new D1RunStore(await emptyDb());
    const full = (id: string) => ({
      run_id: id, workflow: "full", workflow_hash: "h1", status: "failed" as const, result: { deep: [1, "two", null] },
      error: { code: "code_error", message: "x", node: "b" }, started_at: "2026-12-01T10:00:00.000Z", duration_ms: 7, trigger: "query",
      scheduled_time: "2026-12-01T10:00:00.000Z", rerun_of: "r0", input: { a: "é\u2028'\"" },
      nodes: [{ node: "b", component: "code", status: "failed" as const, input: { a: 1 }, output: null, error: { code: "code_error", message: "x" }, attempts: 1, duration_ms: 2, logs: ["l"] }],
    });
    await store.save(full("one"));
    await store.saveMany([full("m1"), full("m2")]);
    const one = await store.get("one");
    assert.deepEqual({ ...(await store.get("m1")), run_id: "one" }, one);
    // a later save without scheduled_time and input keeps them (the same rule as save)
    const { scheduled_time: _s, input: _i, ...bare } = { ...full("m1"), status: "succeeded" as const };
    await store.saveMany([bare, { ...bare, run_id: "m2" }]);
    const again = await store.get("m1");
    assert.equal(again?.status, "succeeded");
    assert.equal(again?.scheduled_time, "2026-12-01T10:00:00.000Z");
    assert.deepEqual(again?.input, { a: "é\u2028'\"" });
    const big = Array.from({ length: 3 }, (_, i) => ({ ...bare, run_id: `big-${i}`, result: "x".repeat(600_000) }));
    await store.saveMany(big);
    for (const run of big) assert.equal(((await store.get(run.run_id))?.result as string).length, 600_000);
  });
});

describe("D1RunStore: many runs in one statement, the same text as one by one", () => {
  // awkward JSON: escapes, quotes, U+2028, a lone surrogate, NUL, emoji, exponents, -0, big and small numbers
  const values: unknown[] = [
    "abc", "", "null", 'a"b\\c\n\t\u0000', "é\u2028\u2029'", "\ud800 lone", "😀", 0, -0, 1e21, 1.5e-7, 0.1, 2 ** 53, -42, true, false,
    [], {}, [null, [1, [2, { x: "y" }]]], { "": 1, "a b": { "\"": ["\\"] }, nested: { deep: [1, "two", null, false] } },
  ];
  const record = (id: string, i: number) => {
    const v = values[i % values.length];
    return {
      run_id: id, workflow: "text", status: (i % 2 ? "failed" : "succeeded") as "failed" | "succeeded", result: v,
      ...(i % 2 ? { error: { code: "code_error", message: `m ${JSON.stringify(v)}`, node: "n" } } : {}),
      started_at: `2026-12-01T10:00:${String(i % 60).padStart(2, "0")}.000Z`, duration_ms: i + 0.25, trigger: "query",
      input: { v, i },
      nodes: [{ node: "n", component: "code", status: "succeeded" as const, input: { v }, output: v, error: null, attempts: 1, duration_ms: i }],
    };
  };
  const RAW = "SELECT workflow, workflow_hash, status, result, error, started_at, duration_ms, trigger, nodes, scheduled_time, rerun_of, input, waiting, trace_id, tenant_id FROM runs WHERE run_id = ?";

  test("every column of a run saved in a batch holds exactly the text of the same run saved alone", async () => {
    const database = await emptyDb();
    const store = new D1RunStore(database);
    const n = values.length * 2;
    for (let i = 0; i < n; i++) await store.save(record(`alone-${i}`, i)); // one bound parameter per column
    await store.saveMany(Array.from({ length: n }, (_, i) => record(`batched-${i}`, i)));
    for (let i = 0; i < n; i++) {
      const alone = await database.prepare(RAW).bind(`alone-${i}`).first();
      const batched = await database.prepare(RAW).bind(`batched-${i}`).first();
      assert.deepEqual(batched, alone, `run ${i} (${JSON.stringify(values[i % values.length])})`);
      const run = record("x", i);
      assert.equal(batched?.nodes, JSON.stringify(run.nodes.map((t) => [t.node, t.component, t.status, t.input, t.output, t.error, t.attempts, t.duration_ms])), "traces by position");
      assert.equal(batched?.input, JSON.stringify(run.input));
      assert.equal(batched?.error, "error" in run ? JSON.stringify(run.error) : null);
      assert.equal(batched?.result, i % values.length === 2 ? '"null"' : JSON.stringify(values[i % values.length]));
      assert.deepEqual(await store.get(`batched-${i}`), { ...(await store.get(`alone-${i}`)), run_id: `batched-${i}` });
    }
    assert.equal((await database.prepare(RAW).bind("batched-0").first())?.result, '"abc"', "a string result is stored as JSON text");
  });

  test("a batch larger than one statement's text, and a run larger than that alone, are all saved in one call", async () => {
    const { MAX_ROWS_TEXT } = await import("../src/bindings/d1-run-store");
    const store = new D1RunStore(await emptyDb());
    const chunk = Math.floor(MAX_ROWS_TEXT / 5);
    const runs = Array.from({ length: 12 }, (_, i) => ({ ...record(`split-${i}`, i), result: `${i}`.repeat(i === 7 ? MAX_ROWS_TEXT + 10 : chunk) }));
    await store.saveMany(runs);
    for (const run of runs) assert.deepEqual(await store.get(run.run_id), JSON.parse(JSON.stringify(run)));
  });

  test("a later save in one batch keeps scheduled_time, input and trace_id; a waiting run is a running row", async () => {
    const store = new D1RunStore(await emptyDb());
    const first = { ...record("again", 0), scheduled_time: "2026-12-01T09:59:00.000Z", trace_id: "t".repeat(32), status: "waiting" as const, waiting: { node: "n", kind: "time" as const, until: "2026-12-02T00:00:00.000Z" } };
    const { scheduled_time: _s, input: _i, trace_id: _t, waiting: _w, ...later } = { ...first, status: "succeeded" as const, result: "done" };
    await store.saveMany([first, record("other", 1)]);
    assert.equal((await store.get("again"))?.status, "waiting");
    await store.saveMany([record("other2", 2), later]);
    assert.deepEqual(await store.get("again"), { ...later, scheduled_time: first.scheduled_time, input: first.input, trace_id: first.trace_id });
  });

  test("a tenant's batch never overwrites another tenant's run of the same id", async () => {
    const database = await emptyDb();
    const a = new D1RunStore(database, "tenant-a");
    const b = new D1RunStore(database, "tenant-b");
    await a.saveMany([record("shared", 0), record("a-only", 2)]);
    await b.saveMany([{ ...record("shared", 1), result: "b's" }, record("b-only", 3)]);
    assert.equal((await a.get("shared"))?.result, "abc");
    assert.equal(await b.get("shared"), undefined);
    assert.equal((await b.get("b-only"))?.result, values[3]);
    assert.equal(await a.count({}), 2);
  });
});

describe("runs indexes (migration 0007)", () => {
  test("a run writes the table, its key and the two tenant indexes; running and failed runs have partial ones", async () => {
    const database = await emptyDb();
    const { results } = await database.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'runs' ORDER BY name").all<{ name: string; sql: string | null }>();
    assert.deepEqual(results.map((r) => r.name), ["runs_by_tenant_started", "runs_by_tenant_workflow", "runs_failed", "runs_running", "sqlite_autoindex_runs_1"]);
    assert.match(results.find((r) => r.name === "runs_failed")?.sql ?? "", /WHERE status = 'failed'$/);
    assert.match(results.find((r) => r.name === "runs_running")?.sql ?? "", /WHERE status = 'running'$/);
  });

  test("the store's status filters and the scan for interrupted runs use the partial indexes", async () => {
    const database = await emptyDb();
    const plan = async (sql: string) => (await database.prepare(`EXPLAIN QUERY PLAN ${sql}`).all<{ detail: string }>()).results.map((r) => r.detail).join(" | ");
    const list = "SELECT run_id FROM runs WHERE tenant_id = '' AND STATUS ORDER BY started_at DESC, run_id DESC LIMIT 50";
    assert.match(await plan(list.replace("STATUS", "status = 'failed'")), /INDEX runs_failed/);
    assert.match(await plan(list.replace("STATUS", "status = 'running' AND waiting IS NOT NULL")), /INDEX runs_running/);
    assert.match(await plan("SELECT run_id FROM runs WHERE status = 'running'"), /INDEX runs_running/);
    // and the store writes the status literally, so its own queries can use them
    const store = new D1RunStore(database);
    const base = { workflow: "idx", result: null, started_at: "2026-12-01T10:00:00.000Z", duration_ms: 1, nodes: [] };
    await store.saveMany([{ ...base, run_id: "i-ok", status: "succeeded" }, { ...base, run_id: "i-bad", status: "failed" }, { ...base, run_id: "i-run", status: "running" }]);
    for (const status of ["succeeded", "failed", "running"] as const) {
      assert.deepEqual((await store.list({ status })).map((r) => r.run_id), [`i-${{ succeeded: "ok", failed: "bad", running: "run" }[status]}`]);
      assert.equal(await store.count({ status }), 1);
    }
  });
});

describe("ClaimStore contract: D1 (Miniflare)", () => {
  for (const c of CLAIM_STORE_CASES) {
    test(c.name, () =>
      c.run(async (now) => {
        const store = new D1ClaimStore(await emptyDb(), { now });
        await db.prepare("DELETE FROM claims").run();
        return store;
      }),
    );
  }

  test("sweep drops only expired claims", async () => {
    let now = 1_000_000;
    const store = new D1ClaimStore(await emptyDb(), { now: () => now });
    await db.prepare("DELETE FROM claims").run();
    await store.claim("short", "run-1", 1);
    await store.claim("long", "run-2", 600);
    now += 2_000;
    const swept = await store.sweep();
    const left = await db.prepare("SELECT key FROM claims").all<{ key: string }>();
    if (swept !== 1 || left.results.map((r) => r.key).join() !== "long") throw new Error(`swept ${swept}, left ${JSON.stringify(left.results)}`);
  });
});
