// The registry Worker in real workerd (Miniflare: D1, R2, Worker Loader): submissions through
// the sandbox acceptance with their figures, approval, immutable versions, the catalog, and the
// usage counters under 500 concurrent records. Every refusal is checked to store nothing.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import binaryen from "binaryen";
import { parse as parseYaml } from "yaml";
import { MAX_MODULE_BYTES } from "@arcrun/core";
import buildComponents from "@arcrun/local/build/components.mjs";
import { meterModule } from "@arcrun/local/build/meter.mjs";
import { startRegistry, TEST_ADMIN_KEY, TEST_AUTHOR_KEYS, type TestRegistry } from "@arcrun/local/host/test-registry";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const ALICE = TEST_AUTHOR_KEYS.alice;
const BOB = TEST_AUTHOR_KEYS.bob;
const ADMIN = TEST_ADMIN_KEY;

const contractOf = (component: string, name: string, version = "1.0.0") => ({ ...parseYaml(readFileSync(`${root}components/${component}/contract.yaml`, "utf8")), name, version });
const moduleOf = (component: string) => readFileSync(`${root}components/${component}/build/${component}.wasm`);
const featuresOf = (component: string) => [{ path: `features/${component}.feature`, text: readFileSync(`${root}components/${component}/features/${component}.feature`, "utf8") }];
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

const IMPORTS = `
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))`;

/** A metered WASI command from a WAT body (`extra` goes inside the module, e.g. a start function). */
function command(body: string, { imports = IMPORTS, extra = "", maxPages = 4 } = {}): Uint8Array {
  const wat = `(module ${imports} (memory (export "memory") 1 ${maxPages}) ${extra} (func (export "_start") ${body}))`;
  return meterModule(binaryen.parseText(wat).emitBinary(), { maxPages });
}

const ECHO_FEATURE = [{ path: "features/probe.feature", text: 'Feature: probe\n  Scenario: runs\n    Given the input:\n      """\n      {"x": 1}\n      """\n    When the component runs\n    Then it succeeds\n' }];
const probeContract = (name: string) => ({ name, version: "1.0.0", description: "probe module", input_schema: { type: "object" }, config_example: { x: 1 } });

