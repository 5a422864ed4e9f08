/**
 * `acr test` before workerd starts (in-process, no executor): which files it takes, and the
 * exit-2 refusals — a bad fixtures file with file:line:column, no fixtures at all, a missing file.
 * The runs themselves are tested end to end with the real binary in test/acr-test.test.ts.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveTargets } from "../src/testing/files";
import { acr } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "acr-test-cmd-"));
const WORKFLOW = 'name: w\nflow: ["input >> ON_SUCCESS >> c"]\nconfig:\n  c: {component: code, code: "return 1"}\n';
writeFileSync(join(dir, "a.yaml"), WORKFLOW);
writeFileSync(join(dir, "a.test.yaml"), "cases: [{name: one}]\n");
writeFileSync(join(dir, "b.yaml"), WORKFLOW);
writeFileSync(join(dir, "c.yaml"), WORKFLOW);
writeFileSync(join(dir, "c.test.yaml"), "cases:\n  - name: one\n    expect: {failed: c}\n");
writeFileSync(join(dir, "d.test.yaml"), "workflow: a.yaml\ncases: [{name: one}]\n");

describe("acr test: files and refusals", () => {
  test("workflows pair with <name>.test.yaml; a .test.yaml names its workflow; none given: every *.test.yaml here", () => {
    const given = resolveTargets(["a.yaml", "a.test.yaml", "b.yaml", "d.test.yaml"], dir);
    assert.deepEqual(given.targets.map((t) => [t.workflowFile, t.fixturesFile]), [["a.yaml", "a.test.yaml"], ["a.yaml", "d.test.yaml"]], "one entry per fixtures file; d.test.yaml names a.yaml");
    assert.deepEqual(given.skipped, ["b.yaml"]);
    const all = resolveTargets([], dir);
    assert.deepEqual(all.targets.map((t) => t.fixturesFile).sort(), ["a.test.yaml", "c.test.yaml", "d.test.yaml"]);
  });

  test("a bad fixtures file: exit 2, file:line:column and a hint, --json gives the issues", async () => {
    const r = await acr(["test", "c.yaml"], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /c\.test\.yaml is not a valid fixtures file/);
    assert.match(r.stderr, /c\.test\.yaml:3:\d+ cases\.0\.expect: Unrecognized key: "failed" — expect has status, output, failed_node, error, nodes/);
    const json = await acr(["test", "c.yaml", "--json"], { cwd: dir });
    const body = JSON.parse(json.stdout);
    assert.equal(body.error.code, "fixtures_invalid");
    assert.equal(body.error.issues[0].line, 3);
  });

  test("no fixtures for any workflow given, or a file that does not exist: exit 2 saying what to do", async () => {
    const none = await acr(["test", "b.yaml"], { cwd: dir });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no fixtures file beside b\.yaml/);
    assert.match(none.stderr, /acr test --record b\.yaml/);
    const missing = await acr(["test", "zzz.yaml"], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file: zzz\.yaml/);
    const stray = await acr(["test", "a.yaml", "--input", "{}"], { cwd: dir });
    assert.equal(stray.code, 2);
    assert.match(stray.stderr, /--input goes with --record/);
    const empty = await acr(["test"], { cwd: mkdtempSync(join(tmpdir(), "acr-test-empty-")) });
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /no fixtures files \(\*\.test\.yaml\) in this folder/);
  });
});
