// The sandbox, proven on hand-written modules metered by the real build step: endless loops and
// runaway recursion stop as `timeout`, traps and exits become `component_trap`, forbidden or
// unmetered modules never run, bad or oversized output is reported, memory has a ceiling.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import binaryen from "binaryen";
import { meterModule } from "@arcrun/local/build/meter.mjs";
import { wasmComponent } from "../components/wasm-component";
import type { Contract } from "../components/contract";
import type { NodeContext, NodeOutcome, ResolvedLimits } from "../components/types";
import { runWasiCommand } from "./run";
import { fuelFor } from "./fuel";
import { checkModuleBytes } from "./allow-list";
import { MEMORY_IMPORT } from "./pooled-memory";

const IMPORTS = `
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))`;

// $write(fd, ptr, len): one iovec at address 0, bytes written stored at 8
const WRITE = `
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))`;

/** A metered WASI command from a WAT body; data strings are placed from address 1024 on. */
function command(body: string, { data = [] as string[], maxPages = 4, extra = "" } = {}): WebAssembly.Module {
  let at = 1024;
  const segments = data.map((text) => {
    const bytes = new TextEncoder().encode(text);
    const segment = `(data (i32.const ${at}) "${[...bytes].map((b) => "\\" + b.toString(16).padStart(2, "0")).join("")}")`;
    at += bytes.length;
    return segment;
  });
  const wat = `(module ${IMPORTS} ${extra} (memory (export "memory") 1 ${maxPages}) ${segments.join(" ")} ${WRITE}
    (func (export "_start") ${body}))`;
  return new WebAssembly.Module(meterModule(binaryen.parseText(wat).emitBinary(), { maxPages }));
}

/** Writes `text` (placed at 1024) to stdout. */
function printing(text: string, after = ""): WebAssembly.Module {
  return command(`(call $write (i32.const 1) (i32.const 1024) (i32.const ${new TextEncoder().encode(text).length})) ${after}`, { data: [text] });
}

const contract = (extra: Partial<Contract> = {}): Contract => ({ name: "probe", version: "1.0.0", description: "test module", ...extra });

function context(limits: Partial<ResolvedLimits> = {}, logs: string[] = []): NodeContext {
  return {
    runId: "r1",
    node: "probe",
    attempt: 1,
    limits: { timeout_ms: 1000, max_output_bytes: 1 << 20, retries: 0, backoff_ms: 0, ...limits },
    signal: new AbortController().signal,
    egress: [],
    fetch: fetch,
    upstream: {},
    log: (line) => logs.push(line),
  };
}

async function run(module: WebAssembly.Module, params: Record<string, unknown> = {}, limits: Partial<ResolvedLimits> = {}, extra: Partial<Contract> = {}): Promise<NodeOutcome> {
  return wasmComponent({ module, contract: contract(extra) }).run(params, context(limits));
}

function errorOf(outcome: NodeOutcome) {
  assert.equal(outcome.success, false, `expected a failure, got ${JSON.stringify(outcome)}`);
  return (outcome as Extract<NodeOutcome, { success: false }>).error;
}

// reads stdin into 4096.. and writes it back: an echo
const ECHO = command(`
  (local $n i32)
  (i32.store (i32.const 0) (i32.const 4096))
  (i32.store (i32.const 4) (i32.const 60000))
  (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 16)))
  (call $write (i32.const 1) (i32.const 4096) (i32.load (i32.const 16)))`);

describe("output", () => {
  test("raw JSON on stdout is the node's data; stdin carries the parameters", async () => {
    const params = { text: "héllo 😀", n: 1.5, nested: { a: [1, null, true] } };
    assert.deepEqual(await run(ECHO, params), { success: true, data: params });
  });

  test("the result envelope is read as success or failure", async () => {
    assert.deepEqual(await run(printing('{"success":true,"data":[1,2]}')), { success: true, data: [1, 2] });
    const error = errorOf(await run(printing('{"success":false,"error":{"code":"bad_thing","message":"it broke","details":[1]}}')));
    assert.deepEqual(error, { code: "bad_thing", message: "it broke", details: [1] });
  });

  test("an object that merely has a success key plus other keys is data", async () => {
    assert.deepEqual(await run(printing('{"success":true,"count":3}')), { success: true, data: { success: true, count: 3 } });
  });

  test("stdout that is not JSON fails with invalid_output", async () => {
    const error = errorOf(await run(printing("hello world")));
    assert.equal(error.code, "invalid_output");
    assert.match(error.message, /not JSON/);
    assert.equal(errorOf(await run(command(""))).code, "invalid_output");
    assert.equal(errorOf(await run(printing('{"success":false,"error":"nope"}'))).code, "invalid_output");
  });

  test("stdout over max_output_bytes stops the module with output_too_large", async () => {
    // writes the same 10 bytes forever: the cap, not the fuel, must stop it
    const flood = command(`(loop $l (call $write (i32.const 1) (i32.const 1024) (i32.const 10)) (br $l))`, { data: ["0123456789"] });
    const error = errorOf(await run(flood, {}, { max_output_bytes: 1000 }));
    assert.equal(error.code, "output_too_large");
    assert.match(error.message, /1000 bytes/);
  });

  test("stderr goes to the node log", async () => {
    const logs: string[] = [];
    const module = command(`(call $write (i32.const 2) (i32.const 1024) (i32.const 12)) (call $write (i32.const 1) (i32.const 1036) (i32.const 2))`, { data: ["line1\nline2\n", "{}"] });
    const outcome = await wasmComponent({ module, contract: contract() }).run({}, context({}, logs));
    assert.deepEqual(outcome, { success: true, data: {} });
    assert.deepEqual(logs, ["line1", "line2"]);
  });
});

