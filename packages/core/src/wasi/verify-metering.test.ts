// The metering and memory checks on a module's bytes (issue 10, items 1–3): every standard
// component passes; a module that only exports a global named `arcrun_fuel`, or leaves one loop,
// one recursion or one table entry without the fuel check, is refused with `unmetered_module`
// naming the function and byte; a memory maximum over the contract is `memory_over_cap`; an
// oversized module's error carries its byte count, never its bytes.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import binaryen from "binaryen";
import { parse as parseYaml } from "yaml";
import { meterModule } from "@arcrun/local/build/meter.mjs";
import { wasmComponent } from "../components/wasm-component";
import { ArcrunError } from "../errors";
import { checkModuleBytes, DEFAULT_MEMORY_PAGES, MAX_MODULE_BYTES } from "./allow-list";
import { readModuleInterface } from "./module-interface";
import { inspectModuleBody, MAX_UNCHECKED_CALLS } from "./verify-metering";

const root = fileURLToPath(new URL("../../../../", import.meta.url));

function refusal(bytes: Uint8Array, memoryPages?: number): ArcrunError {
  try {
    checkModuleBytes(bytes, "probe", { memoryPages });
  } catch (error) {
    assert.ok(error instanceof ArcrunError, String(error));
    return error;
  }
  assert.fail("the module was accepted");
}

// --- a hand assembler for exact bytes and offsets -------------------------------------------
const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
};
const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
const str = (s: string) => [...leb(s.length), ...new TextEncoder().encode(s)];
/** The fuel check the meter emits, on global 0. */
const CHECK = [0x23, 0, 0x50, 0x04, 0x40, 0x00, 0x0b, 0x23, 0, 0x42, 1, 0x7d, 0x24, 0];
const LOOP = [0x03, 0x40];
const END = 0x0b;

