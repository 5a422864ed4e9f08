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
  const first = await startDevServer({ port: 0, stateDir, examplesDir, log: (l) => lines.push(l) });
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
  } finally {
    await first.stop();
  }
  const second = await startDevServer({ port: 0, stateDir, examplesDir, log: () => {} });
  try {
    assert.equal(readFileSync(join(stateDir, "registry-admin-key"), "utf8").trim(), adminKey, "the admin key is kept");
  } finally {
    await second.stop();
  }
});