describe("arguments", () => {
  test("argv holds one argument, the program name, as WASI programs expect (Rust's std reads it at start)", async () => {
    const extra = `
      (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))`;
    // argc at 100, buffer size at 104, argv[] at 200, the strings at 300; prints "<argv[0]>" as JSON
    const module = command(`
      (drop (call $args_sizes_get (i32.const 100) (i32.const 104)))
      (if (i32.ne (i32.load (i32.const 100)) (i32.const 1)) (then (unreachable)))
      (drop (call $args_get (i32.const 200) (i32.const 300)))
      (if (i32.load8_u (i32.add (i32.const 299) (i32.load (i32.const 104)))) (then (unreachable)))
      (call $write (i32.const 1) (i32.const 1024) (i32.const 1))
      (call $write (i32.const 1) (i32.load (i32.const 200)) (i32.sub (i32.load (i32.const 104)) (i32.const 1)))
      (call $write (i32.const 1) (i32.const 1024) (i32.const 1))`, { data: ['"'], extra });
    assert.deepEqual(await run(module), { success: true, data: "component" });
  });
});

describe("failures", () => {
  test("a trap fails with component_trap, the message and the stderr tail", async () => {
    const error = errorOf(await run(command(`(call $write (i32.const 2) (i32.const 1024) (i32.const 9)) (unreachable)`, { data: ["went bad\n"] })));
    assert.equal(error.code, "component_trap");
    assert.match(error.message, /unreachable/);
    assert.match(error.message, /went bad/);
  });

  test("a non-zero exit fails with component_trap naming the code", async () => {
    const error = errorOf(await run(command(`(call $proc_exit (i32.const 3))`)));
    assert.equal(error.code, "component_trap");
    assert.match(error.message, /exited with code 3/);
  });

  test("exit code 0 after writing output is a success", async () => {
    assert.deepEqual(await run(printing("7", "(call $proc_exit (i32.const 0)) (unreachable)")), { success: true, data: 7 });
  });

  test("growing memory past the module maximum is reported as memory_limit", async () => {
    const hog = command(`(if (i32.eq (memory.grow (i32.const 8)) (i32.const -1)) (then (unreachable)))`, { maxPages: 4 });
    const error = errorOf(await run(hog));
    assert.equal(error.code, "memory_limit");
  });

  test("a grow that fits is no memory_limit, even if the module traps later", async () => {
    const module = command(`(drop (memory.grow (i32.const 1))) (unreachable)`, { maxPages: 4 });
    assert.equal(errorOf(await run(module)).code, "component_trap");
  });
});

