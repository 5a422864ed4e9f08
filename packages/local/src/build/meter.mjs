// Fuel metering, injected into a compiled component at build time with binaryen.
//
// Every loop header, and the entry of every function that can recurse, gets, inline:
//     if (arcrun_fuel == 0) unreachable;  arcrun_fuel -= 1
// Those are the only places an endless computation must keep passing (a wasm loop is the only
// backward branch; unbounded recursion goes around a call cycle), so a module always
// traps once its fuel is spent. `arcrun_fuel` is an exported mutable i64 the host sets before
// each call and reads after a trap (0 → timeout). The count of instrumented loops is checked
// against the module text, so a loop the walker missed fails the build instead of running
// unmetered.
//
// Every `memory.grow` also first records in the exported i32 `arcrun_memory_refused` whether
// the request exceeds the module's maximum, so the host can report `memory_limit`.
//
// Last, the module's memory becomes an import (sandbox.memoryImport, still exported as `memory`),
// its limits repeated in a custom section the host reads from the compiled module: the host then
// gives every call one memory it keeps per module, zeroed before each call, instead of a fresh
// one (allocating a wasm memory is most of a small call's cost: ~50 µs of ~100 in Node).
import binaryen from "binaryen";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const sandbox = JSON.parse(readFileSync(createRequire(import.meta.url).resolve("@arcrun/core/wasi/sandbox.json"), "utf8"));
export const FUEL_GLOBAL = sandbox.fuelGlobal;
export const MEMORY_FLAG_GLOBAL = sandbox.memoryFlagGlobal;
const MEMORY_IMPORT = sandbox.memoryImport;

// What AssemblyScript and clang emit by default; all of it runs in V8 (Node, workerd).
const FEATURES =
  binaryen.Features.MVP |
  binaryen.Features.MutableGlobals |
  binaryen.Features.SignExt |
  binaryen.Features.NontrappingFPToInt |
  binaryen.Features.BulkMemory |
  binaryen.Features.BulkMemoryOpt;

const GROW_CHECK = "arcrun_grow_check";

/**
 * Returns the metered module bytes. `maxPages` is the memory maximum the module must already
 * declare (set by the compiler flags); a module without one, or with a larger one, is refused.
 */
export function meterModule(bytes, { maxPages }) {
  const module = binaryen.readBinary(bytes);
  try {
    module.setFeatures(FEATURES);
    checkMemory(module, maxPages);
    for (const name of [FUEL_GLOBAL, MEMORY_FLAG_GLOBAL]) {
      if (module.getExport(name)) throw new Error(`the module already exports "${name}"`);
    }
    const text = module.emitText();
    const expected = { loops: countText(text, "(loop"), grows: countText(text, "(memory.grow") };

    module.addGlobal(FUEL_GLOBAL, binaryen.i64, true, module.i64.const(0n));
    module.addGlobalExport(FUEL_GLOBAL, FUEL_GLOBAL);
    module.addGlobal(MEMORY_FLAG_GLOBAL, binaryen.i32, true, module.i32.const(0));
    module.addGlobalExport(MEMORY_FLAG_GLOBAL, MEMORY_FLAG_GLOBAL);
    addGrowCheck(module, maxPages);

    const seen = instrument(module);
    if (seen.loops !== expected.loops || seen.grows !== expected.grows) {
      throw new Error(`metering reached ${seen.loops}/${expected.loops} loops and ${seen.grows}/${expected.grows} memory.grow; refusing to emit a partly metered module`);
    }
    importMemory(module);
    if (!module.validate()) throw new Error("the metered module does not validate");
    return module.emitBinary();
  } finally {
    module.dispose();
  }
}

function checkMemory(module, maxPages) {
  if (!module.hasMemory()) throw new Error("the module has no memory");
  const info = module.getMemoryInfo();
  if (info.module) throw new Error("the module imports its memory; components must define their own");
  if (!info.max || info.max > maxPages) throw new Error(`the memory maximum is ${info.max ?? "unset"} pages; it must be at most ${maxPages}`);
}

/** The defined memory becomes the import MEMORY_IMPORT with the same limits, written again in its custom section. */
function importMemory(module) {
  const exported = module.getExport("memory");
  const info = exported && binaryen.getExportInfo(exported);
  if (!info || info.kind !== binaryen.ExternalMemory) throw new Error('the module does not export its memory as "memory"');
  module.addMemoryImport(info.value, MEMORY_IMPORT.module, MEMORY_IMPORT.name);
  const { initial, max } = module.getMemoryInfo(info.value);
  const limits = new Uint8Array(8);
  new DataView(limits.buffer).setUint32(0, initial, true);
  new DataView(limits.buffer).setUint32(4, max, true);
  module.addCustomSection(MEMORY_IMPORT.section, limits);
}

