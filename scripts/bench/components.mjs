// `npm run bench` (components part): cold and warm cost of every standard component inside
// workerd, bundled into the Worker and through the Worker Loader (as published components run),
// with each module's size. The timing loops run inside workerd (bench/components-worker.ts, built
// with the executor's bundler so .wasm imports load as compiled modules); inputs are
// bench/component-inputs.json.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const COLD_BUNDLED = 20;
const WARM_BUNDLED = Number(process.env.BENCH_COMPONENT_CALLS ?? 300);
const COLD_LOADER = 3;
const WARM_LOADER = Math.ceil(WARM_BUNDLED / 3);

export async function benchComponents({ root, temp, Miniflare, bundleExecutor, compatibilityDate }) {
  const { scriptPath } = await bundleExecutor({
    root,
    outdir: join(temp, "components-bench"),
    esbuild: { entryPoints: [join(root, "bench/components-worker.ts")] },
  });
  const mf = new Miniflare({
    modules: true,
    modulesRoot: join(temp, "components-bench"),
    scriptPath,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate,
    cf: false,
    r2Buckets: { WASM_BUCKET: "wasm" },
    workerLoaders: { LOADER: {} },
  });
  try {
    const url = (await mf.ready).href;
    const inputs = JSON.parse(readFileSync(join(root, "bench/component-inputs.json"), "utf8"));
    const names = Object.keys(inputs).filter((n) => !n.startsWith("_"));
    const missing = readdirSync(join(root, "components")).filter((n) => existsSync(join(root, "components", n, "contract.yaml")) && !names.includes(n));
    if (missing.length) console.log(`  no input in bench/component-inputs.json for: ${missing.join(", ")} (not timed)`);
    const rows = [];
    console.log(`\ncomponents in workerd: cold = mean of ${COLD_BUNDLED} fresh components (bundled) / ${COLD_LOADER} fresh isolates (loader); warm = mean of ${WARM_BUNDLED} / ${WARM_LOADER} calls`);
    for (const name of names) {
      const wasmPath = join(root, "components", name, "build", `${name}.wasm`);
      if (!existsSync(wasmPath)) {
        console.log(`  ${name}: not built, skipped`);
        continue;
      }
      const bytes = readFileSync(wasmPath);
      const params = inputs[name];
      const bundled = await post(mf, url, "/bundled", { name, params, cold: COLD_BUNDLED, warm: WARM_BUNDLED });
      const loader = await post(mf, url, "/loader", { name, params, cold: COLD_LOADER, warm: WARM_LOADER, wasm: bytes.toString("base64") });
      rows.push({ name, bytes: bytes.length, bundled, loader });
    }
    printTable(rows);
    return rows;
  } finally {
    await mf.dispose();
  }
}

async function post(mf, url, path, job) {
  const res = await mf.dispatchFetch(new URL(path, url), { method: "POST", body: JSON.stringify(job) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${job.name} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

function printTable(rows) {
  const ms = (v) => v.toFixed(3);
  const header = ["component", "bytes", "bundled cold ms", "bundled warm ms", "loader cold ms", "loader warm ms"];
  const body = rows.map((r) => [r.name, String(r.bytes), ms(r.bundled.cold_ms), ms(r.bundled.warm_ms), ms(r.loader.cold_ms), ms(r.loader.warm_ms)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of body) console.log(line(row));
  const mean = (f) => rows.reduce((n, r) => n + f(r), 0) / rows.length;
  console.log(`  mean of ${rows.length}: bundled warm ${ms(mean((r) => r.bundled.warm_ms))} ms, loader warm ${ms(mean((r) => r.loader.warm_ms))} ms, loader cold ${ms(mean((r) => r.loader.cold_ms))} ms; largest module ${Math.max(...rows.map((r) => r.bytes))} bytes`);
}