describe("endless work", () => {
  const spin = command(`(loop $l (br $l))`);

  test("loop {} stops with timeout, and the host keeps working", async () => {
    const error = errorOf(await run(spin, {}, { timeout_ms: 20 }));
    assert.equal(error.code, "timeout");
    assert.equal(error.retryable, false);
    // the same host, right after: other modules and the same module still run
    assert.deepEqual(await run(ECHO, { ok: 1 }), { success: true, data: { ok: 1 } });
    assert.equal(errorOf(await run(spin, {}, { timeout_ms: 5 })).code, "timeout");
  });

  test("the work budget is limits.cpu_ms (100 ms by default), never more than timeout_ms", async () => {
    const byDefault = errorOf(await run(spin, {}, { timeout_ms: 20000 }));
    assert.equal(byDefault.code, "timeout");
    assert.match(byDefault.message, /100 ms of work, limits\.cpu_ms/);
    assert.match(errorOf(await run(spin, {}, { timeout_ms: 20000, cpu_ms: 150 })).message, /150 ms of work/);
    assert.match(errorOf(await run(spin, {}, { timeout_ms: 30, cpu_ms: 150 })).message, /30 ms of work/);
  });

  test("exponential recursion without any loop also runs out of fuel", async () => {
    const extra = `(func $fib (param $n i32) (result i32)
      (if (result i32) (i32.lt_u (local.get $n) (i32.const 2)) (then (local.get $n))
        (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1))) (call $fib (i32.sub (local.get $n) (i32.const 2)))))))`;
    const error = errorOf(await run(command(`(drop (call $fib (i32.const 80)))`, { extra }), {}, { timeout_ms: 10 }));
    assert.equal(error.code, "timeout");
  });

  test("the fuel budget scales with timeout_ms and the fuel left is reported", () => {
    const result = runWasiCommand(spin, { stdin: new Uint8Array(), fuel: 1000n, maxStdoutBytes: 100 });
    assert.equal(result.stop.kind, "timeout");
    assert.equal(result.fuelLeft, 0n);
    assert.equal(fuelFor(2) * 5n, fuelFor(10));
    // ten turns of a loop cost ten units; straight-line code costs nothing
    const tenTurns = command(`(local $i i32)
      (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (i32.const 10))))
      (call $write (i32.const 1) (i32.const 1024) (i32.const 1))`, { data: ["1"] });
    const done = runWasiCommand(tenTurns, { stdin: new Uint8Array(), fuel: 1000n, maxStdoutBytes: 100 });
    assert.equal(done.stop.kind, "exit");
    assert.equal(done.fuelLeft, 990n);
  });
});

describe("refused before running", () => {
  const raw = (wat: string) => new WebAssembly.Module(binaryen.parseText(wat).emitBinary() as BufferSource);

  test("a module importing a socket call is refused with forbidden_import naming it", () => {
    const module = raw(`(module (import "wasi_snapshot_preview1" "sock_send" (func (param i32 i32 i32 i32 i32) (result i32)))
      (import "env" "fetch" (func)) (memory (export "memory") 1) (func (export "_start")))`);
    assert.throws(() => wasmComponent({ module, contract: contract() }), (error: Error & { code?: string }) => {
      assert.equal(error.code, "forbidden_import");
      assert.match(error.message, /wasi_snapshot_preview1\.sock_send/);
      assert.match(error.message, /env\.fetch/);
      return true;
    });
  });

  test("path_open and imported memories are forbidden too", () => {
    const module = raw(`(module (import "wasi_snapshot_preview1" "path_open" (func (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
      (import "env" "memory" (memory 1)) (func (export "_start")))`);
    assert.throws(() => wasmComponent({ module, contract: contract() }), /path_open/);
    assert.throws(() => wasmComponent({ module, contract: contract() }), /env\.memory \(memory\)/);
  });

  test("a module without fuel metering is refused with unmetered_module", () => {
    const module = raw(`(module (memory (export "memory") 1) (func (export "_start") (loop $l (br $l))))`);
    assert.throws(() => wasmComponent({ module, contract: contract() }), (error: Error & { code?: string }) => error.code === "unmetered_module");
  });

  test("parameters failing input_schema never reach the module", async () => {
    // this module would trap if it ran
    const module = command(`(unreachable)`);
    const schema = { type: "object", required: ["text"], properties: { text: { type: "string" }, n: { type: "integer" } } };
    const error = errorOf(await run(module, { n: 1.5 }, {}, { input_schema: schema }));
    assert.equal(error.code, "invalid_input");
    assert.match(error.message, /text: is required/);
    assert.match(error.message, /n: /);
    assert.deepEqual((error.details as { path: string }[]).map((d) => d.path), ["text", "n"]);
  });
});

