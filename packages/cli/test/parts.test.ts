/**
 * `acr parts scaffold | build | test | --local` in a project folder of its own: the scaffold is
 * compiled with this checkout's real toolchain (asc, metering, sandbox checks) and its features
 * run against the built module, so "passes out of the box" is checked for real.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { EXIT } from "../src/exit";
import { acr, closedPort } from "./helpers";

const project = mkdtempSync(join(tmpdir(), "acr-parts-"));
const inProject = (argv: string[]) => acr(argv, { cwd: project });
after(() => rmSync(project, { recursive: true, force: true }));

describe("acr parts", () => {
  test("scaffold writes a component that builds and passes its features", async () => {
    const created = await inProject(["parts", "scaffold", "slugify", "--json"]);
    assert.equal(created.code, EXIT.ok, created.stderr);
    assert.deepEqual(JSON.parse(created.stdout).files, [
      "components/slugify/contract.yaml",
      "components/slugify/assembly/index.ts",
      "components/slugify/features/slugify.feature",
    ]);

    const tested = await inProject(["parts", "test"]);
    assert.equal(tested.code, EXIT.ok, tested.stdout + tested.stderr);
    assert.match(tested.stderr, /slugify\s+\d+\.\d KB\s+built \(assemblyscript/);
    assert.match(tested.stdout, /1 component: 4 passed, 0 failed/);
    assert.ok(existsSync(join(project, "components/slugify/build/slugify.wasm")));

    const listed = await inProject(["parts", "--local", "--json"]);
    const [entry] = JSON.parse(listed.stdout).components;
    assert.equal(entry.name, "slugify");
    assert.equal(entry.source, "local");
    assert.ok(entry.bytes > 1000 && entry.bytes <= 50_000, String(entry.bytes));
  });

  test("a failing scenario makes parts test exit 1 and names it", async () => {
    const feature = join(project, "components/slugify/features/slugify.feature");
    const original = readFileSync(feature, "utf8");
    writeFileSync(feature, original.replace('"é-é-é"', '"é+é+é"'));
    try {
      const tested = await inProject(["parts", "test", "slugify", "--json"]);
      assert.equal(tested.code, EXIT.runFailed);
      const report = JSON.parse(tested.stdout);
      assert.equal(report.passed, 3);
      assert.equal(report.failed, 1);
      assert.equal(report.results.find((r: { status: string }) => r.status === "failed").name, "times and separator");
    } finally {
      writeFileSync(feature, original);
    }
  });

  test("a source that does not compile is a build error naming the component", async () => {
    const source = join(project, "components/slugify/assembly/index.ts");
    const original = readFileSync(source, "utf8");
    writeFileSync(source, original.replace("copies.join(separator)", "copies.join(separator, 1)"));
    try {
      const built = await inProject(["parts", "build"]);
      assert.equal(built.code, EXIT.usage);
      assert.match(built.stderr, /slugify/);
      assert.match(built.stderr, /failed to build/);
    } finally {
      writeFileSync(source, original);
    }
  });

  test("bad names and unknown components are usage errors", async () => {
    const badName = await inProject(["parts", "scaffold", "Bad-Name"]);
    assert.equal(badName.code, EXIT.usage);
    assert.match(badName.stderr, /not a component name/);
    const again = await inProject(["parts", "scaffold", "slugify"]);
    assert.equal(again.code, EXIT.usage);
    assert.match(again.stderr, /already exists/);
    const unknown = await inProject(["parts", "test", "nosuch"]);
    assert.equal(unknown.code, EXIT.usage);
    assert.match(unknown.stderr, /no component named nosuch.*\n.*known: slugify/);
  });

  test("listing a server that is not running exits 3", async () => {
    const port = await closedPort();
    const result = await acr(["parts", "--url", `http://127.0.0.1:${port}`]);
    assert.equal(result.code, EXIT.unreachable);
  });
});
