// Checks from a module's bytes alone (no compilation: Workers refuse `WebAssembly.compile`) that
// the fuel metering the build injects (packages/local/src/build/meter.mjs) is really there, so a
// module cannot claim metering by merely exporting a global named `arcrun_fuel`.
//
// The meter puts this sequence ("the fuel check") at the head of every loop body and of every
// function that can recurse or be called through a table:
//     global.get $fuel  i64.eqz  if (empty)  unreachable  end
//     global.get $fuel  i64.const 1  i64.sub  global.set $fuel
// The verifier decodes every instruction of the code section and refuses a module unless
//   - `arcrun_fuel` is a global the module defines (mutable i64, initialised to 0) and no
//     instruction outside a fuel check writes it;
//   - every `loop` body starts with the fuel check (a wasm loop is the only backward branch);
//   - every function reachable through a table or `ref.func` starts with it;
//   - the functions without it call each other acyclically (no recursion escapes the fuel), and
//     no chain of them makes more than MAX_UNCHECKED_CALLS calls between two fuel checks (a
//     tree of calls without loops is finite but can be exponential).
// Instructions decoded: MVP, sign extension, non-trapping conversions, bulk memory and table
// ops (0xFC), multi-value block types, reference types, tail calls, exception handling, typed
// function references (call_ref, br_on_null), multi-memory memargs, SIMD and relaxed SIMD
// (0xFD), threads (0xFE). GC (0xFB) and anything unknown are refused: an instruction whose
// immediates are not known could hide a loop from the decoder.
import sandbox from "./sandbox.json";
import { ModuleFormatError, Reader } from "./wasm-reader";

/** Largest number of calls between two fuel checks a module may make (see above). */
export const MAX_UNCHECKED_CALLS = 100_000;

/** Why a module's metering cannot be trusted; `function` is an index in the module's function space (imports first). */
export interface MeteringProblem {
  reason: string;
  function?: number;
  /** byte offset in the module */
  offset?: number;
}

export interface MemoryLimits {
  min: number;
  /** absent when the module declares no maximum */
  max?: number;
  imported: boolean;
}

/** What the decoder learns from a module. */
export interface ModuleBody {
  memories: MemoryLimits[];
  /** undefined when the metering holds */
  metering?: MeteringProblem;
}

interface FunctionFacts {
  index: number;
  offset: number;
  checked: boolean;
  /** callee of every direct call site, repeated per site */
  calls: number[];
}

const FUEL = sandbox.fuelGlobal;
const I64 = 0x7e;

/** Decodes `bytes` (a module that readModuleInterface accepted) and checks its metering; throws ModuleFormatError when malformed. */
export function inspectModuleBody(bytes: Uint8Array): ModuleBody {
  const d = new Decoder(bytes);
  try {
    d.sections();
  } catch (error) {
    if (error instanceof Refusal) return { memories: d.memories, metering: error.problem };
    throw error;
  }
  return { memories: d.memories, metering: analyseCalls(d) };
}

/** Thrown inside the decoder to stop at the first problem. */
class Refusal {
  constructor(readonly problem: MeteringProblem) {}
}

class Decoder {
  memories: MemoryLimits[] = [];
  functions: FunctionFacts[] = [];
  /** functions named by element segments or `ref.func`: callable through a table or reference */
  referenced = new Set<number>();
  importedFunctions = 0;
  importedGlobals = 0;
  globals: { type: number; mutable: boolean; zero: boolean }[] = [];
  fuel = -1;
  private current?: FunctionFacts;

  constructor(readonly bytes: Uint8Array) {}

  sections(): void {
    const r = new Reader(this.bytes, 8);
    while (r.at < this.bytes.length) {
      const id = r.byte();
      const size = r.u32();
      const end = r.at + size;
      if (end > this.bytes.length) throw new ModuleFormatError(`section ${id} claims ${size} bytes but the file ends first`, r.at);
      const s = new Reader(this.bytes.subarray(0, end), r.at);
      if (id === 2) this.imports(s);
      else if (id === 4) this.tables(s);
      else if (id === 5) this.repeat(s, () => this.memories.push({ ...s.limits(), imported: false }));
      else if (id === 6) this.globalSection(s);
      else if (id === 7) this.exportSection(s);
      else if (id === 9) this.elements(s);
      else if (id === 10) this.code(s, end);
      r.at = end;
    }
    if (this.fuel < 0) throw new Refusal({ reason: `the module exports no "${FUEL}" global` });
  }