/** `if (fuel == 0) unreachable; fuel -= 1` as fresh expressions (binaryen nodes are not shared). */
function meterCode(module) {
  const fuel = () => module.global.get(FUEL_GLOBAL, binaryen.i64);
  return [
    module.if(module.i64.eqz(fuel()), module.unreachable()),
    module.global.set(FUEL_GLOBAL, module.i64.sub(fuel(), module.i64.const(1n))),
  ];
}

/** refused = delta > max - size (unsigned; size <= max always holds); returns delta. */
function addGrowCheck(module, maxPages) {
  module.addFunction(GROW_CHECK, binaryen.i32, binaryen.i32, [], module.block(null, [
    module.global.set(MEMORY_FLAG_GLOBAL, module.i32.gt_u(
      module.local.get(0, binaryen.i32),
      module.i32.sub(module.i32.const(maxPages), module.memory.size()),
    )),
    module.local.get(0, binaryen.i32),
  ], binaryen.i32));
}

function instrument(module) {
  const seen = { loops: 0, grows: 0, entries: 0 };
  const callees = new Map(); // function → names it calls directly
  let current;
  const visit = (expr) => {
    if (!expr || LEAVES.has(binaryen.getExpressionId(expr))) return;
    const info = binaryen.getExpressionInfo(expr);
    for (const child of children(info)) visit(child);
    if (info.id === binaryen.LoopId) {
      binaryen.Loop.setBody(expr, module.block(null, [...meterCode(module), info.body], binaryen.getExpressionType(info.body)));
      seen.loops++;
    } else if (info.id === binaryen.MemoryGrowId) {
      binaryen.MemoryGrow.setDelta(expr, module.call(GROW_CHECK, [info.delta], binaryen.i32));
      seen.grows++;
    } else if (info.id === binaryen.CallId) {
      current.add(info.target);
    }
  };
  const functions = [];
  for (let i = 0; i < module.getNumFunctions(); i++) {
    const fn = module.getFunctionByIndex(i);
    const info = binaryen.getFunctionInfo(fn);
    if (info.module || info.name === GROW_CHECK) continue;
    functions.push({ fn, info });
    current = new Set();
    callees.set(info.name, current);
    visit(info.body);
  }
  // Only recursion can run unboundedly without passing a loop header: meter the entry of every
  // function on a cycle of direct calls, and of every function reachable by call_indirect
  // (a cycle through an indirect call enters one of those).
  const meterEntry = recursive(callees);
  for (let i = 0; i < module.getNumElementSegments(); i++) {
    for (const name of binaryen.getElementSegmentInfo(module.getElementSegmentByIndex(i)).data) meterEntry.add(name);
  }
  for (const { fn, info } of functions) {
    if (!meterEntry.has(info.name)) continue;
    binaryen.Function.setBody(fn, module.block(null, [...meterCode(module), info.body], binaryen.getExpressionType(info.body)));
    seen.entries++;
  }
  return seen;
}

/** Functions on a cycle of the call graph (Tarjan's strongly connected components). */
function recursive(callees) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const out = new Set();
  let counter = 0;
  const connect = (v) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of callees.get(v) ?? []) {
      if (!callees.has(w)) continue; // an import
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || callees.get(v).has(v)) for (const name of component) out.add(name);
  };
  for (const v of callees.keys()) if (!index.has(v)) connect(v);
  return out;
}

// Child expressions by field, for what AssemblyScript and clang emit (MVP, bulk memory, sign
// extension, non-trapping conversions). `value` of a Const and `offset` of a Load/Store are
// immediates, not children; getExpressionInfo throws on some leaves, so leaves are skipped by id.
const LEAVES = new Set([binaryen.NopId, binaryen.UnreachableId, binaryen.ConstId, binaryen.LocalGetId, binaryen.GlobalGetId, binaryen.MemorySizeId, binaryen.DataDropId]);
const EXPRESSION_FIELDS = ["condition", "ifTrue", "ifFalse", "body", "value", "ptr", "left", "right", "delta", "dest", "source", "size", "target"];
function children(info) {
  const out = [];
  for (const key of EXPRESSION_FIELDS) if (typeof info[key] === "number" && info[key]) out.push(info[key]);
  if (info.id === binaryen.MemoryInitId && info.offset) out.push(info.offset);
  for (const key of ["children", "operands"]) if (Array.isArray(info[key])) out.push(...info[key]);
  return out;
}

function countText(text, needle) {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) n++;
  return n;
}
