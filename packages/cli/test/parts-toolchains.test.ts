/**
 * Components from other WASI toolchains through `acr parts build → test → publish → run`, against
 * a real executor in workerd (Worker Loader, R2): the Rust proof component
 * (examples/components/rust_wordcount, cargo with Debian's rustc and std only, 140+ KB: over the
 * 50 KB standard-library budget, within the published cap) and a raw clang module dropped in as
 * module.wasm. Both toolchains are installed by .ci/run; without one, only its test is skipped.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { startExecutor, TEST_API_KEY, type TestExecutor } from "@arcrun/local/host/test-executor";
import { checkModuleBytes, STANDARD_LIBRARY_MODULE_BYTES, MAX_MODULE_BYTES } from "@arcrun/core/wasi/allow-list";
import { findClang } from "@arcrun/local/build/compile-c.mjs";
import { EXIT } from "../src/exit";
import { acr } from "./helpers";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "acr-toolchains-"));

/**
 * Debian's cargo and rustc (apt: rustc cargo libstd-rust-dev-wasm32), explicitly: a rustup
 * toolchain earlier on PATH may lack the wasm target. Returns the PATH to build with, or why not.
 */
function rustToolchain(): { path: string } | { missing: string } {
  const sysroot = spawnSync("/usr/bin/rustc", ["--print", "sysroot"], { encoding: "utf8" });
  if (sysroot.status !== 0 || !existsSync("/usr/bin/cargo")) return { missing: "/usr/bin/rustc and /usr/bin/cargo are not installed" };
  if (!existsSync(join(sysroot.stdout.trim(), "lib/rustlib/wasm32-wasi/lib"))) return { missing: "libstd-rust-dev-wasm32 is not installed" };
  return { path: `/usr/bin:/bin:${process.env.PATH ?? ""}` };
}

const rust = rustToolchain();
const clangFlags = findClang();
const hasClang = clangFlags !== null;

let ex: TestExecutor;
before(async () => {
  ex = await startExecutor();
});
after(async () => {
  await ex?.stop();
  rmSync(work, { recursive: true, force: true });
});

const inProject = (cwd: string, argv: string[], env: Record<string, string> = {}) =>
  acr(argv, { cwd, env: { ARCRUN_URL: ex.url, ARCRUN_API_KEY: TEST_API_KEY, NO_COLOR: "1", ...env } });

const workflow = (name: string, component: string, params: string) =>
  `name: ${name}\nflow: ["input >> ON_SUCCESS >> n"]\nconfig:\n  n:\n    component: ${component}\n${params}`;