  private repeat(r: Reader, each: (i: number) => void): void {
    const count = r.u32();
    for (let i = 0; i < count; i++) each(i);
  }

  private imports(r: Reader): void {
    this.repeat(r, () => {
      r.name();
      r.name();
      const kind = r.byte();
      if (kind === 0) {
        r.u32();
        this.importedFunctions++;
      } else if (kind === 1) {
        r.refType();
        r.limits();
      } else if (kind === 2) {
        this.memories.push({ ...r.limits(), imported: true });
      } else if (kind === 3) {
        r.valType();
        r.byte();
        this.importedGlobals++;
      } else if (kind === 4) {
        r.byte();
        r.u32();
      } else throw new ModuleFormatError(`unknown import kind ${kind}`, r.at - 1);
    });
  }

  private tables(r: Reader): void {
    this.repeat(r, () => {
      if (r.bytes[r.at] === 0x40) {
        // table with an initialiser: 0x40 0x00 reftype limits expr
        r.byte();
        r.byte();
        r.refType();
        r.limits();
        this.expr(r);
      } else {
        r.refType();
        r.limits();
      }
    });
  }

  private globalSection(r: Reader): void {
    this.repeat(r, () => {
      const type = r.bytes[r.at];
      r.valType();
      const mutable = r.byte() === 1;
      const start = r.at;
      this.expr(r);
      const init = r.bytes.subarray(start, r.at);
      // exactly `i64.const 0 end`
      this.globals.push({ type, mutable, zero: init.length === 3 && init[0] === 0x42 && init[1] === 0 && init[2] === 0x0b });
    });
  }

  private exportSection(r: Reader): void {
    this.repeat(r, () => {
      const name = r.name();
      const kind = r.byte();
      const index = r.u32();
      if (kind === 3 && name === FUEL) this.fuel = index;
    });
    if (this.fuel < 0) return;
    const own = this.globals[this.fuel - this.importedGlobals];
    if (!own) throw new Refusal({ reason: `"${FUEL}" is an imported global; it must be defined by the module` });
    if (own.type !== I64 || !own.mutable || !own.zero) {
      throw new Refusal({ reason: `"${FUEL}" must be a mutable i64 global initialised to 0, as the build defines it` });
    }
  }

  private elements(r: Reader): void {
    this.repeat(r, () => {
      const flags = r.u32();
      if (flags > 7) throw new ModuleFormatError(`bad element segment flags ${flags}`, r.at - 1);
      if (flags === 2 || flags === 6) r.u32(); // table index
      if ((flags & 1) === 0) this.expr(r); // active: offset
      const expressions = (flags & 4) !== 0;
      if (flags & 3) {
        if (expressions) r.refType();
        else r.byte(); // elemkind
      }
      this.repeat(r, () => {
        if (expressions) this.expr(r);
        else this.referenced.add(r.u32());
      });
    });
  }

  /** A constant expression (global or segment initialiser), up to its `end`. */
  private expr(r: Reader): void {
    let depth = 1;
    while (depth > 0) depth += this.instruction(r);
  }

  private code(r: Reader, end: number): void {
    if (this.fuel < 0) throw new Refusal({ reason: `the module exports no "${FUEL}" global` });
    this.repeat(r, (i) => {
      const size = r.u32();
      const bodyEnd = r.at + size;
      if (bodyEnd > end) throw new ModuleFormatError(`function body of ${size} bytes runs past the code section`, r.at);
      const body = new Reader(this.bytes.subarray(0, bodyEnd), r.at);
      const facts: FunctionFacts = { index: this.importedFunctions + i, offset: r.at, checked: false, calls: [] };
      this.current = facts;
      this.repeat(body, () => {
        body.u32();
        body.valType();
      });
      facts.checked = this.fuelCheck(body);
      let depth = 1;
      while (depth > 0) depth += this.instruction(body);
      if (body.at !== bodyEnd) throw new ModuleFormatError("function body ends before its declared size", body.at);
      this.functions.push(facts);
      this.current = undefined;
      r.at = bodyEnd;
    });
  }

  /** Consumes the fuel check when it starts at `r.at`; leaves `r` unmoved otherwise. */
  private fuelCheck(r: Reader): boolean {
    const start = r.at;
    const b = r.bytes;
    const fuelIndex = () => safeU32(r) === this.fuel;
    const expect = (...bytes: number[]) => bytes.every((x) => r.at < b.length && b[r.at++] === x);
    const ok =
      expect(0x23) && fuelIndex() && expect(0x50, 0x04, 0x40, 0x00, 0x0b, 0x23) && fuelIndex() && expect(0x42, 0x01, 0x7d, 0x24) && fuelIndex();
    if (!ok) r.at = start;
    return ok;
  }

