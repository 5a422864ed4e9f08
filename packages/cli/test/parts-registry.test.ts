// `acr parts search|info|install|approve|reject` against stand-in servers: keys, exit codes,
// the sha256 check before anything is installed, and `acr parts` with and without a registry.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acr, closedPort, fakeServer } from "./helpers";

const cwd = mkdtempSync(join(tmpdir(), "acr-parts-registry-unit-"));
after(() => rmSync(cwd, { recursive: true, force: true }));

const entry = { name: "slugify", latest_version: "1.0.0", author: "ada", category: "text", description: "Makes slugs", bytes: 1234, visibility: "public", total_runs: 10, success_rate: 0.7, avg_duration_ms: 2.5 };
const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
const sha = createHash("sha256").update(bytes).digest("hex");
const detail = (sha256: string) => ({
  name: "slugify", version: "1.0.0", author: "ada", visibility: "public", sha256, bytes: bytes.length, published_at: "2026-12-01T00:00:00.000Z", submission_id: "sub-1",
  contract: { name: "slugify", version: "1.0.0", description: "Makes slugs" }, features: [], versions: ["1.0.0"],
  stats: { total_runs: 10, success_rate: 0.7, avg_duration_ms: 2.5, days: [] }, report: null,
});

test("search prints the catalog with its statistics; --json the registry's answer; the author key is sent", async () => {
  const registry = await fakeServer(() => ({ json: { components: [entry] } }));
  try {
    const env = { REGISTRY_URL: registry.url, REGISTRY_KEY: "ada-key" };
    const human = await acr(["parts", "search", "slug"], { env, cwd });
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /NAME\s+VERSION\s+AUTHOR\s+CATEGORY\s+RUNS\s+SUCCESS\s+AVG/);
    assert.match(human.stdout, /slugify\s+1\.0\.0\s+ada\s+text\s+10\s+70%\s+3 ms/);
    assert.equal(registry.requests[0].url, "/components?q=slug");
    assert.equal(registry.requests[0].headers.authorization, "Bearer ada-key");
    const json = await acr(["parts", "search", "slug", "--json"], { env, cwd });
    assert.deepEqual(JSON.parse(json.stdout), { components: [entry] });
  } finally {
    await registry.close();
  }
});

test("install checks the sha256 before publishing: a mismatch installs nothing (exit 1)", async () => {
  for (const listed of [sha, "0".repeat(64)]) {
    const registry = await fakeServer((req) => (req.url.endsWith("/module") ? { text: Buffer.from(bytes).toString("latin1") } : { json: detail(listed) }));
    const executor = await fakeServer(() => ({ json: { name: "slugify", version: "1.0.0", bytes: bytes.length, sha256: sha, source: "r2" } }));
    try {
      const result = await acr(["parts", "install", "slugify@1.0.0", "--json"], { env: { REGISTRY_URL: registry.url, ARCRUN_URL: executor.url, ARCRUN_API_KEY: "exec-key" }, cwd });
      assert.equal(registry.requests[0].url, "/components/slugify/1.0.0");
      if (listed === sha) {
        assert.equal(result.code, 0, result.stderr);
        assert.equal(executor.requests.length, 1);
        assert.equal(executor.requests[0].method, "PUT");
        assert.equal(executor.requests[0].url, "/components/slugify");
        const sent = JSON.parse(executor.requests[0].body);
        assert.deepEqual(new Uint8Array(Buffer.from(sent.wasm, "base64")), bytes);
        assert.equal(sent.contract.name, "slugify");
      } else {
        assert.equal(result.code, 1);
        assert.equal(JSON.parse(result.stdout).error.code, "checksum_mismatch");
        assert.equal(executor.requests.length, 0, "nothing reaches the executor");
      }
    } finally {
      await registry.close();
      await executor.close();
    }
  }
});

test("approve and reject need the admin key; reject sends its reason", async () => {
  const registry = await fakeServer((req) => ({ json: { id: "sub-1", name: "slugify", version: "1.0.0", author: "ada", status: req.url.endsWith("/reject") ? "rejected" : "approved", visibility: req.url.endsWith("/reject") ? "withdrawn" : "public", sha256: sha, bytes: 8, submitted_at: "x", decided_at: "y", reason: req.body ? JSON.parse(req.body).reason : null, report: { passed: true, steps: [] } } }));
  try {
    const missing = await acr(["parts", "approve", "sub-1"], { env: { REGISTRY_URL: "https://registry.example" }, cwd });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no registry admin key/);
    const env = { REGISTRY_URL: registry.url, REGISTRY_ADMIN_KEY: "admin-key" };
    const approved = await acr(["parts", "approve", "sub-1"], { env, cwd });
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(approved.stdout, /slugify@1\.0\.0 approved: public/);
    assert.deepEqual([registry.requests[0].method, registry.requests[0].url, registry.requests[0].headers.authorization], ["PATCH", "/submit/sub-1/approve", "Bearer admin-key"]);
    assert.equal((await acr(["parts", "reject", "sub-1"], { env, cwd })).code, 2, "--reason is required");
    const rejected = await acr(["parts", "reject", "sub-1", "--reason", "misleading name", "--json"], { env, cwd });
    assert.equal(rejected.code, 0, rejected.stderr);
    assert.equal(JSON.parse(rejected.stdout).reason, "misleading name");
  } finally {
    await registry.close();
  }
});

test("a registry nobody answers at is exit 3 registry_unreachable; `acr parts` then shows no stats columns", async () => {
  const port = await closedPort();
  const down = await acr(["parts", "info", "slugify", "--json"], { env: { REGISTRY_URL: `http://127.0.0.1:${port}` }, cwd });
  assert.equal(down.code, 3);
  assert.equal(JSON.parse(down.stdout).error.code, "registry_unreachable");

  const executor = await fakeServer(() => ({ json: { components: [{ name: "slugify", version: "1.0.0", category: "text", description: "Makes slugs", bytes: 1234, source: "r2" }] } }));
  const registry = await fakeServer(() => ({ json: { components: [entry] } }));
  try {
    const without = await acr(["parts"], { env: { ARCRUN_URL: executor.url, REGISTRY_URL: `http://127.0.0.1:${port}` }, cwd });
    assert.equal(without.code, 0, without.stderr);
    assert.doesNotMatch(without.stdout, /RUNS/);
    const withStats = await acr(["parts"], { env: { ARCRUN_URL: executor.url, REGISTRY_URL: registry.url }, cwd });
    assert.match(withStats.stdout, /SOURCE\s+RUNS\s+SUCCESS\s+AVG/);
    assert.match(withStats.stdout, /slugify\s+1\.0\.0\s+text\s+1\.2 KiB\s+r2\s+10\s+70%\s+3 ms/);
  } finally {
    await executor.close();
    await registry.close();
  }
});
