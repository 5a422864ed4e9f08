// The byte-level module check used for modules published at run time (a Worker cannot compile
// them): its view of imports and exports must equal V8's on real components and on modules
// with every kind of import, and anything malformed or outside the sandbox must be refused.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import binaryen from "binaryen";
import { meterModule } from "@arcrun/local/build/meter.mjs";
import { ArcrunError } from "../errors";
import { checkModuleBytes, MAX_MODULE_BYTES } from "./allow-list";
import { ModuleFormatError, readModuleInterface } from "./module-interface";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
// the standard library's own components (built by `npm run build` / `npm install`)
const REAL = ["text_case", "base64", "validate_json", "c_reverse"];

function builtModule(name: string): Uint8Array {
  try {
    return readFileSync(`${root}components/${name}/build/${name}.wasm`);
  } catch {
    throw new Error(`components/${name}/build/${name}.wasm is missing: run \`npm run build\` first`);
  }
}

/** What V8 sees, in the parser's shape. */
function v8View(bytes: Uint8Array) {
  const module = new WebAssembly.Module(bytes as BufferSource); // never a SharedArrayBuffer here
  return {
    imports: WebAssembly.Module.imports(module).map(({ module, name, kind }) => ({ module, name, kind })),
    exports: WebAssembly.Module.exports(module).map(({ name, kind }) => ({ name, kind })),
  };
}

const wat = (text: string) => binaryen.parseText(text).emitBinary();

/** A metered WASI command whose only extra is `imports` (WAT import lines). */
function meteredCommand(imports: string): Uint8Array {
  return meterModule(
    wat(`(module ${imports}
      (memory (export "memory") 1 4)
      (func (export "_start") (loop $l (br $l))))`),
    { maxPages: 4 },
  );
}

function refusal(bytes: Uint8Array): ArcrunError {
  try {
    checkModuleBytes(bytes, "probe");
  } catch (error) {
    assert.ok(error instanceof ArcrunError, String(error));
    return error;
  }
  assert.fail("the module was accepted");
}

describe("readModuleInterface", () => {
  for (const name of REAL) {
    test(`${name}: same imports and exports as V8, and the sandbox accepts it`, () => {
      const bytes = builtModule(name);
      const parsed = readModuleInterface(bytes);
      assert.deepEqual(parsed, v8View(bytes));
      assert.ok(parsed.exports.some((e) => e.name === "arcrun_fuel" && e.kind === "global"));
      assert.deepEqual(checkModuleBytes(bytes, name), parsed);
    });
  }

  test("every import kind (function, table, memory with max, shared, global, i64 global) decodes like V8", () => {
    const bytes = wat(`(module
      (import "env" "f" (func (param i32) (result i64)))
      (import "env" "t" (table 2 10 funcref))
      (import "env" "m" (memory 1 2 shared))
      (import "env" "g" (global (mut i64)))
      (import "env" "h" (global f32))
      (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (func (export "run") (result i32) (i32.const 1))
      (global (export "c") i32 (i32.const 7)))`);
    // binaryen needs threads for shared memory; V8 accepts it too
    assert.deepEqual(readModuleInterface(bytes), v8View(bytes));
  });

  test("non-ASCII names decode as UTF-8", () => {
    const bytes = wat(String.raw`(module (import "m\c3\b6dule" "na\c3\afve\f0\9f\98\80" (func)) (func (export "\c3\a9")))`);
    assert.deepEqual(readModuleInterface(bytes), v8View(bytes));
    assert.equal(readModuleInterface(bytes).imports[0].name, "naïve😀");
  });

  test("a module with no import or export section has empty lists", () => {
    assert.deepEqual(readModuleInterface(wat("(module)")), { imports: [], exports: [] });
  });
});

/** Where each section of a well-formed module starts, and where its code section ends (test-side walker). */
function sectionLayout(bytes: Uint8Array): { codeEnd: number; boundaries: Set<number> } {
  const boundaries = new Set<number>([8]);
  let at = 8;
  let codeEnd = 0;
  while (at < bytes.length) {
    const id = bytes[at++];
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++];
      size += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) break;
    }
    at += size;
    boundaries.add(at);
    if (id === 10) codeEnd = at;
  }
  return { codeEnd, boundaries };
}

