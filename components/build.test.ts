// The component build refuses what must never reach the executor: forbidden imports, modules
// over the size cap, invalid contracts; and it skips components that are up to date.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import buildComponents from "@arcrun/local/build/components.mjs";

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

  before(() => {
    root = mkdtempSync(join(tmpdir(), "arcrun-build-test-"));
    symlinkSync(join(repo, "node_modules"), join(root, "node_modules"));
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
    const { error } = await build();
    assert.match(error?.message ?? "", /huge: .* is over the +50\.0 KB cap/);
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
    const list = readFileSync(join(root, "packages/executor/src/components/bundled.generated.ts"), "utf8");
    assert.match(list, /import module0 from "\.\.\/\.\.\/\.\.\/\.\.\/components\/echo\/build\/echo\.wasm";/);
    assert.match(list, /"name":"echo"/);
  });
});
