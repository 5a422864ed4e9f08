/**
 * The bundler's WASM rule (packages/local/src/build/executor.mjs): every `.wasm` import, relative or
 * from a package, becomes an external `./name-<hash>.wasm` next to the bundle, and two files
 * with the same name never collide (every component build folder holds its own .wasm files).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleExecutor } from "@arcrun/local/build/executor.mjs";

const root = fileURLToPath(new URL("../../..", import.meta.url));
// the smallest valid module: magic + version
const EMPTY_WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

test("relative and package .wasm imports are copied beside the bundle under unique names", async () => {
  const dir = mkdtempSync(join(tmpdir(), "arcrun-bundle-test-"));
  try {
    mkdirSync(join(dir, "src/a"), { recursive: true });
    mkdirSync(join(dir, "src/b"));
    writeFileSync(join(dir, "src/a/mod.wasm"), EMPTY_WASM);
    writeFileSync(join(dir, "src/b/mod.wasm"), EMPTY_WASM);
    writeFileSync(
      join(dir, "src/entry.ts"),
      `import a from "./a/mod.wasm";\nimport b from "./b/mod.wasm";\nimport q from "@jitl/quickjs-wasmfile-release-sync/wasm";\nexport default { a, b, q };\n`,
    );
    const out = join(dir, "out");
    const result = await bundleExecutor({ root, outdir: out, esbuild: { entryPoints: [join(dir, "src/entry.ts")], sourcemap: false, nodePaths: [join(root, "node_modules")] } });
    const wasm = readdirSync(out).filter((f) => f.endsWith(".wasm")).sort();
    assert.equal(wasm.length, 3, wasm.join(", "));
    assert.equal(new Set(wasm).size, 3);
    assert.ok(wasm.filter((f) => /^mod-[0-9a-f]{8}\.wasm$/.test(f)).length === 2);
    const js = readFileSync(result.scriptPath, "utf8");
    for (const file of wasm) assert.match(js, new RegExp(`from "\\./${file.replace(".", "\\.")}"`), `${file} imported as an external module`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
