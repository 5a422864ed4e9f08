// Node module hooks that load Worker assets the way the executor's esbuild bundle does, so
// executor source runs in Node for the in-process tests: `.sql` as text, `.wasm` as a compiled
// WebAssembly.Module (Node, unlike a Worker, may compile bytes).
import { readFileSync } from "node:fs";

export async function load(url, context, nextLoad) {
  if (url.startsWith("file:") && url.endsWith(".sql")) {
    const text = readFileSync(new URL(url), "utf8");
    return { format: "module", source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
  }
  if (url.startsWith("file:") && url.endsWith(".wasm")) {
    const path = JSON.stringify(new URL(url).pathname);
    return {
      format: "module",
      source: `import { readFileSync } from "node:fs"; export default new WebAssembly.Module(readFileSync(${path}));`,
      shortCircuit: true,
    };
  }
  return nextLoad(url, context);
}
