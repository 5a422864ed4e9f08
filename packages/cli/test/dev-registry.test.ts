/**
 * `npm start` serves the registry beside the executor: one Miniflare instance, the same state
 * folder, the admin key generated on first start (0600) and kept, the local API key accepted as
 * author "local". Ports are ephemeral (0).
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDevServer } from "../src/dev/server";

const temp = mkdtempSync(join(tmpdir(), "arcrun-dev-registry-test-"));
process.env.ARCRUN_CONFIG = join(temp, "config.json");
after(() => rmSync(temp, { recursive: true, force: true }));

test("the dev server serves the registry with a generated admin key, kept across restarts", async () => {
  const stateDir = join(temp, "state");
  const examplesDir = join(temp, "no-examples");
  mkdirSync(examplesDir);
  const lines: string[] = [];
  const first = await startDevServer({ port: 0, stateDir, examplesDir, registerStandard: true, log: (l) => lines.push(l) });
  let adminKey = "";
  try {
    assert.ok(first.registryUrl, lines.join("\n"));
    assert.notEqual(new URL(first.registryUrl!).port, new URL(first.url).port);
    assert.deepEqual(await (await fetch(`${first.registryUrl}/health`)).json(), { ok: true, service: "registry" });
    const keyFile = join(stateDir, "registry-admin-key");
    adminKey = readFileSync(keyFile, "utf8").trim();
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.ok(!lines.join("\n").includes(adminKey), "the banner names the file, never the key");
    const mine = await fetch(`${first.registryUrl}/components`, { headers: { authorization: `Bearer ${first.apiKey}` } });
    assert.equal(mine.status, 200, "the local API key is an author key");
    const approve = await fetch(`${first.registryUrl}/submit/none/approve`, { method: "PATCH", headers: { authorization: `Bearer ${first.apiKey}` } });
    assert.equal(approve.status, 403, "the API key is not the admin key");
    const asAdmin = await fetch(`${first.registryUrl}/submit/none/approve`, { method: "PATCH", headers: { authorization: `Bearer ${adminKey}` } });
    assert.equal(asAdmin.status, 404, "the admin key is accepted; the submission does not exist");

    // the standard library, as first-party submissions, public under author arcrun
    const started = performance.now();
    const standard = await first.standardRegistered;
    console.log(`standard components registered in ${Math.round(performance.now() - started)} ms: ${standard?.registered.length} accepted, ${standard?.failed.length} failed`);
    assert.ok(standard, lines.join("\n"));
    assert.deepEqual(standard.failed, []);
    assert.ok(standard.registered.length >= 20 && standard.registered.includes("base64"), standard.registered.join(", "));
    const listed = (await (await fetch(`${first.registryUrl}/components`)).json()) as { components: { name: string; author: string; visibility: string; total_runs: number }[] };
    assert.deepEqual(listed.components.map((c) => c.name).sort(), [...standard.registered].sort(), "public: listed without a key");
    assert.ok(listed.components.every((c) => c.author === "arcrun" && c.visibility === "public"));
    // first-party: the static acceptance steps ran; the sandbox steps (fresh isolates) were not repeated
    const info = (await (await fetch(`${first.registryUrl}/components/base64`)).json()) as { submission_id: string };
    const submission = (await (await fetch(`${first.registryUrl}/submit/${info.submission_id}`, { headers: { authorization: `Bearer ${adminKey}` } })).json()) as { report: { steps: { step: string; figures: Record<string, unknown> }[] } };
    const steps = Object.fromEntries(submission.report.steps.map((s) => [s.step, s.figures]));
    assert.match(String(steps.imports?.metering), /verified/, JSON.stringify(submission.report));
    assert.match(String(steps.cold_start?.first_party), /not repeated/);

    // a run's usage is counted from the first run
    const workflow = 'name: enc\nflow: ["input >> ON_SUCCESS >> e"]\nconfig:\n  e: {component: base64, action: encode, text: "{{input.t}}"}\n';
    const run = await fetch(`${first.url}/execute`, { method: "POST", headers: { authorization: `Bearer ${first.apiKey}`, "content-type": "application/json" }, body: JSON.stringify({ workflow, input: { t: "hi" } }) });
    assert.equal(run.status, 200);
    let stats: { total_runs: number; success_rate: number } | undefined;
    for (let i = 0; i < 100 && stats?.total_runs !== 1; i++) {
      await new Promise((r) => setTimeout(r, 50));
      stats = ((await (await fetch(`${first.registryUrl}/components/base64`)).json()) as { stats: typeof stats }).stats;
    }
    assert.deepEqual([stats?.total_runs, stats?.success_rate], [1, 1]);
  } finally {
    await first.stop();
  }
  const second = await startDevServer({ port: 0, stateDir, examplesDir, registerStandard: true, log: () => {} });
  try {
    assert.equal(readFileSync(join(stateDir, "registry-admin-key"), "utf8").trim(), adminKey, "the admin key is kept");
    const again = await second.standardRegistered;
    assert.deepEqual(again?.registered, [], "each version is registered once");
    assert.ok((again?.present.length ?? 0) >= 20);
    const stats = ((await (await fetch(`${second.registryUrl}/components/base64`)).json()) as { stats: { total_runs: number } }).stats;
    assert.equal(stats.total_runs, 1, "the counters survive the restart");
  } finally {
    await second.stop();
  }
});