describe("malformed bytes are invalid_module, never a crash or a wrong answer", () => {
  const good = builtModule("text_case");

  test("wrong magic, empty file, text instead of wasm", () => {
    for (const bytes of [new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 0, 0, 0]), new Uint8Array(), new TextEncoder().encode("console.log('hi')")]) {
      assert.throws(() => readModuleInterface(bytes), ModuleFormatError);
      const error = refusal(bytes);
      assert.equal(error.code, "invalid_module");
      assert.equal(error.status, 422);
      assert.match(error.message, /\\0asm/);
    }
  });

  test("wrong version", () => {
    const bytes = Uint8Array.from(good);
    bytes[4] = 2;
    assert.throws(() => readModuleInterface(bytes), /version 2/);
  });

  test("cut off anywhere before the end of the code section: refused; inside a section: a format error", () => {
    const { codeEnd, boundaries } = sectionLayout(good);
    for (let cut = 0; cut < codeEnd; cut++) {
      const bytes = good.subarray(0, cut);
      assert.throws(() => checkModuleBytes(bytes, "probe"), ArcrunError, `cut at ${cut}`);
      if (boundaries.has(cut)) continue; // a prefix of whole sections can be a valid (useless) module
      assert.throws(() => new WebAssembly.Module(bytes as BufferSource), `V8 refuses a cut at ${cut} too`);
      assert.throws(() => readModuleInterface(bytes), ModuleFormatError, `cut at ${cut}`);
    }
  });

  test("sections out of order or repeated", () => {
    const header = [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
    const emptyExports = [7, 1, 0];
    const emptyImports = [2, 1, 0];
    assert.throws(() => readModuleInterface(Uint8Array.from([...header, ...emptyExports, ...emptyImports])), /out of order/);
    assert.throws(() => readModuleInterface(Uint8Array.from([...header, ...emptyExports, ...emptyExports])), /out of order or repeated/);
    assert.throws(() => readModuleInterface(Uint8Array.from([...header, 99, 0])), /unknown section id 99/);
  });

  test("a section that claims more bytes than the file has", () => {
    const bytes = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 2, 0x80, 0x80, 0x04, 0]);
    assert.throws(() => readModuleInterface(bytes), /claims 65536 bytes/);
  });

  test("an import section with bytes left over, a bad kind, bad UTF-8", () => {
    const header = [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
    // one import "a"."b" func type 0, then a stray byte inside the section
    assert.throws(() => readModuleInterface(Uint8Array.from([...header, 2, 8, 1, 1, 0x61, 1, 0x62, 0, 0, 0xff])), /left over/);
    assert.throws(() => readModuleInterface(Uint8Array.from([...header, 2, 6, 1, 1, 0x61, 1, 0x62, 9])), /unknown import\/export kind 0x9/);
    assert.throws(() => readModuleInterface(Uint8Array.from([...header, 2, 7, 1, 1, 0xc3, 1, 0x62, 0, 0])), /UTF-8/);
  });
});

describe("checkModuleBytes: the sandbox rules without compiling", () => {
  test("wasi_snapshot_preview1.sock_accept is a forbidden import, named", () => {
    const bytes = meteredCommand(`(import "wasi_snapshot_preview1" "sock_accept" (func (param i32 i32 i32) (result i32)))`);
    const error = refusal(bytes);
    assert.equal(error.code, "forbidden_import");
    assert.equal(error.status, 422);
    assert.match(error.message, /wasi_snapshot_preview1\.sock_accept/);
    assert.deepEqual((error.details as { imports: string[] }).imports, ["wasi_snapshot_preview1.sock_accept (function)"]);
  });

  test("env.fetch and an imported memory are forbidden", () => {
    const error = refusal(meteredCommand(`(import "env" "fetch" (func (param i32) (result i32)))`));
    assert.match(error.message, /env\.fetch \(function\)/);
    // the build's metering refuses imported memory, so this one carries a hand-written fuel global
    const memory = refusal(wat(`(module (import "env" "mem" (memory 1 4)) (global (export "arcrun_fuel") (mut i64) (i64.const 0)) (func (export "_start")))`));
    assert.equal(memory.code, "forbidden_import");
    assert.match(memory.message, /env\.mem \(memory\)/);
  });

  test("a module without the fuel global is unmetered_module", () => {
    const bytes = wat(`(module (memory (export "memory") 1 4) (func (export "_start") (loop $l (br $l))))`);
    const error = refusal(bytes);
    assert.equal(error.code, "unmetered_module");
    assert.equal(error.status, 422);
  });

  test("a metered module without _start is invalid_module", () => {
    const bytes = meterModule(wat(`(module (memory (export "memory") 1 4) (func (export "main") (loop $l (br $l))))`), { maxPages: 4 });
    assert.equal(refusal(bytes).code, "invalid_module");
  });

  test("a module over the size cap is module_too_large, before it is parsed", () => {
    const bytes = new Uint8Array(MAX_MODULE_BYTES + 1);
    const error = refusal(bytes);
    assert.equal(error.code, "module_too_large");
    assert.match(error.message, new RegExp(`${MAX_MODULE_BYTES + 1} bytes`));
  });

  test("an allowed metered command passes", () => {
    const bytes = meteredCommand(`(import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))`);
    assert.deepEqual(checkModuleBytes(bytes, "probe").imports, [
      { module: "arcrun", name: "memory", kind: "memory" }, // the build's: its memory, reused from call to call
      { module: "wasi_snapshot_preview1", name: "fd_write", kind: "function" },
    ]);
  });
});