describe("the memory a module imports (the build's), reused from call to call", () => {
  // prints "1" if the byte at $at is set, else "0"; then sets it and overwrites its own data
  const peek = (at: string, before = "") =>
    command(`${before}
      (call $write (i32.const 1) (i32.add (i32.const 1024) (i32.ne (i32.load8_u ${at}) (i32.const 0))) (i32.const 1))
      (i32.store8 ${at} (i32.const 65)) (i32.store16 (i32.const 1024) (i32.const 0x5858))`, { data: ["0", "1"], maxPages: 32 });

  test("a call sees none of what the call before left in memory, and the module's data afresh", async () => {
    const module = peek("(i32.const 2048)");
    assert.deepEqual(WebAssembly.Module.imports(module).filter((i) => i.kind === "memory"), [{ module: MEMORY_IMPORT.module, name: MEMORY_IMPORT.name, kind: "memory" }]);
    for (let call = 0; call < 3; call++) assert.deepEqual(await run(module), { success: true, data: 0 }, `call ${call + 1}`);
  });

  test("memory grown by a call is zeroed for the next too, small or large", async () => {
    for (const pages of [1, 20]) {
      const at = `(i32.const ${pages * 65536 + 8})`;
      const module = peek(at, `(if (i32.lt_u (memory.size) (i32.const ${pages + 1})) (then (drop (memory.grow (i32.const ${pages})))))`);
      for (let call = 0; call < 3; call++) assert.deepEqual(await run(module), { success: true, data: 0 }, `grown by ${pages}, call ${call + 1}`);
    }
  });

  test("after a trap the next call starts clean", async () => {
    const dirty = command(`(i32.store8 (i32.const 2048) (i32.const 65)) (unreachable)`, { maxPages: 32 });
    assert.equal(errorOf(await run(dirty)).code, "component_trap");
    const module = peek("(i32.const 2048)");
    assert.deepEqual(await run(module), { success: true, data: 0 });
  });

  test("a module with its own memory (built before memories were imported) still runs", async () => {
    const own = new WebAssembly.Module(binaryen.parseText(`(module ${IMPORTS} (memory (export "memory") 1 4) (data (i32.const 1024) "7") ${WRITE}
      (global (export "arcrun_fuel") (mut i64) (i64.const 0)) (global (export "arcrun_memory_refused") (mut i32) (i32.const 0))
      (func (export "_start") (call $write (i32.const 1) (i32.const 1024) (i32.const 1))))`).emitBinary() as BufferSource);
    assert.deepEqual(await run(own), { success: true, data: 7 });
  });

  test("a forged module importing the memory as shared fails its call cleanly, and the next module still runs", async () => {
    const forged = binaryen.parseText(`(module (import "${MEMORY_IMPORT.module}" "${MEMORY_IMPORT.name}" (memory 1 4 shared)) (export "memory" (memory 0))
      (global (export "arcrun_fuel") (mut i64) (i64.const 0)) (func (export "_start")))`);
    forged.setFeatures(binaryen.Features.MVP | binaryen.Features.MutableGlobals | binaryen.Features.Atomics);
    forged.addCustomSection(MEMORY_IMPORT.section, new Uint8Array([1, 0, 0, 0, 4, 0, 0, 0])); // limits that agree
    const shared = new WebAssembly.Module(forged.emitBinary() as BufferSource); // shared: not the memory the host hands out
    forged.dispose();
    assert.equal(errorOf(await run(shared)).code, "component_trap", "the host's memory does not link: the call fails, nothing runs");
    assert.deepEqual(await run(peek("(i32.const 2048)")), { success: true, data: 0 });
  });

  test("an imported memory without its limits section, or with limits its import contradicts, is refused", () => {
    const bare = new WebAssembly.Module(binaryen.parseText(`(module (import "${MEMORY_IMPORT.module}" "${MEMORY_IMPORT.name}" (memory 1 4)) (export "memory" (memory 0))
      (global (export "arcrun_fuel") (mut i64) (i64.const 0)) (func (export "_start")))`).emitBinary() as BufferSource);
    assert.throws(() => wasmComponent({ module: bare, contract: contract() }), (error: Error & { code?: string }) => {
      assert.equal(error.code, "invalid_module");
      assert.match(error.message, /no "arcrun\.memory" section/);
      return true;
    });
    const bytes = meterModule(binaryen.parseText(`(module (memory (export "memory") 1 4) (func (export "_start")))`).emitBinary(), { maxPages: 4 });
    const name = new TextEncoder().encode("arcrun.memory");
    const at = bytes.findIndex((_, i) => name.every((b, j) => bytes[i + j] === b)) + name.length;
    const forged = bytes.slice();
    forged[at] = 2; // the section now claims 2 initial pages; the import says 1
    assert.throws(() => checkModuleBytes(forged, "probe"), (error: Error & { code?: string }) => {
      assert.equal(error.code, "invalid_module");
      assert.match(error.message, /imports a memory of 1–4 pages but its "arcrun\.memory" section says 2–4/);
      return true;
    });
    assert.doesNotThrow(() => checkModuleBytes(bytes, "probe"), "the build's own output passes");
    const pooled = Buffer.alloc(bytes.length + 64);
    pooled.set(bytes, 32); // bytes as a view into a larger buffer, as a file read in Node may be
    assert.doesNotThrow(() => checkModuleBytes(pooled.subarray(32, 32 + bytes.length), "probe"));
  });
});

