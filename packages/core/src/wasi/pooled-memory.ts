// The memory a component imports (the build turns its own memory into the import
// sandbox.memoryImport; meter.mjs): one per module and isolate, reused by every call and
// zeroed before each, so a call no longer allocates a WebAssembly memory — most of a small
// call's cost (Node: ~50 µs of ~100; with a reused memory instantiation takes ~4 µs). Nothing
// of one call is visible to the next: the whole memory is zeroed before the instance is made,
// and instantiation writes the module's data segments afresh. Calls never overlap (each is one
// synchronous instantiate-and-run), so one memory per module is enough. A memory that grew
// during a call is kept and zeroed at its new size while that is at most KEEP_BYTES (a module
// may start with more memory than its minimum: its allocator just finds room sooner; growing
// on every call would cost as much as a new memory); a larger one is dropped for a new one.
import sandbox from "./sandbox.json";

export const MEMORY_IMPORT: { module: string; name: string; section: string } = sandbox.memoryImport;
const PAGE_BYTES = 65536;
/** The largest memory kept for the next call (zeroing 1 MiB costs a few tens of µs). */
const KEEP_BYTES = 16 * PAGE_BYTES;

/** The pages a module that imports its memory declares in its custom section. */
export interface PooledMemoryLimits {
  initial: number;
  maximum: number;
}

/**
 * The limits written in the custom section (two u32, little-endian: initial and maximum pages),
 * or a reason they cannot be used: the section must be there exactly once, 8 bytes, initial ≤ maximum.
 */
export function readMemorySection(sections: ArrayBuffer[]): PooledMemoryLimits | string {
  if (sections.length !== 1) return sections.length === 0 ? `it has no "${MEMORY_IMPORT.section}" section with its memory's limits` : `it has ${sections.length} "${MEMORY_IMPORT.section}" sections`;
  if (sections[0].byteLength !== 8) return `its "${MEMORY_IMPORT.section}" section is ${sections[0].byteLength} bytes, not 8`;
  const view = new DataView(sections[0]);
  const limits = { initial: view.getUint32(0, true), maximum: view.getUint32(4, true) };
  if (limits.maximum < 1 || limits.initial > limits.maximum || limits.maximum > 65536) return `its "${MEMORY_IMPORT.section}" section holds impossible limits (${limits.initial}, ${limits.maximum})`;
  return limits;
}

/** Whether a compiled module imports its memory (then it runs on a pooled memory). */
function importsMemory(module: WebAssembly.Module): boolean {
  return WebAssembly.Module.imports(module).some((i) => i.kind === "memory");
}

interface Slot {
  limits: PooledMemoryLimits | undefined;
  memory?: WebAssembly.Memory;
}
const slots = new WeakMap<WebAssembly.Module, Slot>();

/**
 * The imports object entry for `module`'s memory, zeroed and ready for one call, or undefined
 * when the module defines its own memory. A module that imports memory but whose section is
 * unusable gets none either: instantiating it then fails, and the call reports that.
 */
export function pooledMemoryImports(module: WebAssembly.Module): Record<string, Record<string, WebAssembly.Memory>> | undefined {
  let slot = slots.get(module);
  if (!slot) {
    const limits = importsMemory(module) ? readMemorySection(WebAssembly.Module.customSections(module, MEMORY_IMPORT.section)) : undefined;
    slots.set(module, (slot = { limits: typeof limits === "object" ? limits : undefined }));
  }
  const { limits } = slot;
  if (!limits) return undefined;
  let memory = slot.memory;
  if (memory && memory.buffer.byteLength <= Math.max(KEEP_BYTES, limits.initial * PAGE_BYTES)) new Uint8Array(memory.buffer).fill(0);
  else memory = slot.memory = new WebAssembly.Memory({ initial: limits.initial, maximum: limits.maximum });
  return { [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: memory } };
}
