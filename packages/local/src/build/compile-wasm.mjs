// Modules from any WASI toolchain: a prebuilt `module.wasm` in the component folder, or the
// output of the contract's `build: {command, output}` (cargo, clang, TinyGo, ...). The bytes are
// then metered like the AssemblyScript and C paths; first their memory maximum is set from the
// contract, since such toolchains declare none (Rust) or their own.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Runs the contract's build command in `dir` and returns the bytes it wrote to `output`. */
export function runBuildCommand({ dir, command, output, env = process.env }) {
  const r = spawnSync("sh", ["-c", command], { cwd: dir, env, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`build command could not start: ${r.error.message}`);
  if (r.status !== 0) {
    const tail = (r.stderr || r.stdout || "").trim().split("\n").slice(-15).join("\n");
    throw new Error(`build command \`${command}\` exited with ${r.status}${r.status === 127 ? " (command not found: is the toolchain installed?)" : ""}:\n${tail}`);
  }
  const file = join(dir, output);
  if (!existsSync(file)) throw new Error(`build command \`${command}\` succeeded but wrote no ${output}`);
  return readFileSync(file);
}

/**
 * Rewrites the memory section so the one memory declares `maxPages` as its maximum (WebAssembly
 * refuses any growth past it). Refuses shared or 64-bit memories, imported memory, and an initial
 * size already above the cap.
 */
export function setMemoryMaximum(bytes, maxPages) {
  const wasm = new Uint8Array(bytes);
  if (wasm.length < 8 || wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) throw new Error("not a WebAssembly module");
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, sizeLen] = leb(wasm, at + 1);
    const start = at + 1 + sizeLen;
    if (id === 5) {
      let p = start;
      const [count, countLen] = leb(wasm, p);
      p += countLen;
      if (count !== 1) throw new Error(`the module defines ${count} memories; a component has exactly one`);
      const flags = wasm[p++];
      if (flags & ~1) throw new Error("the module's memory is shared or 64-bit; components use one plain 32-bit memory");
      const [initial, initialLen] = leb(wasm, p);
      p += initialLen;
      if (flags & 1) p += leb(wasm, p)[1];
      if (initial > maxPages) throw new Error(`the module starts with ${initial} pages of memory; the contract's limits.memory_pages is ${maxPages}`);
      const body = [...uleb(1), 1, ...uleb(initial), ...uleb(maxPages)]; // count, flags = 1 (has a maximum), min, max
      const section = [5, ...uleb(body.length), ...body];
      return Buffer.concat([wasm.subarray(0, at), Uint8Array.from(section), wasm.subarray(start + size)]);
    }
    at = start + size;
  }
  throw new Error("the module defines no memory (a WASI command exports one as \"memory\")");
}

function leb(bytes, at) {
  let result = 0;
  let shift = 0;
  let n = 0;
  for (;;) {
    const b = bytes[at + n++];
    if (b === undefined) throw new Error("the module is cut short");
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return [result, n];
  }
}

function uleb(value) {
  const out = [];
  do {
    let b = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) b |= 0x80;
    out.push(b);
  } while (value);
  return out;
}