  private refuse(reason: string, offset: number): never {
    throw new Refusal({ reason, function: this.current?.index, offset });
  }

  /** Decodes one instruction; returns its effect on the block depth (+1 opens, -1 `end`). */
  private instruction(r: Reader): number {
    if (r.bytes[r.at] === 0x23 && this.current && this.fuelCheck(r)) return 0;
    const at = r.at;
    const op = r.byte();
    if ((op >= 0x45 && op <= 0xc4) || NO_IMMEDIATE.has(op)) return 0;
    switch (op) {
      case 0x02: // block
      case 0x04: // if
      case 0x06: // try
        blockType(r);
        return 1;
      case 0x03: // loop
        blockType(r);
        if (!this.fuelCheck(r)) this.refuse(`the loop at byte ${at} does not start with the fuel check`, at);
        return 1;
      case 0x1f: // try_table
        blockType(r);
        this.countOf(r, () => {
          const kind = r.byte();
          if (kind < 2) r.u32();
          r.u32();
        });
        return 1;
      case 0x0b: // end
        return -1;
      case 0x18: // delegate: ends a try
        r.u32();
        return -1;
      case 0x10: // call
      case 0x12: // return_call
        this.call(r.u32());
        return 0;
      case 0x11: // call_indirect
      case 0x13: // return_call_indirect
        r.u32();
        r.u32();
        return 0;
      case 0x0e: // br_table
        this.countOf(r, () => r.u32());
        r.u32();
        return 0;
      case 0x1c: // select t*
        this.countOf(r, () => r.valType());
        return 0;
      case 0x24: // global.set
        if (r.u32() === this.fuel && this.fuel >= 0) this.refuse(`an instruction at byte ${at} writes "${FUEL}" outside a fuel check`, at);
        return 0;
      case 0xd0: // ref.null heaptype
        r.skipLeb(5);
        return 0;
      case 0xd2: // ref.func
        this.referenced.add(r.u32());
        return 0;
      case 0x41:
        r.skipLeb(5);
        return 0;
      case 0x42:
        r.skipLeb(10);
        return 0;
      case 0x43:
        skip(r, 4);
        return 0;
      case 0x44:
        skip(r, 8);
        return 0;
      case 0xfc:
        this.prefixFC(r, at);
        return 0;
      case 0xfd:
        this.prefixFD(r, at);
        return 0;
      case 0xfe:
        this.prefixFE(r, at);
        return 0;
    }
    if (ONE_INDEX.has(op)) {
      r.u32();
      return 0;
    }
    if (op >= 0x28 && op <= 0x3e) {
      memarg(r);
      return 0;
    }
    return this.refuse(`instruction 0x${op.toString(16)} at byte ${at} is not one the metering check decodes${op === 0xfb ? " (GC instructions are not supported)" : ""}`, at);
  }

  private countOf(r: Reader, each: () => void): void {
    this.repeat(r, each);
  }

  private call(callee: number): void {
    if (callee >= this.importedFunctions) this.current?.calls.push(callee);
  }

  private prefixFC(r: Reader, at: number): void {
    const sub = r.u32();
    if (sub <= 7) return; // saturating truncations
    const indices = FC_INDICES[sub - 8];
    if (indices === undefined) this.refuse(`instruction 0xfc ${sub} at byte ${at} is not one the metering check decodes`, at);
    for (let i = 0; i < indices; i++) r.u32();
  }

  private prefixFD(r: Reader, at: number): void {
    const sub = r.u32();
    if (sub <= 0x0b || sub === 0x5c || sub === 0x5d) memarg(r);
    else if (sub === 0x0c || sub === 0x0d) skip(r, 16); // v128.const, i8x16.shuffle
    else if (sub >= 0x15 && sub <= 0x22) r.byte(); // extract/replace lane
    else if (sub >= 0x54 && sub <= 0x5b) {
      memarg(r); // load/store lane
      r.byte();
    } else if (sub > 0x113) this.refuse(`SIMD instruction 0xfd ${sub} at byte ${at} is not one the metering check decodes`, at);
  }

