// Runs every component's feature files against its built .wasm, through the same WASI host and
// Component the executor uses. One node:test test per scenario; the build runs first (it only
// rebuilds components whose sources changed).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import buildComponents from "@arcrun/local/build/components.mjs";
import { findComponentFolders, loadComponent, type LoadedComponent } from "@arcrun/local/build/load";
import { parseFeature } from "@arcrun/core/features/parse";
import { runScenario } from "@arcrun/core/features/run";
import { inputProblems } from "@arcrun/core/components/input-validation";
import { MAX_MODULE_BYTES, STANDARD_LIBRARY_MODULE_BYTES } from "@arcrun/core/wasi/allow-list";
import { readStandardLibrary } from "@arcrun/local/build/components.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const buildLog: string[] = [];
let buildError: Error | undefined;
try {
  await buildComponents({ root, log: (line: string) => buildLog.push(line) });
} catch (error) {
  buildError = error as Error;
}

const standardLibrary = readStandardLibrary(join(root, "components"));

for (const folder of findComponentFolders(join(root, "components"))) {
  // the standard library is bundled into the executor: 50 KB each; anything else here is published only
  const cap = standardLibrary.has(folder.name) ? STANDARD_LIBRARY_MODULE_BYTES : MAX_MODULE_BYTES;
  describe(`component ${folder.name}`, () => {
    let loaded: LoadedComponent | undefined;
    let loadError: Error | undefined;
    try {
      loaded = loadComponent(folder, root);
    } catch (error) {
      loadError = error as Error;
    }

    test("builds, passes the sandbox checks and fits the size cap", () => {
      const buildLines = buildLog.filter((line) => line.startsWith(`${folder.name} `)).join("\n");
      if (loadError) assert.fail(`${loadError.message}\n${buildLines}${buildError ? `\n${buildError.message}` : ""}`);
      assert.ok(loaded!.bytes <= cap, `${loaded!.bytes} bytes > ${cap}`);
    });
    if (!loaded) return;
    const { contract } = loaded;

    test("has a complete contract whose config_example fits its input_schema", () => {
      assert.ok(contract.author, "author is missing");
      assert.ok(contract.category, "category is missing");
      assert.ok(contract.input_schema, "input_schema is missing");
      assert.ok(contract.output_schema, "output_schema is missing");
      assert.equal(contract.no_network_syscall, true);
      assert.ok(contract.config_example, "config_example is missing");
      // templates stand for values only known at run time: check the literal keys only
      const literal = Object.fromEntries(Object.entries(contract.config_example!).filter(([, v]) => !(typeof v === "string" && v.includes("{{"))));
      const problems = inputProblems(contract.input_schema!, literal).filter((p) => p.message !== "is required" || p.path in literal);
      assert.deepEqual(problems, []);
    });

    const scenarios = loaded.features.flatMap((source) => parseFeature(source));
    test("has at least three scenarios, one of them an error case", () => {
      assert.ok(scenarios.length >= 3, `${scenarios.length} scenarios`);
      assert.ok(scenarios.some((s) => s.steps.some((step) => /^it fails with/.test(step.text))), "no scenario expects a failure");
    });

    for (const scenario of scenarios) {
      test(`${scenario.name} (${scenario.uri}:${scenario.line})`, async () => {
        const result = await runScenario(loaded!.component, scenario);
        assert.equal(result.status, "passed", result.error);
      });
    }
  });
}
