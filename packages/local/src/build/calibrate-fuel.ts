// Measures how much fuel metered AssemblyScript burns per millisecond, for the FUEL_PER_MS
// constant in packages/core/src/wasi/fuel.ts. Usage: npx tsx packages/local/src/build/calibrate-fuel.ts
import { fileURLToPath } from "node:url";
import { compileAssemblyScript } from "./compile-as.mjs";
import { meterModule } from "./meter.mjs";
import { runWasiCommand } from "@arcrun/core/wasi/run";
import { FUEL_PER_MS } from "@arcrun/core/wasi/fuel";

const root = fileURLToPath(new URL("../../../..", import.meta.url));
const raw = await compileAssemblyScript({ entry: "packages/local/src/build/fixtures/workloads.ts", baseDir: root, maxPages: 256 });
const module = new WebAssembly.Module(meterModule(raw, { maxPages: 256 }));
const encoder = new TextEncoder();

const workloads = [
  { kind: "loop", n: 20_000_000 },
  { kind: "json", n: 20_000 },
  { kind: "recursion", n: 30 },
];
console.log(`FUEL_PER_MS now: ${FUEL_PER_MS}`);
for (const params of workloads) {
  const rates: number[] = [];
  for (let round = 0; round < 5; round++) {
    const fuel = 10n ** 15n;
    const started = performance.now();
    const result = runWasiCommand(module, { stdin: encoder.encode(JSON.stringify(params)), fuel, maxStdoutBytes: 1 << 20 });
    const ms = performance.now() - started;
    if (result.stop.kind !== "exit") throw new Error(`${params.kind}: ${JSON.stringify(result.stop)}`);
    rates.push(Number(fuel - result.fuelLeft) / ms);
  }
  rates.sort((a, b) => a - b);
  const fmt = (r: number) => `${Math.round(r / 1000)}k`;
  console.log(`${params.kind.padEnd(10)} fuel/ms over 5 runs: min ${fmt(rates[0])}, median ${fmt(rates[2])}, max ${fmt(rates[4])}`);
}
