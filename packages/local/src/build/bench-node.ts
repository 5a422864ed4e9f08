// Cold and warm cost of every built component in Node, through the same host the executor uses.
// Usage: npx tsx packages/local/src/build/bench-node.ts [name...]
//   compile   new WebAssembly.Module(bytes) (done once per process; the Worker bundle does it at deploy)
//   first     the first call: instantiate + run + output parsing
//   instance  new WebAssembly.Instance alone (what every call pays before running)
//   warm      component.run averaged over every feature scenario, repeated
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { wasmComponent } from "@arcrun/core/components/wasm-component";
import { parseFeature } from "@arcrun/core/features/parse";
import { runScenario } from "@arcrun/core/features/run";
import { Preview1 } from "@arcrun/core/wasi/preview1";
import { findComponentFolders, readContract } from "./load";

const root = fileURLToPath(new URL("../../../..", import.meta.url));
const only = process.argv.slice(2);
const rows: string[][] = [["component", "bytes", "compile", "first", "instance", "warm/call"]];
const ms = (x: number) => `${x.toFixed(3)} ms`;

for (const folder of findComponentFolders(join(root, "components"))) {
  if (only.length > 0 && !only.includes(folder.name)) continue;
  const bytes = readFileSync(folder.wasmPath);
  const contract = readContract(folder.contractPath, root);
  let t = performance.now();
  const module = new WebAssembly.Module(bytes);
  const compile = performance.now() - t;
  const component = wasmComponent({ module, contract });
  const scenarios = folder.featurePaths.flatMap((path) => parseFeature({ uri: path, text: readFileSync(path, "utf8") }));
  t = performance.now();
  await runScenario(component, scenarios[0]);
  const first = performance.now() - t;

  const N = 300;
  t = performance.now();
  for (let i = 0; i < N; i++) new WebAssembly.Instance(module, new Preview1({ stdin: new Uint8Array(), maxStdoutBytes: 1, maxStderrBytes: 1 }).imports());
  const instance = (performance.now() - t) / N;

  const rounds = Math.max(1, Math.ceil(300 / scenarios.length));
  for (const s of scenarios) await runScenario(component, s); // warm-up
  t = performance.now();
  for (let r = 0; r < rounds; r++) for (const s of scenarios) await runScenario(component, s);
  const warm = (performance.now() - t) / (rounds * scenarios.length);
  rows.push([folder.name, String(bytes.length), ms(compile), ms(first), ms(instance), ms(warm)]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join("  "));
