// The component build refuses what must never reach the executor: forbidden imports, modules
// over the size cap, invalid contracts; and it skips components that are up to date.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import binaryen from "binaryen";
import buildComponents from "@arcrun/local/build/components.mjs";
import { checkModuleBytes } from "@arcrun/core/wasi/allow-list";

const repo = fileURLToPath(new URL("..", import.meta.url));
const CONTRACT = (name: string) => `name: ${name}\nversion: 1.0.0\ndescription: test\ninput_schema: {type: object}\n`;

describe("component build", () => {
  let root: string;
  const component = (name: string, source: string, contract = CONTRACT(name)) => {
    mkdirSync(join(root, "components", name, "assembly"), { recursive: true });
    writeFileSync(join(root, "components", name, "contract.yaml"), contract);
    writeFileSync(join(root, "components", name, "assembly/index.ts"), source);
  };
  const build = async () => {
    const log: string[] = [];
    try {
      await buildComponents({ root, log: (line: string) => log.push(line) });
      return { log, error: undefined as Error | undefined };
    } catch (error) {
      return { log, error: error as Error };
    }
  };

  const bundleList = () => readFileSync(join(root, "packages/executor/src/components/bundled.generated.ts"), "utf8");

  before(() => {
    root = mkdtempSync(join(tmpdir(), "arcrun-build-test-"));
    symlinkSync(join(repo, "node_modules"), join(root, "node_modules"));
    mkdirSync(join(root, "components"), { recursive: true });
    // the standard library of this test checkout: bundled, 50 KB each; any other folder is published only
    writeFileSync(join(root, "components/standard-library.txt"), "# test\necho\n");
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test("a module importing a host function is refused, naming the import", async () => {
    component("sneaky", `import { run, JSON } from "@arcrun/component-sdk/assembly";
@external("env", "fetch") declare function fetch(url: i32): i32;
run((input: JSON.Obj): JSON.Value => JSON.num(<f64>fetch(1)));
`);
    const { error, log } = await build();
    assert.match(error?.message ?? "", /sneaky: forbidden imports: env\.fetch/);
    assert.match(log.join("\n"), /sneaky .*FAILED/);
    rmSync(join(root, "components/sneaky"), { recursive: true });
  });

  test("a module over 50 KB is refused", async () => {
    component("huge", `import { run, JSON } from "@arcrun/component-sdk/assembly";
const BIG = "${"0123456789".repeat(3000)}";
run((input: JSON.Obj): JSON.Value => JSON.str(BIG));
`);
    const list = join(root, "components/standard-library.txt");
    const standard = readFileSync(list, "utf8");
    writeFileSync(list, standard + "huge\n");
    const { error } = await build();
    writeFileSync(list, standard);
    assert.match(error?.message ?? "", /huge: module_too_large: Component "huge" is \d+ bytes; the limit is 50000/);
    rmSync(join(root, "components/huge"), { recursive: true });
  });

  test("an invalid contract fails the build with every problem", async () => {
    component("sloppy", `import { run, JSON } from "@arcrun/component-sdk/assembly";\nrun((input: JSON.Obj): JSON.Value => input);\n`,
      "name: sloppy\nversion: one\ndescription: x\ninput_shema: {}\n");
    const { error } = await build();
    assert.match(error?.message ?? "", /version: use semantic versioning/);
    assert.match(error?.message ?? "", /unknown key "input_shema" \(did you mean "input_schema"\?\)/);
    rmSync(join(root, "components/sloppy"), { recursive: true });
  });

  test("a good component builds once, then is up to date, and is listed for the executor", async () => {
    component("echo", `import { run, JSON } from "@arcrun/component-sdk/assembly";\nrun((input: JSON.Obj): JSON.Value => input);\n`);
    const first = await build();
    assert.equal(first.error, undefined, first.log.join("\n"));
    assert.match(first.log.join("\n"), /echo .*built/);
    const wasm = join(root, "components/echo/build/echo.wasm");
    const mtime = statSync(wasm).mtimeMs;
    const second = await build();
    assert.match(second.log.join("\n"), /echo .*up to date/);
    assert.equal(statSync(wasm).mtimeMs, mtime);
    const list = bundleList();
    assert.match(list, /import module0 from "\.\.\/\.\.\/\.\.\/\.\.\/components\/echo\/build\/echo\.wasm";/);
    assert.match(list, /"name":"echo"/);
  });

  test("a failed rebuild removes the old module: nothing stale is tested, published or bundled (issue 10)", async () => {
    const source = join(root, "components/echo/assembly/index.ts");
    const wasm = join(root, "components/echo/build/echo.wasm");
    assert.equal((await build()).error, undefined);
    assert.match(bundleList(), /"name":"echo"/);
    writeFileSync(source, `import { run, JSON } from "@arcrun/component-sdk/assembly";\nrun((input: JSON.Obj): JSON.Value => nope);\n`);
    const broken = await build();
    assert.match(broken.error?.message ?? "", /echo: /);
    assert.equal(existsSync(wasm), false, "the last good module is gone");
    assert.equal(existsSync(join(root, "components/echo/build/echo.build.json")), false);
    assert.doesNotMatch(bundleList(), /echo/);
    // and a restart (another build) does not bring it back
    assert.match((await build()).error?.message ?? "", /echo: /);
    assert.doesNotMatch(bundleList(), /echo/);
    writeFileSync(source, `import { run, JSON } from "@arcrun/component-sdk/assembly";\nrun((input: JSON.Obj): JSON.Value => input);\n`);
    assert.equal((await build()).error, undefined);
    assert.match(bundleList(), /"name":"echo"/);
  });

  test("a module copied into build/ by hand is not a build: it is rebuilt from the sources", async () => {
    const wasm = join(root, "components/echo/build/echo.wasm");
    const good = readFileSync(wasm);
    writeFileSync(wasm, readFileSync(join(repo, "components/c_reverse/build/c_reverse.wasm")));
    const { log } = await build();
    assert.match(log.join("\n"), /echo .*built/);
    assert.deepEqual(readFileSync(wasm), good);
  });

  test("a component outside standard-library.txt is built and checked but never bundled, and may exceed 50 KB", async () => {
    component("mine", `import { run, JSON } from "@arcrun/component-sdk/assembly";
const BIG = "${"0123456789".repeat(6000)}";
run((input: JSON.Obj): JSON.Value => JSON.str(BIG));
`);
    const { error, log } = await build();
    assert.equal(error, undefined, log.join("\n"));
    assert.ok(statSync(join(root, "components/mine/build/mine.wasm")).size > 50_000);
    assert.doesNotMatch(bundleList(), /mine/);
    assert.match(bundleList(), /"name":"echo"/);
    rmSync(join(root, "components/mine"), { recursive: true });
  });

  test("a prebuilt module.wasm from another toolchain gets the contract's memory maximum and the metering", async () => {
    const dir = join(root, "components/prebuilt");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "contract.yaml"), CONTRACT("prebuilt") + "limits: {memory_pages: 8}\n");
    // no maximum at all, an endless loop, no metering: as a plain toolchain emits it
    const wat = `(module (memory (export "memory") 2) (func (export "_start") (loop $l (br $l))))`;
    writeFileSync(join(dir, "module.wasm"), binaryen.parseText(wat).emitBinary());
    const { error, log } = await build();
    assert.equal(error, undefined, log.join("\n"));
    assert.match(log.join("\n"), /prebuilt .*built \(wasm,/);
    const built = readFileSync(join(dir, "build/prebuilt.wasm"));
    checkModuleBytes(built, "prebuilt", { memoryPages: 8 });
    assert.throws(() => checkModuleBytes(built, "prebuilt", { memoryPages: 7 }), /maximum of 8 pages/);
    writeFileSync(join(dir, "contract.yaml"), CONTRACT("prebuilt") + "limits: {memory_pages: 1}\n");
    assert.match((await build()).error?.message ?? "", /prebuilt: the module starts with 2 pages of memory; the contract's limits.memory_pages is 1/);
    rmSync(dir, { recursive: true });
  });

  test("a build: command makes the module; a failing command names its exit and output", async () => {
    const dir = join(root, "components/scripted");
    mkdirSync(dir, { recursive: true });
    const wat = `(module (memory (export "memory") 1) (func (export "_start")))`;
    writeFileSync(join(dir, "raw.wasm"), binaryen.parseText(wat).emitBinary());
    writeFileSync(join(dir, "contract.yaml"), CONTRACT("scripted") + "build: {command: mkdir -p out && cp raw.wasm out/x.wasm, output: out/x.wasm}\n");
    const ok = await build();
    assert.equal(ok.error, undefined, ok.log.join("\n"));
    assert.match(ok.log.join("\n"), /scripted .*built \(command,/);
    writeFileSync(join(dir, "contract.yaml"), CONTRACT("scripted") + "build: {command: echo broken >&2; exit 4}\n");
    const failed = await build();
    assert.match(failed.error?.message ?? "", /scripted: build command `echo broken >&2; exit 4` exited with 4:\nbroken/);
    assert.equal(existsSync(join(dir, "build/scripted.wasm")), false);
    rmSync(dir, { recursive: true });
  });

  test("a folder with nothing to build says what it may hold", async () => {
    mkdirSync(join(root, "components/empty"), { recursive: true });
    writeFileSync(join(root, "components/empty/contract.yaml"), CONTRACT("empty"));
    assert.match((await build()).error?.message ?? "", /empty: nothing to build: add assembly\/index\.ts .* a module\.wasm from any WASI toolchain, or build: \{command, output\}/);
    rmSync(join(root, "components/empty"), { recursive: true });
  });
});
