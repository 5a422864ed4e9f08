// Reads a WebAssembly binary's imports and exports straight from its bytes. Workers refuse
// `WebAssembly.compile` of bytes, so a module uploaded at run time is checked against the
// sandbox with this parser, never compiled by the host itself (it runs through the Worker
// Loader). Only the header and the import and export sections are decoded; every other
// section is skipped by its declared size, after checking the sections come in the order the
// spec requires and that the code section holds a body for every declared function (which
// also catches a file cut off between sections).

/** Same kind names as `WebAssembly.Module.imports()` / `exports()`. */
export type ExternKind = "function" | "table" | "memory" | "global" | "tag";

export interface ModuleInterface {
  imports: { module: string; name: string; kind: ExternKind }[];
  exports: { name: string; kind: ExternKind }[];
}

/** A binary that is not a well-formed WebAssembly module; `offset` is where decoding stopped. */
export class ModuleFormatError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = "ModuleFormatError";
  }
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d]; // "\0asm"
const VERSION = [0x01, 0x00, 0x00, 0x00];
const IMPORT_SECTION = 2;
const EXPORT_SECTION = 7;
const FUNCTION_SECTION = 3;
const CODE_SECTION = 10;
const KINDS: ExternKind[] = ["function", "table", "memory", "global", "tag"];
/** Position of each known section id in the order a module must list them (custom sections, id 0, go anywhere). */
const SECTION_ORDER = new Map([1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11].map((id, i) => [id, i]));
// ignoreBOM: a leading U+FEFF is part of the name, as V8 reads it
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Parses the imports and exports of `bytes`, or throws ModuleFormatError. */
export function readModuleInterface(bytes: Uint8Array): ModuleInterface {
  const r = new Reader(bytes);
  if (bytes.length < 8 || !MAGIC.every((b, i) => bytes[i] === b)) {
    throw new ModuleFormatError('not a WebAssembly module: it must start with "\\0asm"', 0);
  }
  if (!VERSION.every((b, i) => bytes[4 + i] === b)) {
    throw new ModuleFormatError(`unsupported WebAssembly binary version ${bytes[4]} (only version 1 modules run here)`, 4);
  }
  r.at = 8;
  const result: ModuleInterface = { imports: [], exports: [] };
  let lastOrder = -1;
  let functions = 0;
  let bodies = 0;
  while (r.at < bytes.length) {
    const start = r.at;
    const id = r.byte();
    const size = r.u32();
    const end = r.at + size;
    if (end > bytes.length) throw new ModuleFormatError(`section ${id} claims ${size} bytes but the file ends first`, r.at);
    if (id !== 0) {
      const order = SECTION_ORDER.get(id);
      if (order === undefined) throw new ModuleFormatError(`unknown section id ${id}`, start);
      if (order <= lastOrder) throw new ModuleFormatError(`section ${id} is out of order or repeated`, start);
      lastOrder = order;
    }
    const section = new Reader(bytes.subarray(0, end), r.at);
    if (id === IMPORT_SECTION) result.imports = readImports(section);
    else if (id === EXPORT_SECTION) result.exports = readExports(section);
    else if (id === FUNCTION_SECTION) functions = section.u32();
    else if (id === CODE_SECTION) bodies = section.u32();
    if ((id === IMPORT_SECTION || id === EXPORT_SECTION) && section.at !== end) {
      throw new ModuleFormatError(`section ${id} has ${end - section.at} bytes left over`, section.at);
    }
    r.at = end;
  }
  if (functions !== bodies) {
    throw new ModuleFormatError(`${functions} functions are declared but the code section has ${bodies} bodies (is the file cut short?)`, bytes.length);
  }
  return result;
}

function readImports(r: Reader): ModuleInterface["imports"] {
  const count = r.u32();
  const imports: ModuleInterface["imports"] = [];
  for (let i = 0; i < count; i++) {
    const module = r.name();
    const name = r.name();
    const kind = r.kind();
    switch (kind) {
      case "function":
        r.u32(); // type index
        break;
      case "table":
        r.refType();
        r.limits();
        break;
      case "memory":
        r.limits();
        break;
      case "global":
        r.valType();
        r.byte(); // mutability
        break;
      case "tag":
        r.byte(); // attribute
        r.u32(); // type index
        break;
    }
    imports.push({ module, name, kind });
  }
  return imports;
}

function readExports(r: Reader): ModuleInterface["exports"] {
  const count = r.u32();
  const exports: ModuleInterface["exports"] = [];
  for (let i = 0; i < count; i++) {
    const name = r.name();
    const kind = r.kind();
    r.u32(); // index
    exports.push({ name, kind });
  }
  return exports;
}

/** A cursor over the bytes; every read checks the end, so truncation is an error, never a wrong value. */
class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    public at = 0,
  ) {}

  byte(): number {
    if (this.at >= this.bytes.length) throw new ModuleFormatError("unexpected end of module", this.at);
    return this.bytes[this.at++];
  }

  /** unsigned LEB128, at most 32 bits */
  u32(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (result > 0xffffffff) throw new ModuleFormatError("integer too large", this.at - 1);
        return result;
      }
    }
    throw new ModuleFormatError("integer representation too long", this.at);
  }

  /** skips a LEB128 of up to `maxBytes` bytes (u64 limits, s33 heap types) */
  skipLeb(maxBytes: number): void {
    for (let i = 0; i < maxBytes; i++) if ((this.byte() & 0x80) === 0) return;
    throw new ModuleFormatError("integer representation too long", this.at);
  }

  name(): string {
    const length = this.u32();
    if (this.at + length > this.bytes.length) throw new ModuleFormatError(`name of ${length} bytes runs past the end`, this.at);
    const start = this.at;
    this.at += length;
    try {
      return utf8.decode(this.bytes.subarray(start, this.at));
    } catch {
      throw new ModuleFormatError("name is not valid UTF-8", start);
    }
  }

  kind(): ExternKind {
    const at = this.at;
    const kind = KINDS[this.byte()];
    if (!kind) throw new ModuleFormatError(`unknown import/export kind 0x${this.bytes[at].toString(16)}`, at);
    return kind;
  }

  /** limits: flags (bit 0 = has max, bit 2 = 64-bit), then min [, max] */
  limits(): void {
    const at = this.at;
    const flags = this.byte();
    if (flags > 0x07) throw new ModuleFormatError(`bad limits flags 0x${flags.toString(16)}`, at);
    const width = flags & 0x04 ? 10 : 5;
    this.skipLeb(width);
    if (flags & 0x01) this.skipLeb(width);
  }

  /** reference type: a one-byte shorthand (funcref 0x70, externref 0x6f, ...) or (ref null? ht) */
  refType(): void {
    const b = this.byte();
    if (b === 0x63 || b === 0x64) this.skipLeb(5); // heap type, s33
  }

  /** value type: numeric and vector types are one byte; reference types as above */
  valType(): void {
    const at = this.at;
    const b = this.byte();
    if (b === 0x63 || b === 0x64) {
      this.skipLeb(5);
      return;
    }
    if (b < 0x69 || b > 0x7f) throw new ModuleFormatError(`unknown value type 0x${b.toString(16)}`, at);
  }
}
