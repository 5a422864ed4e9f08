// Reads a WebAssembly binary's imports and exports straight from its bytes. Workers refuse
// `WebAssembly.compile` of bytes, so a module uploaded at run time is checked against the
// sandbox with this parser, never compiled by the host itself (it runs through the Worker
// Loader). Only the header and the import and export sections are decoded; every other
// section is skipped by its declared size, after checking the sections come in the order the
// spec requires and that the code section holds a body for every declared function (which
// also catches a file cut off between sections).

import { ModuleFormatError, Reader, type ExternKind } from "./wasm-reader";

export { ModuleFormatError, type ExternKind };

export interface ModuleInterface {
  imports: { module: string; name: string; kind: ExternKind }[];
  exports: { name: string; kind: ExternKind }[];
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d]; // "\0asm"
const VERSION = [0x01, 0x00, 0x00, 0x00];
const IMPORT_SECTION = 2;
const EXPORT_SECTION = 7;
const FUNCTION_SECTION = 3;
const CODE_SECTION = 10;
/** Position of each known section id in the order a module must list them (custom sections, id 0, go anywhere). */
const SECTION_ORDER = new Map([1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11].map((id, i) => [id, i]));

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

/**
 * The payloads of the custom sections called `name`, as WebAssembly.Module.customSections gives
 * them for a compiled module. Call it on bytes readModuleInterface accepted.
 */
export function customSections(bytes: Uint8Array, name: string): ArrayBuffer[] {
  const found: ArrayBuffer[] = [];
  const r = new Reader(bytes, 8);
  while (r.at < bytes.length) {
    const id = r.byte();
    const end = r.u32() + r.at;
    if (id === 0) {
      const section = new Reader(bytes.subarray(0, end), r.at);
      // a copy: `bytes` may be a view into a larger buffer (a Node Buffer)
      if (section.name() === name) found.push(new Uint8Array(bytes.subarray(section.at, end)).buffer);
    }
    r.at = end;
  }
  return found;
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
