/**
 * The registry end to end (issue 14 § Done when), against the local server (executor and
 * registry in one workerd, state in a temp folder, free ports): `acr parts submit` of a
 * scaffolded component → accepted with its report; `acr parts approve` → public, listed without
 * a key; `acr parts install` → published into the executor; ten runs, three with a failing
 * input → `acr parts info` shows total_runs 10, success rate 70% and a plausible average time.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDevServer, type DevServer } from "../src/dev/server";
import { acr } from "./helpers";

const work = mkdtempSync(join(tmpdir(), "acr-parts-registry-"));
process.env.ARCRUN_CONFIG = join(work, "config.json");
const stateDir = join(work, "state");

describe("acr parts submit → approve → install → runs → info", () => {
  let server: DevServer;
  let env: Record<string, string>;
  const run = (args: string[]) => acr(args, { env, cwd: work });

  before(async () => {
    const examplesDir = join(work, "no-examples");
    mkdirSync(examplesDir);
    server = await startDevServer({ port: 0, stateDir, examplesDir, registerStandard: true, log: () => {} });
    assert.ok(server.registryUrl);
    // the standard library's acceptance runs on start; let it finish so cold starts are measured alone
    const standard = await server.standardRegistered;
    assert.deepEqual(standard?.failed, []);
    env = { ARCRUN_URL: server.url, REGISTRY_URL: server.registryUrl!, ARCRUN_STATE_DIR: stateDir, NO_COLOR: "1" };
  });
  after(async () => {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  let submissionId = "";

  test("submit a scaffolded component: built, its features run here, accepted with every step's figures", async () => {
    assert.equal((await run(["parts", "scaffold", "repeat_it"])).code, 0);
    const human = await run(["parts", "submit", "components/repeat_it"]);
    assert.equal(human.code, 0, human.stderr + human.stdout);
    assert.match(human.stderr, /✓ 4 scenarios passed here/);
    for (const step of ["contract", "size", "imports", "cold_start", "features", "config_example"]) assert.match(human.stdout, new RegExp(`✓ ${step}`), human.stdout);
    assert.match(human.stdout, /median [\d.]+ ms, max [\d.]+ ms over 5 fresh loads/);
    assert.match(human.stdout, /repeat_it@0\.1\.0 accepted \(author_only\) — submission ([0-9a-f-]{36})/);
    submissionId = /submission ([0-9a-f-]{36})/.exec(human.stdout)![1];

    const again = await run(["parts", "submit", "components/repeat_it", "--json"]);
    assert.equal(again.code, 2, "the same version again: 409 version_exists");
    assert.equal(JSON.parse(again.stdout).error.code, "version_exists");

    assert.deepEqual((await (await fetch(`${server.registryUrl}/components`)).json() as { components: { name: string }[] }).components.filter((c) => c.name === "repeat_it"), [], "not public before approval");
  });

  test("approve needs the admin key; then the component is public", async () => {
    const approved = await run(["parts", "approve", submissionId, "--json"]);
    assert.equal(approved.code, 0, approved.stderr);
    const submission = JSON.parse(approved.stdout);
    assert.equal(submission.status, "approved");
    assert.equal(submission.visibility, "public");

    const anonymous = (await (await fetch(`${server.registryUrl}/components?q=repeat`)).json()) as { components: { name: string; author: string; visibility: string }[] };
    assert.deepEqual(anonymous.components.filter((c) => c.name === "repeat_it").map((c) => [c.name, c.author, c.visibility]), [["repeat_it", "local", "public"]], "listed for a caller without a key");

    const noAdmin = await acr(["parts", "approve", submissionId], { env: { REGISTRY_URL: server.registryUrl!, ARCRUN_STATE_DIR: join(work, "elsewhere") }, cwd: work });
    assert.equal(noAdmin.code, 2);
    assert.match(noAdmin.stderr, /no registry admin key/);
  });

  test("install into the executor, ten runs (three failing inputs), info shows the exact statistics", async () => {
    const installed = await run(["parts", "install", "repeat_it", "--json"]);
    assert.equal(installed.code, 0, installed.stderr);
    assert.equal(JSON.parse(installed.stdout).source, "r2");
    const parts = await run(["parts"]);
    assert.match(parts.stdout, /RUNS\s+SUCCESS\s+AVG/, "the stats columns when the registry answers");

    writeFileSync(join(work, "repeat.yaml"), 'name: repeat\nflow: ["input >> ON_SUCCESS >> r"]\nconfig:\n  r:\n    component: repeat_it\n    text: "{{input.text}}"\n');
    const texts = ["a", "bc", "", "def", "", "g", "hi", "", "jk", "l"];
    for (const text of texts) {
      const result = await run(["run", "repeat.yaml", "--input", JSON.stringify({ text }), "--json"]);
      assert.equal(JSON.parse(result.stdout).status, text ? "succeeded" : "failed", result.stderr);
    }
    let detail: any;
    for (let i = 0; i < 100; i++) {
      const info = await run(["parts", "info", "repeat_it", "--json"]);
      detail = JSON.parse(info.stdout);
      if (detail.stats.total_runs >= 10) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(detail.stats.total_runs, 10);
    assert.equal(detail.stats.success_rate, 0.7);
    assert.ok(detail.stats.avg_duration_ms > 0 && detail.stats.avg_duration_ms < 1000, `avg ${detail.stats.avg_duration_ms} ms`);
    assert.ok(detail.report.passed);

    const human = await run(["parts", "info", "repeat_it"]);
    assert.equal(human.code, 0);
    assert.match(human.stdout, /total_runs 10\s+success_rate 70%\s+avg_duration_ms [\d.]+/);
    assert.match(human.stdout, /acceptance:\n\s+✓ contract/);
    const listed = await run(["parts", "--json"]);
    const entry = JSON.parse(listed.stdout).components.find((c: { name: string }) => c.name === "repeat_it");
    assert.deepEqual([entry.total_runs, entry.success_rate], [10, 0.7]);
    console.log(`repeat_it after 10 runs: ${human.stdout.split("\n").find((l) => l.includes("total_runs"))?.trim()}`);
  });
});