  private prefixFE(r: Reader, at: number): void {
    const sub = r.u32();
    if (sub === 0x03) r.byte(); // atomic.fence
    else if (sub <= 0x02 || (sub >= 0x10 && sub <= 0x4e)) memarg(r);
    else this.refuse(`atomic instruction 0xfe ${sub} at byte ${at} is not one the metering check decodes`, at);
  }
}

// unreachable nop else return throw_ref catch_all drop select ref.is_null ref.eq ref.as_non_null
const NO_IMMEDIATE = new Set([0x00, 0x01, 0x05, 0x0a, 0x0f, 0x19, 0x1a, 0x1b, 0xd1, 0xd3, 0xd4]);
// catch throw rethrow br br_if call_ref return_call_ref local.* global.get table.get/set memory.size/grow br_on_null br_on_non_null
const ONE_INDEX = new Set([0x07, 0x08, 0x09, 0x0c, 0x0d, 0x14, 0x15, 0x20, 0x21, 0x22, 0x23, 0x25, 0x26, 0x3f, 0x40, 0xd5, 0xd6]);
// 0xFC 8..17: memory.init data mem, data.drop, memory.copy mem mem, memory.fill mem, table.init elem table, elem.drop, table.copy, table.grow, table.size, table.fill
const FC_INDICES = [2, 1, 2, 1, 2, 1, 2, 1, 1, 1];

function blockType(r: Reader): void {
  const b = r.bytes[r.at];
  if (b === 0x40) r.byte();
  else if (b !== undefined && b < 0x80 && b > 0x40) r.valType();
  else r.skipLeb(5); // a type index (s33), multi-value
}

/** alignment (bit 6: a memory index follows), then the offset (u64 with memory64) */
function memarg(r: Reader): void {
  const align = r.u32();
  if (align & 0x40) r.u32();
  r.skipLeb(10);
}

function skip(r: Reader, n: number): void {
  for (let i = 0; i < n; i++) r.byte();
}

function safeU32(r: Reader): number {
  try {
    return r.u32();
  } catch {
    return -1;
  }
}

/**
 * The call-graph half of the check: functions reachable through a table start with the fuel
 * check; the others call each other without cycles and with a bounded number of calls.
 */
function analyseCalls(d: Decoder): MeteringProblem | undefined {
  const byIndex = new Map(d.functions.map((f) => [f.index, f]));
  for (const index of [...d.referenced].sort((a, b) => a - b)) {
    const f = byIndex.get(index);
    if (f && !f.checked) {
      return { reason: `function ${index} can be called through a table or reference but does not start with the fuel check`, function: index, offset: f.offset };
    }
  }
  // weight(f) of a function without the check: 1 + weights of the unchecked functions it calls,
  // per call site; a depth-first walk without recursion (a module may chain thousands of calls)
  const weight = new Map<number, number>();
  const onPath = new Set<number>();
  const unchecked = (index: number) => {
    const f = byIndex.get(index);
    return f && !f.checked ? f : undefined;
  };
  for (const root of d.functions) {
    if (root.checked || weight.has(root.index)) continue;
    const stack: { f: FunctionFacts; next: number }[] = [{ f: root, next: 0 }];
    onPath.add(root.index);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.f.calls.length) {
        const callee = unchecked(top.f.calls[top.next++]);
        if (!callee || weight.has(callee.index)) continue;
        if (onPath.has(callee.index)) {
          const cycle = [...stack.slice(stack.findIndex((s) => s.f.index === callee.index)).map((s) => s.f.index), callee.index];
          return { reason: `functions ${cycle.join(" → ")} call each other without the fuel check (unbounded recursion)`, function: callee.index, offset: callee.offset };
        }
        onPath.add(callee.index);
        stack.push({ f: callee, next: 0 });
        continue;
      }
      weight.set(top.f.index, callWeight(top.f, unchecked, weight));
      onPath.delete(top.f.index);
      stack.pop();
    }
  }
  for (const f of d.functions) {
    const w = f.checked ? callWeight(f, unchecked, weight) : weight.get(f.index)!;
    if (w > MAX_UNCHECKED_CALLS) {
      return { reason: `function ${f.index} can make more than ${MAX_UNCHECKED_CALLS} calls between two fuel checks`, function: f.index, offset: f.offset };
    }
  }
  return undefined;
}

function callWeight(f: FunctionFacts, unchecked: (i: number) => FunctionFacts | undefined, weight: Map<number, number>): number {
  let w = 1;
  for (const callee of f.calls) if (unchecked(callee)) w = Math.min(w + weight.get(callee)!, Number.MAX_SAFE_INTEGER);
  return w;
}