describe("components from other WASI toolchains", { timeout: 300_000 }, () => {
  test("Rust (cargo, std only): build → test → publish → run, over the standard-library budget", { skip: "missing" in rust ? rust.missing : false }, async () => {
    const project = join(work, "rust");
    mkdirSync(join(project, "components"), { recursive: true });
    // the folder as committed, without a target/ or build/ left by a local build
    cpSync(join(root, "examples/components/rust_wordcount"), join(project, "components/rust_wordcount"), {
      recursive: true,
      filter: (src) => !/[\\/](target|build)$/.test(src),
    });
    const env = { PATH: (rust as { path: string }).path, CARGO_TARGET_DIR: join(project, "components/rust_wordcount/target") };

    const built = await inProject(project, ["parts", "build"], env);
    assert.equal(built.code, EXIT.ok, built.stdout + built.stderr);
    assert.match(built.stderr, /rust_wordcount\s+\d+\.\d KB\s+built \(command, /);
    const wasm = readFileSync(join(project, "components/rust_wordcount/build/rust_wordcount.wasm"));
    assert.ok(wasm.length > STANDARD_LIBRARY_MODULE_BYTES && wasm.length <= MAX_MODULE_BYTES, `${wasm.length} bytes`);
    // metered and capped by the build: the memory maximum is the contract's 64 pages
    checkModuleBytes(wasm, "rust_wordcount", { memoryPages: 64 });
    assert.throws(() => checkModuleBytes(wasm, "rust_wordcount", { memoryPages: 63 }), /declares a maximum of 64 pages/);

    const tested = await inProject(project, ["parts", "test", "rust_wordcount", "--json"], env);
    assert.equal(tested.code, EXIT.ok, tested.stdout + tested.stderr);
    assert.deepEqual([JSON.parse(tested.stdout).passed, JSON.parse(tested.stdout).failed], [5, 0]);

    const published = await inProject(project, ["parts", "publish", "components/rust_wordcount", "--json"]);
    assert.equal(published.code, EXIT.ok, published.stdout + published.stderr);
    assert.equal(JSON.parse(published.stdout).bytes, wasm.length);

    writeFileSync(join(project, "count.yaml"), workflow("count_words", "rust_wordcount", '    text: "{{input.text}}"\n    top: 2\n'));
    const run = await inProject(project, ["run", "count.yaml", "--input", '{"text":"to be or not to be"}', "--json"]);
    assert.equal(run.code, EXIT.ok, run.stdout + run.stderr);
    assert.deepEqual(JSON.parse(run.stdout).result, {
      words: 6,
      lines: 1,
      characters: 18,
      top: [{ word: "be", count: 2 }, { word: "to", count: 2 }],
    });
  });

  test("a raw clang module: refused unmetered with a hint that works, then module.wasm → build → test → publish → run", { skip: hasClang ? false : "clang with the wasm32-wasi target is not installed" }, async () => {
    const project = join(work, "clang");
    const dir = join(project, "components/c_shout");
    mkdirSync(join(dir, "features"), { recursive: true });
    const source = join(work, "shout.c");
    // reads the JSON parameters from stdin and writes them upper-cased as a JSON string
    writeFileSync(source, `#include <stdio.h>
#include <ctype.h>
int main(int argc, char **argv) {
  if (argc < 1 || argv[0] == 0) return 3;
  int c; int in = 0; putchar('"');
  while ((c = getchar()) != EOF) { if (c == '"') { in = !in; continue; } if (in) putchar(toupper(c)); }
  putchar('"'); return 0;
}
`);
    // plain clang: no memory maximum, no metering
    const cc = spawnSync("clang", ["--target=wasm32-wasi", ...clangFlags!, "-O2", "-o", join(dir, "module.wasm"), source], { encoding: "utf8" });
    assert.equal(cc.status, 0, cc.stderr);
    writeFileSync(join(dir, "contract.yaml"), `name: c_shout\nversion: 1.0.0\ndescription: Upper-cases the strings of its input.\ninput_schema: {type: object}\nlimits: {memory_pages: 16}\n`);
    writeFileSync(join(dir, "features/c_shout.feature"), `Feature: c_shout
  Scenario: shouts
    Given the parameter "t" is "abc"
    When the component runs
    Then the output is "TABC"
`);

    const raw = readFileSync(join(dir, "module.wasm"));
    const refused = await ex.json("/components/c_shout", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ contract: { name: "c_shout", version: "1.0.0", description: "x", input_schema: { type: "object" } }, wasm: raw.toString("base64") }),
    });
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, "unmetered_module");
    assert.match(refused.body.error.hint, /module\.wasm/);
    assert.match(refused.body.error.hint, /acr parts build/);

    const built = await inProject(project, ["parts", "build"]);
    assert.equal(built.code, EXIT.ok, built.stdout + built.stderr);
    assert.match(built.stderr, /c_shout\s+\d+\.\d KB\s+built \(wasm, /);
    const tested = await inProject(project, ["parts", "test", "c_shout"]);
    assert.equal(tested.code, EXIT.ok, tested.stdout + tested.stderr);
    const published = await inProject(project, ["parts", "publish", "components/c_shout"]);
    assert.equal(published.code, EXIT.ok, published.stdout + published.stderr);

    writeFileSync(join(project, "shout.yaml"), workflow("shout_c", "c_shout", '    t: "{{input.word}}"\n'));
    const run = await inProject(project, ["run", "shout.yaml", "--input", '{"word":"loud"}', "--json"]);
    assert.equal(run.code, EXIT.ok, run.stdout + run.stderr);
    assert.equal(JSON.parse(run.stdout).result, "TLOUD");
  });
});