describe("registry Worker in workerd", () => {
  let reg: TestRegistry;
  before(async () => {
    await buildComponents({ root, log: () => {} });
    reg = await startRegistry();
  });
  after(() => reg?.stop());

  const submit = (body: unknown, key: string | undefined = ALICE) => reg.json("/submit", { method: "POST", key, body: JSON.stringify(body) });
  const list = (key?: string, q?: string) => reg.json(`/components${q === undefined ? "" : `?q=${encodeURIComponent(q)}`}`, { key });

  /** R2 keys and D1 row counts: what a refusal must leave unchanged. */
  async function stored() {
    const bucket = await reg.mf.getR2Bucket("REGISTRY_BUCKET", "arcrun-registry");
    const db = await reg.mf.getD1Database("REGISTRY_DB", "arcrun-registry");
    const count = async (table: string) => ((await db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())?.n ?? 0);
    return {
      objects: (await bucket.list()).objects.map((o) => o.key).sort(),
      components: await count("components"),
      versions: await count("versions"),
      submissions: await count("submissions"),
      stats: (await count("version_stats")) + (await count("daily_stats")),
    };
  }

  /** Submits, expects 422 submission_rejected with `step` failing with `code`, and that nothing was stored. */
  async function rejected(body: unknown, step: string, code: string) {
    const before = await stored();
    const { status, body: answer } = await submit(body);
    assert.equal(status, 422, JSON.stringify(answer));
    assert.equal(answer.error.code, "submission_rejected");
    const report = answer.error.report;
    assert.equal(report.passed, false);
    const failing = report.steps.find((s: { step: string }) => s.step === step);
    assert.ok(failing && !failing.passed, `${step} fails: ${JSON.stringify(report)}`);
    if (failing.error?.code !== code) console.log(JSON.stringify(report, null, 1));
    assert.equal(failing.error?.code, code, JSON.stringify(failing));
    assert.ok(failing.error.hint, "a failing step says how to fix it");
    assert.deepEqual(await stored(), before, "a refused submission stores nothing");
    return report;
  }

  let firstId = "";

  test("an accepted submission: every step with its figures, visible to its author only", async () => {
    const { status, body } = await submit({ contract: contractOf("base64", "b64"), wasm: b64(moduleOf("base64")), features: featuresOf("base64") });
    assert.equal(status, 201, JSON.stringify(body));
    assert.equal(body.status, "accepted");
    assert.equal(body.visibility, "author_only");
    assert.equal(body.author, "alice");
    assert.equal(body.sha256, createHash("sha256").update(moduleOf("base64")).digest("hex"));
    const steps = Object.fromEntries(body.report.steps.map((s: any) => [s.step, s]));
    assert.deepEqual(Object.keys(steps), ["contract", "size", "imports", "cold_start", "features", "config_example"]);
    assert.ok(body.report.steps.every((s: any) => s.passed), JSON.stringify(body.report));
    assert.equal(steps.size.figures.bytes, moduleOf("base64").length);
    assert.equal(steps.size.figures.cap, MAX_MODULE_BYTES);
    // WASI calls, and the memory the build made an import (reused from call to call)
    assert.ok(steps.imports.figures.imports.every((i: string) => i.startsWith("wasi_snapshot_preview1.") || i === "arcrun.memory"), steps.imports.figures.imports.join());
    assert.ok(steps.imports.figures.imports.includes("arcrun.memory"));
    assert.match(steps.imports.figures.metering, /verified/);
    const cold = steps.cold_start.figures;
    assert.equal(cold.loads, 5);
    assert.equal(cold.samples_ms.length, 5);
    assert.ok(cold.median_ms > 0 && cold.median_ms <= cold.max_ms && cold.max_ms <= Math.max(...cold.samples_ms));
    assert.ok(cold.median_ms <= cold.threshold_ms);
    console.log(`cold start of base64 (${steps.size.figures.bytes} bytes): median ${cold.median_ms} ms, max ${cold.max_ms} ms over ${cold.loads} fresh loads`);
    assert.equal(steps.features.figures.failed, 0);
    assert.equal(steps.features.figures.passed, 13, "8 outline rows + 5 scenarios");
    assert.ok(steps.features.figures.scenarios.every((s: any) => s.status === "passed" && s.feature === "features/base64.feature" && s.line > 0));
    assert.equal(steps.config_example.figures.outcome, "success");
    assert.equal(steps.config_example.figures.params.text, "example", "the template became a sample string");
    firstId = body.id;

    assert.equal((await reg.json(`/submit/${firstId}`, { key: ALICE })).body.status, "accepted");
    assert.equal((await reg.json(`/submit/${firstId}`, { key: BOB })).status, 404, "another author does not see it");
    assert.equal((await reg.json(`/submit/${firstId}`)).status, 401);
    assert.deepEqual((await list(ALICE)).body.components.map((c: any) => [c.name, c.visibility, c.latest_version]), [["b64", "author_only", "1.0.0"]]);
    assert.deepEqual((await list(BOB)).body.components, []);
    assert.deepEqual((await list()).body.components, []);
    assert.equal((await reg.json("/components/b64", { key: BOB })).status, 404);
    assert.equal((await reg.json("/components/b64/1.0.0/module")).status, 404);
  });

  test("approval: admin only (403 otherwise); then public, searchable, with contract, features, sha256, module", async () => {
    const denied = await reg.json(`/submit/${firstId}/approve`, { method: "PATCH", key: BOB });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, "forbidden");
    assert.equal((await reg.json(`/submit/${firstId}/approve`, { method: "PATCH" })).status, 401);
    assert.equal((await reg.json(`/submit/${firstId}/approve`, { method: "PATCH", key: "wrong-key" })).status, 401);
    assert.equal((await reg.json(`/submit/nope/approve`, { method: "PATCH", key: ADMIN })).status, 404);

    const approved = await reg.json(`/submit/${firstId}/approve`, { method: "PATCH", key: ADMIN });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.status, "approved");
    assert.equal(approved.body.visibility, "public");
    assert.equal((await reg.json(`/submit/${firstId}/approve`, { method: "PATCH", key: ADMIN })).body.error.code, "submission_decided");

    const [entry] = (await list(BOB)).body.components;
    assert.deepEqual(
      { name: entry.name, latest_version: entry.latest_version, author: entry.author, category: entry.category, bytes: entry.bytes, total_runs: entry.total_runs, success_rate: entry.success_rate, avg_duration_ms: entry.avg_duration_ms },
      { name: "b64", latest_version: "1.0.0", author: "alice", category: "encoding", bytes: moduleOf("base64").length, total_runs: 0, success_rate: null, avg_duration_ms: null },
    );
    assert.match(entry.description, /Base64/);
    assert.equal((await list(undefined, "BASE64")).body.components.length, 1, "?q= searches the description");
    assert.equal((await list(undefined, "encod")).body.components.length, 1, "?q= searches the category");
    assert.equal((await list(undefined, "b6")).body.components.length, 1, "?q= searches the name");
    assert.equal((await list(undefined, "nothing-like-it")).body.components.length, 0);

    const detail = await reg.json("/components/b64/1.0.0");
    assert.equal(detail.status, 200);
    assert.equal(detail.body.contract.name, "b64");
    assert.deepEqual(detail.body.features, featuresOf("base64"));
    assert.deepEqual(detail.body.versions, ["1.0.0"]);
    assert.deepEqual(detail.body.stats, { total_runs: 0, success_rate: null, avg_duration_ms: null, days: [] });
    assert.equal(detail.body.report.passed, true, "the acceptance report of the version");
    assert.deepEqual(detail.body.report.steps.map((s: any) => s.step), ["contract", "size", "imports", "cold_start", "features", "config_example"]);
    const module = await reg.fetch("/components/b64/1.0.0/module");
    const bytes = new Uint8Array(await module.arrayBuffer());
    assert.equal(createHash("sha256").update(bytes).digest("hex"), detail.body.sha256);
    assert.equal(module.headers.get("x-arcrun-sha256"), detail.body.sha256);
    assert.equal((await reg.json("/components/b64/9.9.9")).body.error.code, "version_not_found");
  });

  test("versions are immutable and ordered by semver; a name belongs to its first author", async () => {
    const again = await submit({ contract: contractOf("base64", "b64"), wasm: b64(moduleOf("base64")), features: featuresOf("base64") });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "version_exists");
    for (const version of ["1.10.0", "1.9.0"]) {
      const next = await submit({ contract: contractOf("base64", "b64", version), wasm: b64(moduleOf("base64")), features: featuresOf("base64") });
      assert.equal(next.status, 201, JSON.stringify(next.body));
    }
    assert.deepEqual((await reg.json("/components/b64", { key: ALICE })).body.versions, ["1.10.0", "1.9.0", "1.0.0"]);
    assert.equal((await list(ALICE)).body.components[0].latest_version, "1.10.0");
    assert.equal((await list(BOB)).body.components[0].latest_version, "1.0.0", "unapproved versions stay the author's");
    const taken = await submit({ contract: contractOf("base64", "b64", "3.0.0"), wasm: b64(moduleOf("base64")), features: featuresOf("base64") }, BOB);
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.code, "component_exists");
  });

  test("an admin rejection withdraws the version with its reason", async () => {
    const { body } = await submit({ contract: contractOf("base64", "b64", "2.0.0"), wasm: b64(moduleOf("base64")), features: featuresOf("base64") });
    assert.equal((await reg.json(`/submit/${body.id}/reject`, { method: "PATCH", key: ADMIN, body: "{}" })).body.error.code, "invalid_request");
    assert.equal((await reg.json(`/submit/${body.id}/reject`, { method: "PATCH", key: ALICE, body: JSON.stringify({ reason: "x" }) })).status, 403);
    const done = await reg.json(`/submit/${body.id}/reject`, { method: "PATCH", key: ADMIN, body: JSON.stringify({ reason: "the description is misleading" }) });
    assert.equal(done.status, 200);
    assert.equal(done.body.status, "rejected");
    assert.equal(done.body.visibility, "withdrawn");
    assert.equal(done.body.reason, "the description is misleading");
    assert.ok(!(await reg.json("/components/b64", { key: ALICE })).body.versions.includes("2.0.0"));
  });

  test("bad submissions are rejected with the failing step and its fix, storing nothing", async () => {
    const good = { contract: contractOf("base64", "bad_b64"), wasm: b64(moduleOf("base64")), features: featuresOf("base64") };

    const oversized = await rejected({ ...good, wasm: b64(new Uint8Array(MAX_MODULE_BYTES + 1)) }, "size", "module_too_large");
    assert.deepEqual(oversized.steps[1].figures, { bytes: MAX_MODULE_BYTES + 1, cap: MAX_MODULE_BYTES });
    assert.equal(oversized.steps[2].figures.skipped !== undefined, true, "later steps are skipped, not faked");

    const sock = command(`(nop)`, { imports: `${IMPORTS} (import "wasi_snapshot_preview1" "sock_accept" (func (param i32 i32 i32) (result i32)))` });
    const forbidden = await rejected({ contract: probeContract("bad_sock"), wasm: b64(sock), features: ECHO_FEATURE }, "imports", "forbidden_import");
    assert.match(forbidden.steps[2].error.message, /sock_accept/);

    const forged = readFileSync(`${root}packages/core/src/wasi/fixtures/forged-fuel.wasm`);
    await rejected({ contract: probeContract("bad_forged"), wasm: b64(forged), features: ECHO_FEATURE }, "imports", "unmetered_module");

    const memory = command(`(nop)`, { maxPages: 300 });
    await rejected({ contract: probeContract("bad_memory"), wasm: b64(memory), features: ECHO_FEATURE }, "imports", "memory_over_cap");

    const failing = [...featuresOf("base64"), { path: "features/wrong.feature", text: 'Feature: wrong\n  Scenario: expects the wrong encoding\n    Given the input:\n      """\n      {"action": "encode", "text": "f"}\n      """\n    When the component runs\n    Then the output is "Zh=="\n' }];
    const scenario = await rejected({ ...good, features: failing }, "features", "scenario_failed");
    const verdicts = scenario.steps[4].figures.scenarios;
    assert.equal(verdicts.length, 14);
    assert.deepEqual(verdicts.filter((s: any) => s.status !== "passed").map((s: any) => [s.feature, s.name, s.status]), [["features/wrong.feature", "expects the wrong encoding", "failed"]]);
    assert.match(verdicts.at(-1).error, /wrong\.feature:\d+/);

    // traps when it is instantiated: its start function runs `unreachable` before _start
    const trap = command(`(nop)`, { extra: `(func $boom (unreachable)) (start $boom)` });
    const trapped = await rejected({ contract: probeContract("bad_trap"), wasm: b64(trap), features: ECHO_FEATURE }, "features", "scenario_failed");
    assert.match(trapped.steps[4].figures.scenarios[0].error, /component_trap|unreachable/);
    assert.equal(trapped.steps[5].error.code, "config_example_failed");
    assert.equal(trapped.steps[5].figures.outcome, "component_trap");

    await rejected({ ...good, features: [] }, "features", "no_features");
    const badContract = await rejected({ ...good, contract: { name: "Bad Name", version: "one" } }, "contract", "invalid_contract");
    assert.ok(badContract.steps[0].figures.problems.length >= 2);
    await rejected({ ...good, wasm: "not base64!" }, "size", "invalid_module");

    const before = await stored();
    for (const body of [{}, { contract: {}, wasm: 1, features: [] }, { ...good, features: [{ path: "../x.txt", text: "" }] }]) {
      const answer = await submit(body);
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, "invalid_request");
    }
    assert.equal((await reg.json("/submit", { method: "POST", key: ALICE, body: "{not json" })).body.error.code, "invalid_json");
    assert.equal((await reg.json("/submit", { method: "POST", body: JSON.stringify(good) })).status, 401, "no key");
    assert.deepEqual(await stored(), before);
  });

  test("first-party submissions (the local standard library): admin only; static steps run, sandbox steps reported as not repeated", async () => {
    const body = { contract: contractOf("base64", "fp_b64"), wasm: b64(moduleOf("base64")), features: featuresOf("base64"), first_party: true };
    const before = await stored();
    const denied = await submit(body, ALICE);
    assert.equal(denied.status, 403, JSON.stringify(denied.body));
    assert.equal(denied.body.error.code, "forbidden");
    assert.deepEqual(await stored(), before, "a refused first-party submission stores nothing");

    const accepted = await submit(body, ADMIN);
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    const steps = Object.fromEntries(accepted.body.report.steps.map((s: { step: string; passed: boolean; figures: Record<string, unknown> }) => [s.step, s]));
    assert.equal(accepted.body.report.passed, true);
    assert.equal(steps.imports.figures.metering, "verified: every loop and recursion point carries the fuel check");
    for (const step of ["cold_start", "features", "config_example"]) assert.match(String(steps[step].figures.first_party), /not repeated/, step);

    // the static checks are not skipped: an unmetered module is refused as any submission is
    const forged = readFileSync(`${root}packages/core/src/wasi/fixtures/forged-fuel.wasm`);
    const refused = await submit({ contract: probeContract("fp_forged"), wasm: b64(forged), features: ECHO_FEATURE, first_party: true }, ADMIN);
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
    const imports = refused.body.error.report.steps.find((s: { step: string }) => s.step === "imports");
    assert.equal(imports.error.code, "unmetered_module");
    assert.ok(refused.body.error.report.steps.filter((s: { step: string }) => s.step !== "contract" && s.step !== "size" && s.step !== "imports").every((s: { passed: boolean }) => !s.passed));
  });

  test("usage counters: 500 concurrent records give exact totals; unknown components are dropped; malformed records are 400", async () => {
    const record = (records: unknown, key: string | undefined = ALICE) => reg.json("/analytics/record", { method: "POST", key, body: JSON.stringify({ records }) });
    const sends = Array.from({ length: 500 }, (_, i) => record([{ component: "b64", version: i % 5 === 0 ? "1.9.0" : "1.0.0", success: i % 4 !== 0, duration_ms: i % 10 }]));
    const answers = await Promise.all(sends);
    assert.ok(answers.every((a) => a.status === 200 && a.body.recorded === 1 && a.body.dropped === 0), JSON.stringify(answers.find((a) => a.status !== 200)?.body));

    // 500 records: 100 on 1.9.0 (i % 5 == 0), 400 on 1.0.0; 125 failures (i % 4 == 0); durations 0..9 evenly
    const v1 = (await reg.json("/components/b64/1.0.0")).body.stats;
    const v19 = (await reg.json("/components/b64/1.9.0", { key: ALICE })).body.stats;
    assert.equal(v1.total_runs, 400);
    assert.equal(v19.total_runs, 100);
    const failures = (range: number[]) => range.filter((i) => i % 4 === 0).length;
    const on19 = Array.from({ length: 500 }, (_, i) => i).filter((i) => i % 5 === 0);
    const on10 = Array.from({ length: 500 }, (_, i) => i).filter((i) => i % 5 !== 0);
    assert.equal(v19.success_rate, (100 - failures(on19)) / 100);
    assert.equal(v1.success_rate, (400 - failures(on10)) / 400);
    assert.equal(v1.avg_duration_ms, on10.reduce((s, i) => s + (i % 10), 0) / 400);
    assert.equal(v1.days.length, 1);
    assert.equal(v1.days[0].total_runs, 400);
    const listed = (await list(ALICE)).body.components[0];
    assert.equal(listed.total_runs, 500);
    assert.equal(listed.success_rate, 375 / 500);
    console.log(`500 concurrent records: 1.0.0 ${v1.total_runs} runs, success ${v1.success_rate}, avg ${v1.avg_duration_ms} ms; 1.9.0 ${v19.total_runs} runs`);

    const before = await stored();
    const mixed = await record([
      { component: "b64", version: "1.0.0", success: true, duration_ms: 1 },
      { component: "no_such_component", version: "1.0.0", success: true, duration_ms: 1 },
      { component: "b64", version: "2.0.0", success: true, duration_ms: 1 },
    ]);
    assert.deepEqual(mixed.body, { recorded: 1, dropped: 2 }, "an unknown component and a withdrawn version are dropped");
    assert.equal((await reg.json("/components/b64/1.0.0")).body.stats.total_runs, 401);
    const only = await record([{ component: "no_such_component", version: "1.0.0", success: false, duration_ms: 1 }]);
    assert.deepEqual(only.body, { recorded: 0, dropped: 1 });
    const after = await stored();
    assert.deepEqual({ ...after, stats: 0 }, { ...before, stats: 0 });
    assert.equal(after.stats, before.stats, "a dropped record adds no row");

    for (const bad of [[], [{ component: "b64", version: "1.0.0", success: "yes", duration_ms: 1 }], [{ component: "b64", version: "1.0.0", success: true, duration_ms: -1 }], "nope"]) {
      const answer = await record(bad);
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, "invalid_request");
    }
    assert.equal((await reg.json("/analytics/record", { method: "POST", body: JSON.stringify({ records: [{ component: "b64", version: "1.0.0", success: true, duration_ms: 1 }] }) })).status, 401, "no key");
    assert.equal((await reg.json("/components/b64/1.0.0")).body.stats.total_runs, 401);
  });

  test("a cold start over the threshold is refused (a registry configured with a 0.01 ms threshold)", async () => {
    const strict = await startRegistry({ coldStartMaxMs: 0.01 });
    try {
      const { status, body } = await strict.json("/submit", { method: "POST", key: ALICE, body: JSON.stringify({ contract: contractOf("base64", "b64"), wasm: b64(moduleOf("base64")), features: featuresOf("base64") }) });
      assert.equal(status, 422, JSON.stringify(body));
      const cold = body.error.report.steps.find((s: any) => s.step === "cold_start");
      assert.equal(cold.error.code, "cold_start_too_slow");
      assert.equal(cold.figures.threshold_ms, 0.01);
      assert.ok(cold.figures.median_ms > 0.01);
      assert.equal(body.error.report.steps.find((s: any) => s.step === "features").figures.skipped, "the module did not load");
      assert.deepEqual((await strict.json("/components", { key: ALICE })).body.components, []);
    } finally {
      await strict.stop();
    }
  });

  test("unknown endpoints and the health probe", async () => {
    assert.deepEqual((await reg.json("/health")).body, { ok: true, service: "registry" });
    const missing = await reg.json("/nope");
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "not_found");
  });
});
