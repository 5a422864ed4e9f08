// Components published at run time (PUT /components/:name → R2) and run through the Worker
// Loader in real workerd: no redeploy, the same results as bundled components, refusals that
// store nothing, and an endless loop that ends as `timeout` with the executor still serving.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import binaryen from "binaryen";
import { parse as parseYaml } from "yaml";
import buildComponents from "@arcrun/local/build/components.mjs";
import { MAX_MODULE_BYTES } from "@arcrun/core/wasi/allow-list";
import { meterModule } from "@arcrun/local/build/meter.mjs";
import { jsonHeaders, startExecutor, type TestExecutor } from "@arcrun/local/host/test-executor";

const root = fileURLToPath(new URL("../../..", import.meta.url));

/** A standard component's contract under another name (and version). */
function contractOf(component: string, name: string, version = "1.0.0"): Record<string, unknown> {
  const contract = parseYaml(readFileSync(`${root}components/${component}/contract.yaml`, "utf8"));
  return { ...contract, name, version };
}
const moduleOf = (component: string) => readFileSync(`${root}components/${component}/build/${component}.wasm`);

const IMPORTS = `
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))`;

/** A metered WASI command from a WAT body; `text` is placed at address 1024. */
function command(body: string, { text = "", imports = IMPORTS, maxPages = 4, meter = true } = {}): Uint8Array {
  const data = text ? `(data (i32.const 1024) "${[...new TextEncoder().encode(text)].map((b) => "\\" + b.toString(16).padStart(2, "0")).join("")}")` : "";
  const wat = `(module ${imports} (memory (export "memory") 1 ${maxPages}) ${data}
    (func (export "_start") ${body}))`;
  const bytes = binaryen.parseText(wat).emitBinary();
  return meter ? meterModule(bytes, { maxPages }) : bytes;
}
/** writes the `text` placed at 1024 to fd 1 */
const print = (text: string) => `(i32.store (i32.const 0) (i32.const 1024)) (i32.store (i32.const 4) (i32.const ${new TextEncoder().encode(text).length}))
  (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))`;

const probeContract = (name: string) => ({ name, version: "1.0.0", description: "test module", input_schema: { type: "object" } });

const workflowUsing = (component: string, params: string, limits = "") =>
  `name: uses_${component}\nflow: ["input >> ON_SUCCESS >> n"]\nconfig:\n  n:\n    component: ${component}\n${params}${limits ? `    limits: ${limits}\n` : ""}`;

