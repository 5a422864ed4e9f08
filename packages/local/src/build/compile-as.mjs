// Compiles one AssemblyScript component with the asc compiler API, in memory.
import asc from "assemblyscript/asc";

const SDK = "~lib/@arcrun/component-sdk/assembly/wasi";

/**
 * Returns the .wasm bytes of `entry` (a path relative to `baseDir`), or throws with the
 * compiler's diagnostics. `maxPages` caps linear memory (the contract's limits.memory_pages).
 * `libPaths` are extra folders holding packages, searched after node_modules (an installed CLI
 * ships the SDK in one: `<lib>/@arcrun/component-sdk/assembly`).
 */
export async function compileAssemblyScript({ entry, baseDir, maxPages, libPaths = [] }) {
  const outputs = {};
  const diagnostics = [];
  const stream = () => ({ write: (chunk) => diagnostics.push(String(chunk)) });
  const { error } = await asc.main([
    entry,
    "--outFile", "component.wasm",
    "--baseDir", baseDir,
    "-O3z", "--converge", "--noAssert",
    // incremental GC: a component that builds strings in a loop stays inside its memory cap
    "--runtime", "incremental",
    // a WASI command: _start runs the top-level code (the SDK's `run(...)`)
    "--exportStart", "_start",
    "--maximumMemory", String(maxPages),
    // route AssemblyScript's env imports to WASI through the SDK
    "--use", `abort=${SDK}/abort`,
    "--use", `trace=${SDK}/trace`,
    "--use", `seed=${SDK}/seed`,
    "--noColors",
    ...libPaths.flatMap((dir) => ["--path", dir]),
  ], {
    writeFile: (name, contents) => { outputs[name] = contents; },
    stdout: stream(),
    stderr: stream(),
  });
  if (error) throw new Error(`${error.message}\n${diagnostics.join("").trim()}`);
  const bytes = outputs["component.wasm"];
  if (!bytes) throw new Error("asc produced no output");
  return bytes;
}