interface Shape {
  /** instruction bytes of each function, without locals and the final `end`; function 0 is `_start` */
  bodies: number[][];
  memory?: number[];
  fuelInit?: number[];
  /** function indices in a table */
  table?: number[];
}
/** Returns the module and the byte offset where each body's instructions start. */
function assemble({ bodies, memory = [0x01, 1, 4], fuelInit = [0x42, 0], table }: Shape): { bytes: Uint8Array; starts: number[] } {
  const head = [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
  const before = [
    ...section(1, vec([[0x60, 0, 0]])),
    ...section(3, vec(bodies.map(() => [0]))),
    ...(table ? section(4, vec([[0x70, 0x00, ...leb(table.length)]])) : []),
    ...section(5, vec([memory])),
    ...section(6, vec([[0x7e, 1, ...fuelInit, END]])),
    ...section(7, vec([[...str("memory"), 2, 0], [...str("arcrun_fuel"), 3, 0], [...str("_start"), 0, 0]])),
    ...(table ? section(9, vec([[0x00, 0x41, 0, END, ...vec(table.map((i) => leb(i)))]])) : []),
  ];
  const inner = bodies.map((b) => [0, ...b, END]); // no locals
  const encoded = inner.map((b) => [...leb(b.length), ...b]);
  const codeContent = vec(encoded);
  const codeHeader = [10, ...leb(codeContent.length)];
  const starts: number[] = [];
  let at = head.length + before.length + codeHeader.length + leb(bodies.length).length;
  for (const [i, b] of encoded.entries()) {
    starts.push(at + (b.length - inner[i].length) + 1);
    at += b.length;
  }
  const bytes = Uint8Array.from([...head, ...before, ...codeHeader, ...codeContent]);
  assert.ok(WebAssembly.validate(bytes), "the hand-assembled module is valid wasm");
  return { bytes, starts };
}

describe("verifyMetering: the standard library", () => {
  const names = readdirSync(`${root}components`).filter((n) => existsSync(`${root}components/${n}/contract.yaml`));
  test("there are standard components to check, all built", () => {
    assert.ok(names.length >= 20, names.join(","));
    for (const name of names) assert.ok(existsSync(`${root}components/${name}/build/${name}.wasm`), `${name} is built (npm run build)`);
  });
  for (const name of names) {
    test(`${name}: metering verified, memory maximum within its contract`, () => {
      const bytes = readFileSync(`${root}components/${name}/build/${name}.wasm`);
      const contract = parseYaml(readFileSync(`${root}components/${name}/contract.yaml`, "utf8"));
      const body = inspectModuleBody(bytes);
      assert.equal(body.metering, undefined, JSON.stringify(body.metering));
      checkModuleBytes(bytes, name, { memoryPages: contract.limits?.memory_pages });
    });
  }
});

describe("verifyMetering: forged and partial metering is unmetered_module", () => {
  test("a C module (clang, wasm32-wasi) exporting an `arcrun_fuel` global without instrumentation", () => {
    const bytes = readFileSync(fileURLToPath(new URL("./fixtures/forged-fuel.wasm", import.meta.url)));
    // the old check: an export named arcrun_fuel of kind global was all it looked for
    assert.ok(readModuleInterface(bytes).exports.some((e) => e.name === "arcrun_fuel" && e.kind === "global"));
    const error = refusal(bytes);
    assert.equal(error.code, "unmetered_module");
    assert.equal(error.status, 422);
    assert.match(error.message, /mutable i64 global initialised to 0/);
  });

  test("a correctly shaped fuel global but a bare endless loop: the function and the loop's byte are named", () => {
    const { bytes, starts } = assemble({ bodies: [[...LOOP, 0x0c, 0, END]] });
    const error = refusal(bytes);
    assert.equal(error.code, "unmetered_module");
    const details = error.details as { function: number; offset: number; reason: string; component: string };
    assert.equal(details.component, "probe");
    assert.equal(details.function, 0);
    assert.equal(details.offset, starts[0]);
    assert.match(error.message, new RegExp(`loop at byte ${starts[0]} does not start with the fuel check`));
  });

  test("two loops, the first with the fuel check and the second without: the second is named", () => {
    const checked = [...LOOP, ...CHECK, 0x0c, 0, END];
    const { bytes: both } = assemble({ bodies: [[...checked, ...checked]] });
    assert.equal(inspectModuleBody(both).metering, undefined, "the check written by hand is the meter's check");
    const { bytes, starts } = assemble({ bodies: [[...checked, ...LOOP, 0x0c, 0, END]] });
    const details = refusal(bytes).details as { function: number; offset: number };
    assert.equal(details.offset, starts[0] + checked.length);
  });

  test("a check that decrements by 2 (could step over 0), or a loop that refills the fuel, is refused", () => {
    const byTwo = CHECK.map((b, i) => (i === 10 ? 2 : b));
    assert.equal(refusal(assemble({ bodies: [[...LOOP, ...byTwo, 0x0c, 0, END]] }).bytes).code, "unmetered_module");
    const refill = [0x42, 0xc0, 0x84, 0x3d, 0x24, 0]; // global.set $fuel (i64.const 1000000)
    const error = refusal(assemble({ bodies: [[...LOOP, ...CHECK, ...refill, 0x0c, 0, END]] }).bytes);
    assert.match(error.message, /writes "arcrun_fuel" outside a fuel check/);
  });

  test("a fuel global that starts above 0 is refused (a start function would run before the host sets it)", () => {
    const error = refusal(assemble({ bodies: [[]], fuelInit: [0x42, 0xff, 0x00] }).bytes);
    assert.match(error.message, /initialised to 0/);
  });

  test("recursion without the fuel check at function entry: self and mutual", () => {
    const self = assemble({ bodies: [[0x10, 0]] });
    assert.match(refusal(self.bytes).message, /functions 0 → 0 call each other without the fuel check/);
    const mutual = assemble({ bodies: [[0x10, 1], [0x10, 0]] });
    assert.match(refusal(mutual.bytes).message, /functions 0 → 1 → 0/);
    assert.match(refusal(assemble({ bodies: [[0x12, 0]] }).bytes).message, /call each other/, "return_call too");
    assert.equal(inspectModuleBody(assemble({ bodies: [[...CHECK, 0x10, 1], [0x10, 0]] }).bytes).metering, undefined, "one checked entry on the cycle suffices");
  });

  test("a function in a table must start with the fuel check (call_indirect cycles go through it)", () => {
    const error = refusal(assemble({ bodies: [[...CHECK], []], table: [1] }).bytes);
    assert.equal((error.details as { function: number }).function, 1);
    assert.match(error.message, /through a table/);
    assert.equal(inspectModuleBody(assemble({ bodies: [[], [...CHECK]], table: [1] }).bytes).metering, undefined);
  });

  test(`a loop-free call tree of more than ${MAX_UNCHECKED_CALLS} calls between fuel checks is refused`, () => {
    // function i calls i+1 twice: 2^20 calls without a loop or a recursion
    const depth = 20;
    const bodies = Array.from({ length: depth }, (_, i) => (i + 1 < depth ? [0x10, i + 1, 0x10, i + 1] : []));
    assert.match(refusal(assemble({ bodies }).bytes).message, /more than 100000 calls between two fuel checks/);
    const shallow = Array.from({ length: 10 }, (_, i) => (i + 1 < 10 ? [0x10, i + 1, 0x10, i + 1] : []));
    assert.equal(inspectModuleBody(assemble({ bodies: shallow }).bytes).metering, undefined, "1023 calls pass");
  });

  test("the meter's own output passes: loops, recursion and a table", () => {
    const wat = `(module (memory (export "memory") 1 4)
      (table 1 funcref) (elem (i32.const 0) $g) (type $t (func (param i32) (result i32)))
      (func $f (param i32) (result i32) (if (result i32) (local.get 0) (then (call $f (i32.sub (local.get 0) (i32.const 1)))) (else (i32.const 0))))
      (func $g (param i32) (result i32) (call_indirect (type $t) (local.get 0) (i32.const 0)))
      (func (export "_start") (loop $l (br_if $l (call $f (i32.const 3)))) (drop (call $g (i32.const 1)))))`;
    const raw = binaryen.parseText(wat).emitBinary();
    assert.equal(refusal(raw).code, "unmetered_module", "unmetered: no fuel global");
    assert.equal(inspectModuleBody(meterModule(raw, { maxPages: 4 })).metering, undefined);
  });
});

describe("verifyMetering: instructions are decoded with their immediates", () => {
  test("immediates that look like a loop (v128.const, i8x16.shuffle, f64.const, memarg, br_table) are skipped, not misread", () => {
    const fake = [0x03, 0x40, 0x03, 0x40, 0x03, 0x40, 0x03, 0x40, 0x03, 0x40, 0x03, 0x40, 0x03, 0x40, 0x03, 0x40];
    const body = [
      0xfd, 0x0c, ...fake, // v128.const
      0xfd, 0x0c, ...fake.map(() => 0), 0xfd, 0x0d, ...fake.map((_, i) => i), // shuffle (lanes < 32)
      0xfd, 0x15, 3, 0x1a, // i8x16.extract_lane_s 3, drop
      0x44, 0x03, 0x40, 0x03, 0x40, 0x03, 0x40, 0x03, 0x40, 0x1a, // f64.const, drop
      0x41, 0, 0x28, 0x02, 0x83, 0x80, 0x01, 0x1a, // i32.load offset=16387 (bytes 0x83 0x80 0x01), drop
      0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 0x0b, 0, // memory.fill
      0x41, 0, 0xc0, 0x1a, // i32.extend8_s, drop
      0xd0, 0x70, 0xd1, 0x1a, // ref.null func, ref.is_null, drop
    ];
    const loopBody = [0x02, 0x40, 0x41, 0, 0x0e, 1, 0, 0, END, END]; // { block { br_table 0 0 } }
    const { bytes } = assemble({ bodies: [[...body, ...LOOP, ...CHECK, ...loopBody]] });
    assert.equal(inspectModuleBody(bytes).metering, undefined);
    // and the same without the one real loop's check is refused at that loop
    const bare = assemble({ bodies: [[...body, ...LOOP, ...loopBody]] });
    assert.match(refusal(bare.bytes).message, new RegExp(`loop at byte ${bare.starts[0] + body.length} `));
  });

  test("multi-value block types (a type index) and typed select decode", () => {
    // type 0 is () -> (); a loop typed by index 0, then select (result i32)
    const { bytes } = assemble({ bodies: [[0x03, 0x00, ...CHECK, END, 0x41, 1, 0x41, 2, 0x41, 0, 0x1c, 1, 0x7f, 0x1a]] });
    assert.equal(inspectModuleBody(bytes).metering, undefined);
  });

  test("an instruction the decoder does not know (GC, 0xFB) is refused with its byte, not skipped", () => {
    const bytes = Uint8Array.from(assemble({ bodies: [[0x01, 0x01]] }).bytes);
    const { starts } = assemble({ bodies: [[0x01, 0x01]] });
    bytes[starts[0] + 1] = 0xfb; // nop → an 0xFB prefix (not valid wasm here, but never compiled)
    const error = refusal(bytes);
    assert.equal(error.code, "unmetered_module");
    assert.match(error.message, new RegExp(`instruction 0xfb at byte ${starts[0] + 1} is not one the metering check decodes \\(GC`));
  });
});

describe("memory maximum held to the contract (memory_over_cap)", () => {
  const withMemory = (memory: number[]) => assemble({ bodies: [[]], memory }).bytes;
  test("a maximum of 16,386 pages against a contract of 32 is refused with both figures", () => {
    const error = refusal(withMemory([0x01, 1, ...leb(16386)]), 32);
    assert.equal(error.code, "memory_over_cap");
    assert.equal(error.status, 422);
    assert.deepEqual(error.details, { component: "probe", max_pages: 16386, cap_pages: 32 });
    assert.match(error.message, /maximum of 16386 pages; its contract allows 32 pages/);
  });
  test("no maximum at all is refused; the default cap applies when the contract sets none", () => {
    const error = refusal(withMemory([0x00, 1]));
    assert.equal(error.code, "memory_over_cap");
    assert.deepEqual(error.details, { component: "probe", max_pages: null, cap_pages: DEFAULT_MEMORY_PAGES });
    assert.equal(refusal(withMemory([0x01, 1, ...leb(DEFAULT_MEMORY_PAGES + 1)])).code, "memory_over_cap");
    checkModuleBytes(withMemory([0x01, 1, ...leb(DEFAULT_MEMORY_PAGES)]), "probe");
    checkModuleBytes(withMemory([0x01, 1, 32]), "probe", { memoryPages: 32 });
  });
  test("the Node host (wasmComponent with the bytes) refuses it before instantiating", () => {
    const bytes = withMemory([0x01, 1, ...leb(16386)]);
    const contract = { name: "probe", version: "1.0.0", description: "x", input_schema: { type: "object" }, limits: { memory_pages: 32 } };
    assert.throws(
      () => wasmComponent({ module: new WebAssembly.Module(bytes as BufferSource), contract: contract as never, wasm: bytes }),
      (error: ArcrunError) => error.code === "memory_over_cap",
    );
  });
});

describe("module_too_large does not echo the module", () => {
  test("details carry the byte count and the cap; the body is small", () => {
    const bytes = new Uint8Array(MAX_MODULE_BYTES + 1);
    bytes.set([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    const error = refusal(bytes);
    assert.equal(error.code, "module_too_large");
    assert.deepEqual(error.details, { component: "probe", bytes: MAX_MODULE_BYTES + 1, limit: MAX_MODULE_BYTES });
    assert.ok(JSON.stringify(error.toBody()).length < 1000, JSON.stringify(error.toBody()).slice(0, 200));
  });
});