describe("components published to R2, run through the Worker Loader", () => {
  let ex: TestExecutor;
  before(async () => {
    await buildComponents({ root, log: () => {} });
    ex = await startExecutor();
  });
  after(() => ex?.stop());

  const publish = (name: string, contract: unknown, wasm: Uint8Array | string) =>
    ex.json(`/components/${name}`, {
      method: "PUT",
      headers: jsonHeaders,
      body: JSON.stringify({ contract, wasm: typeof wasm === "string" ? wasm : Buffer.from(wasm).toString("base64") }),
    });
  const execute = (workflow: string, input: unknown = {}) =>
    ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow, input }) });
  const storedKeys = async () => (await (await ex.mf.getR2Bucket("WASM_BUCKET")).list()).objects.map((o) => o.key).sort();
  const nodeError = (body: any) => body.nodes.find((n: { node: string }) => n.node === "n").error;

  /** Publishes, expects a refusal with `status` and `code`, and checks nothing was stored. */
  async function refused(name: string, contract: unknown, wasm: Uint8Array | string, status: number, code: string) {
    const before = await storedKeys();
    const { status: got, body } = await publish(name, contract, wasm);
    assert.equal(got, status, JSON.stringify(body));
    assert.equal(body.error.code, code, JSON.stringify(body));
    assert.ok(body.error.message);
    assert.deepEqual(await storedKeys(), before, "a refused publish stores nothing");
    return body.error;
  }

  const SHOUT = workflowUsing("shout_published", `    text: "{{input.text}}"\n    case: upper\n`);

  test("a published component runs in a workflow without a redeploy; republishing replaces it", async () => {
    const unknown = await execute(SHOUT, { text: "hello" });
    assert.equal(unknown.status, 422, "unknown before it is published");

    const v1 = moduleOf("text_case");
    const first = await publish("shout_published", contractOf("text_case", "shout_published"), v1);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.name, "shout_published");
    assert.equal(first.body.version, "1.0.0");
    assert.equal(first.body.bytes, v1.length);
    assert.match(first.body.sha256, /^[0-9a-f]{64}$/);
    assert.equal(first.body.source, "r2");
    assert.deepEqual(await storedKeys(), ["components/shout_published/contract.json", `components/shout_published/${first.body.sha256}.wasm`].sort());

    const run = await execute(SHOUT, { text: "hello" });
    assert.equal(run.body.status, "succeeded", JSON.stringify(run.body));
    assert.equal(run.body.result, "HELLO");

    // a changed module (the C reverser) under the same name, new version
    const second = await publish("shout_published", contractOf("c_reverse", "shout_published", "2.0.0"), moduleOf("c_reverse"));
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.equal(second.body.version, "2.0.0");
    assert.notEqual(second.body.sha256, first.body.sha256);
    const rerun = await execute(workflowUsing("shout_published", `    text: "{{input.text}}"\n`), { text: "hello" });
    assert.equal(rerun.body.result, "olleh", JSON.stringify(rerun.body));

    const one = await ex.json("/components/shout_published");
    assert.equal(one.status, 200);
    assert.equal(one.body.source, "r2");
    assert.equal(one.body.sha256, second.body.sha256);
    assert.equal(one.body.contract.version, "2.0.0");
    assert.equal(one.body.bytes, moduleOf("c_reverse").length);
    const list = await ex.json("/components");
    const entry = list.body.components.find((c: { name: string }) => c.name === "shout_published");
    assert.deepEqual(entry, {
      name: "shout_published",
      version: "2.0.0",
      category: "text",
      description: contractOf("c_reverse", "x").description,
      bytes: moduleOf("c_reverse").length,
      source: "r2",
    });
    assert.equal(list.body.components.find((c: { name: string }) => c.name === "code").source, "builtin");
    assert.equal(list.body.components.find((c: { name: string }) => c.name === "text_case").source, "bundled");
  });

  test("a stored workflow may use a component that exists only in R2; an unknown one is refused with the publish command", async () => {
    const name = "only_in_r2";
    assert.equal((await publish(name, contractOf("text_case", name), moduleOf("text_case"))).status, 201);
    const yaml = workflowUsing(name, `    text: "{{input.text}}"\n    case: title\n`);
    const pushed = await ex.json("/workflows", { method: "POST", headers: { "content-type": "text/yaml" }, body: yaml });
    assert.equal(pushed.status, 201, JSON.stringify(pushed.body));
    const ran = await ex.json(`/webhooks/named/uses_${name}/query`, { method: "POST", headers: jsonHeaders, body: JSON.stringify({ text: "ada lovelace" }) });
    assert.equal(ran.body.result, "Ada Lovelace", JSON.stringify(ran.body));

    const missing = await ex.json("/workflows", { method: "POST", headers: { "content-type": "text/yaml" }, body: workflowUsing("never_published", `    text: x\n`) });
    assert.equal(missing.status, 422);
    assert.equal(missing.body.error.errors[0].code, "unknown_component");
    assert.match(missing.body.error.errors[0].hint, /acr parts publish components\/never_published/);
  });

  test("the parent validates input_schema before the loader runs anything", async () => {
    await publish("shout_published", contractOf("text_case", "shout_published"), moduleOf("text_case"));
    // a templated value is known only at run time: the parent checks it before the loader runs
    const { body } = await execute(workflowUsing("shout_published", `    text: "{{input.text}}"\n    case: "{{input.case}}"\n`), { text: "x", case: "shouty" });
    assert.equal(nodeError(body).code, "invalid_input", JSON.stringify(body));
    // a literal one is refused before the run, with the published contract's schema
    const literal = await execute(workflowUsing("shout_published", `    text: "{{input.text}}"\n    case: shouty\n`), { text: "x" });
    assert.equal(literal.status, 422, JSON.stringify(literal.body));
    assert.equal(literal.body.error.errors[0].code, "invalid_input");
  });

  test("failures inside the loaded isolate come back as in-process: output_too_large, trap, invalid_output, memory_limit", async () => {
    const big = await execute(SHOUT.replace("case: upper", "case: upper\n    limits: {max_output_bytes: 3}"), { text: "hello" });
    assert.equal(nodeError(big.body).code, "output_too_large", JSON.stringify(big.body));

    assert.equal((await publish("probe_trap", probeContract("probe_trap"), command(`(unreachable)`))).status, 201);
    const trap = await execute(workflowUsing("probe_trap", "    x: 1\n"));
    assert.equal(nodeError(trap.body).code, "component_trap");
    assert.match(nodeError(trap.body).message, /unreachable/);

    assert.equal((await publish("probe_text", probeContract("probe_text"), command(print("hi there"), { text: "hi there" }))).status, 201);
    const text = await execute(workflowUsing("probe_text", "    x: 1\n"));
    assert.equal(nodeError(text.body).code, "invalid_output");

    const hog = command(`(if (i32.eq (memory.grow (i32.const 8)) (i32.const -1)) (then (unreachable)))`);
    assert.equal((await publish("probe_hog", probeContract("probe_hog"), hog)).status, 201);
    const memory = await execute(workflowUsing("probe_hog", "    x: 1\n"));
    assert.equal(nodeError(memory.body).code, "memory_limit");

    assert.equal((await publish("probe_json", probeContract("probe_json"), command(print('{"ok":[1,2]}'), { text: '{"ok":[1,2]}' }))).status, 201);
    assert.deepEqual((await execute(workflowUsing("probe_json", "    x: 1\n"))).body.result, { ok: [1, 2] });
  });

  // Local workerd runs the loaded isolate on the executor's thread, so /health is answered when
  // the fuel runs out (DESIGN § Runtime facts); what matters is that it is answered, and after.
  test("an endless loop ends as timeout; a parallel /health is answered and the next run works", async () => {
    assert.equal((await publish("probe_spin", probeContract("probe_spin"), command(`(loop $l (br $l))`))).status, 201);
    const run = execute(workflowUsing("probe_spin", "    x: 1\n", "{timeout_ms: 3000, cpu_ms: 1000}"));
    await new Promise((r) => setTimeout(r, 50));
    const health = await ex.fetch("/health", { auth: false });
    assert.equal(health.status, 200);
    const { body } = await run;
    assert.equal(body.status, "failed");
    assert.equal(nodeError(body).code, "timeout", JSON.stringify(body));
    assert.match(nodeError(body).message, /probe_spin.*1000 ms of work/);
    const next = await execute(SHOUT, { text: "still here" });
    assert.equal(next.body.result, "STILL HERE");
  });

  test("refusals: forbidden import, unmetered, oversized, invalid contract, name mismatch, bad bytes — nothing stored", async () => {
    const sock = command(`(nop)`, { imports: `${IMPORTS} (import "wasi_snapshot_preview1" "sock_accept" (func (param i32 i32 i32) (result i32)))` });
    const forbidden = await refused("bad_sock", probeContract("bad_sock"), sock, 422, "forbidden_import");
    assert.match(forbidden.message, /wasi_snapshot_preview1\.sock_accept/);
    assert.deepEqual(forbidden.imports, ["wasi_snapshot_preview1.sock_accept (function)"]);

    const fetchImport = command(`(nop)`, { imports: `(import "env" "fetch" (func (param i32) (result i32)))` });
    assert.match((await refused("bad_fetch", probeContract("bad_fetch"), fetchImport, 422, "forbidden_import")).message, /env\.fetch/);

    await refused("bad_unmetered", probeContract("bad_unmetered"), command(`(loop $l (br $l))`, { meter: false }), 422, "unmetered_module");

    // published modules may exceed the standard library's 50 KB, up to MAX_MODULE_BYTES (512 KiB)
    const oversized = new Uint8Array(MAX_MODULE_BYTES + 1);
    oversized.set(moduleOf("text_case").subarray(0, 8));
    const large = await refused("bad_large", probeContract("bad_large"), oversized, 422, "module_too_large");
    assert.match(large.message, new RegExp(`${MAX_MODULE_BYTES + 1} bytes; the limit is ${MAX_MODULE_BYTES}`));
    // the count and the cap, never the module itself
    assert.equal(large.bytes, MAX_MODULE_BYTES + 1);
    assert.equal(large.limit, 524_288);
    assert.ok(JSON.stringify(large).length < 1000, `a small body, not the module: ${JSON.stringify(large).length} chars`);
    const huge = await publish("bad_huge", probeContract("bad_huge"), new Uint8Array(900_000));
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error.code, "payload_too_large");
    assert.equal(huge.body.error.limit, 1024 * 1024);
    assert.ok(huge.body.error.bytes > 1024 * 1024, JSON.stringify(huge.body).slice(0, 300));
    assert.ok(JSON.stringify(huge.body).length < 1000);

    const contract = contractOf("text_case", "bad_contract") as Record<string, unknown>;
    delete contract.version;
    const invalid = await refused("bad_contract", { ...contract, color: "red" }, moduleOf("text_case"), 422, "invalid_contract");
    assert.ok(invalid.errors.some((e: string) => /version/.test(e)), JSON.stringify(invalid));
    assert.ok(invalid.errors.some((e: string) => /unknown key "color"/.test(e)), JSON.stringify(invalid));

    await refused("bad_name", contractOf("text_case", "other_name"), moduleOf("text_case"), 422, "name_mismatch");
    await refused("bad_magic", probeContract("bad_magic"), new TextEncoder().encode("#!/bin/sh\necho hi\n"), 422, "invalid_module");
    await refused("bad_base64", probeContract("bad_base64"), "not base64!", 422, "invalid_module");
    await refused("bad_cut", probeContract("bad_cut"), moduleOf("text_case").subarray(0, 300), 422, "invalid_module");
  });

  test("forged metering is refused: a fuel global by name only, one loop without the fuel check (issue 10)", async () => {
    // clang --target=wasm32-wasi, exporting a C variable named arcrun_fuel: the old check let it through
    const forged = readFileSync(`${root}packages/core/src/wasi/fixtures/forged-fuel.wasm`);
    const c = await refused("forged_c", probeContract("forged_c"), forged, 422, "unmetered_module");
    assert.match(c.reason, /mutable i64 global initialised to 0/);

    const fuel = `(global $fuel (export "arcrun_fuel") (mut i64) (i64.const 0))`;
    const check = `(if (i64.eqz (global.get $fuel)) (then (unreachable))) (global.set $fuel (i64.sub (global.get $fuel) (i64.const 1)))`;
    const bare = command(`(loop $l (br $l))`, { meter: false, imports: `${IMPORTS} ${fuel}` });
    const spin = await refused("forged_spin", probeContract("forged_spin"), bare, 422, "unmetered_module");
    assert.equal(spin.function, 2, "function index, imports first");
    assert.match(spin.message, /loop at byte \d+ does not start with the fuel check/);

    const oneOfTwo = command(`(loop $a ${check} (br_if $a (i32.const 0))) (loop $b (br $b))`, { meter: false, imports: `${IMPORTS} ${fuel}` });
    const partial = await refused("forged_partial", probeContract("forged_partial"), oneOfTwo, 422, "unmetered_module");
    const firstLoop = [...oneOfTwo].findIndex((b, i) => b === 0x03 && oneOfTwo[i + 1] === 0x40);
    const secondLoop = [...oneOfTwo].findIndex((b, i) => i > firstLoop && b === 0x03 && oneOfTwo[i + 1] === 0x40);
    assert.ok(firstLoop > 0 && secondLoop > firstLoop);
    assert.equal(partial.offset, secondLoop, "the second loop is named");

    // both loops checked (as the meter does it): published and run, stopped by its fuel
    const both = command(`(loop $a ${check} (br_if $a (i32.const 0))) (loop $b ${check} (br $b))`, { meter: false, imports: `${IMPORTS} ${fuel}` });
    assert.equal((await publish("checked_spin", probeContract("checked_spin"), both)).status, 201);
    const { body } = await execute(workflowUsing("checked_spin", "    x: 1\n", "{ timeout_ms: 200 }"));
    assert.equal(nodeError(body).code, "timeout", JSON.stringify(body));
  });

  test("a memory maximum over the contract's memory_pages is refused: memory_over_cap", async () => {
    const contract = { ...probeContract("big_memory"), limits: { memory_pages: 32 } };
    const over = await refused("big_memory", contract, command(`(nop)`, { maxPages: 16_386 }), 422, "memory_over_cap");
    assert.equal(over.max_pages, 16_386);
    assert.equal(over.cap_pages, 32);
    assert.match(over.message, /16386 pages; its contract allows 32/);
    assert.equal((await publish("big_memory", contract, command(`(nop)`, { maxPages: 32 }))).status, 201);
  });

  test("names of builtins and bundled components are refused with 409 and a rename hint", async () => {
    const builtin = await refused("code", contractOf("text_case", "code"), moduleOf("text_case"), 409, "component_exists");
    assert.match(builtin.hint, /Rename/);
    assert.equal(builtin.source, "builtin");
    const bundled = await refused("text_case", contractOf("text_case", "text_case"), moduleOf("text_case"), 409, "component_exists");
    assert.equal(bundled.source, "bundled");
  });

  test("requests without a well-formed body or key are refused", async () => {
    const shape = await ex.json("/components/x_shape", { method: "PUT", headers: jsonHeaders, body: JSON.stringify({ contract: {} }) });
    assert.equal(shape.status, 400);
    assert.equal(shape.body.error.code, "invalid_request");
    const noKey = await ex.json("/components/x_shape", { method: "PUT", headers: jsonHeaders, body: "{}", auth: false });
    assert.equal(noKey.status, 401);
    assert.equal((await ex.json("/components", { auth: false })).status, 401);
  });

  test("GET and DELETE: 404 for unknown, 409 for builtin/bundled, 204 then gone for published", async () => {
    const unknown = await ex.json("/components/nobody_here");
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, "component_not_found");
    assert.equal(unknown.body.error.component, "nobody_here");
    assert.match(unknown.body.error.hint, /acr parts publish components\/nobody_here/);
    assert.equal((await ex.json("/components/nobody_here", { method: "DELETE" })).status, 404);

    const builtin = await ex.json("/components/code");
    assert.equal(builtin.body.source, "builtin");
    assert.equal(builtin.body.bytes, null);
    assert.equal((await ex.json("/components/code", { method: "DELETE" })).status, 409);
    const bundled = await ex.json("/components/text_case");
    assert.equal(bundled.body.source, "bundled");
    assert.equal(bundled.body.contract.name, "text_case");
    assert.equal((await ex.json("/components/text_case", { method: "DELETE" })).status, 409);

    assert.equal((await publish("to_delete", contractOf("text_case", "to_delete"), moduleOf("text_case"))).status, 201);
    const ran = await execute(workflowUsing("to_delete", `    text: a\n`));
    assert.equal(ran.body.result, "A", JSON.stringify(ran.body));
    const stored = await ex.json("/workflows", { method: "POST", headers: { "content-type": "text/yaml" }, body: workflowUsing("to_delete", `    text: a\n`) });
    assert.equal(stored.status, 201);
    const removed = await ex.fetch("/components/to_delete", { method: "DELETE" });
    assert.equal(removed.status, 204);
    assert.deepEqual((await storedKeys()).filter((k) => k.startsWith("components/to_delete/")), []);
    assert.equal((await ex.json("/components/to_delete")).status, 404);
    const after = await execute(workflowUsing("to_delete", `    text: a\n`));
    assert.equal(after.status, 422);
    // a stored workflow whose component went away is refused when triggered, saying how to get it back
    const orphan = await ex.json("/webhooks/named/uses_to_delete/query", { method: "POST", headers: jsonHeaders, body: "{}" });
    assert.equal(orphan.status, 422);
    assert.equal(orphan.body.error.errors[0].code, "unknown_component");
    assert.match(orphan.body.error.errors[0].hint, /acr parts publish components\/to_delete/);
  });
});
