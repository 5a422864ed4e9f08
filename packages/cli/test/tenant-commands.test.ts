/** Standard mode against a shared deployment, in-process: flag rules, what registration sends, and the failures before anything is sent. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { describe, test } from "node:test";
import { generateEncryptionKey } from "@arcrun/core/crypto/key";
import { EXIT } from "../src/exit";
import { acr, closedPort, fakeServer } from "./helpers";

// random 32-hex ids, as Cloudflare's look (test/hygiene.test.ts refuses literal ones)
const ID = randomBytes(16).toString("hex");
const NS = randomBytes(16).toString("hex");

function fresh() {
  const dir = mkdtempSync(join(tmpdir(), "acr-tenant-"));
  const config = join(dir, "home", "config.json");
  const run = (argv: string[], env: Record<string, string> = {}) => acr(argv, { cwd: dir, env: { ARCRUN_CONFIG: config, ...env } });
  return { dir, config, run };
}

describe("acr init --standard --auth-url", () => {
  test("the registration flags need --standard --auth-url; --api-key does not go with it", async () => {
    const { run } = fresh();
    assert.equal((await run(["init", "--email", "a@example.com"])).code, EXIT.usage);
    assert.equal((await run(["init", "--auth-url", "http://127.0.0.1:9"])).code, EXIT.usage);
    const both = await run(["init", "--standard", "--url", "http://127.0.0.1:9", "--auth-url", "http://127.0.0.1:9", "--api-key", "x"]);
    assert.equal(both.code, EXIT.usage);
    assert.match(both.stderr, /--api-key/);
  });

  test("sends the token only in CF-Api-Token, the body {email, account_id, kv_namespace_id}; writes the answer, prints no key", async () => {
    const dataKey = generateEncryptionKey();
    const apiKey = `arc_${"A".repeat(43)}`;
    const auth = await fakeServer(() => ({ status: 201, json: { tenant_id: "t_0123456789abcdef0123", api_key: apiKey, key_id: "k_1", data_key: dataKey } }));
    try {
      const { run, config } = fresh();
      const r = await run(["init", "--standard", "--url", "https://arcrun.example.com", "--auth-url", auth.url, "--email", "a@example.com", "--account-id", ID, "--namespace-id", NS, "--token-env", "MY_TOKEN"], { MY_TOKEN: "cf-read-only-token" });
      assert.equal(r.code, EXIT.ok, r.stderr);
      const [req] = auth.requests;
      assert.equal(req.method, "POST");
      assert.equal(req.url, "/register");
      assert.equal(req.headers["cf-api-token"], "cf-read-only-token");
      assert.equal(req.headers.authorization, undefined, "no key yet");
      assert.deepEqual(JSON.parse(req.body), { email: "a@example.com", account_id: ID, kv_namespace_id: NS });
      const saved = JSON.parse(readFileSync(config, "utf8"));
      assert.equal(saved.api_key, apiKey);
      assert.equal(saved.data_key, dataKey);
      assert.equal(saved.auth_url, auth.url);
      const printed = r.stdout + r.stderr;
      assert.ok(!printed.includes(apiKey) && !printed.includes(dataKey) && !printed.includes("cf-read-only-token"));
    } finally {
      await auth.close();
    }
  });

  test("a malformed account id is refused before anything is sent", async () => {
    const auth = await fakeServer(() => ({ status: 500 }));
    try {
      const { run } = fresh();
      const r = await run(["init", "--standard", "--url", "https://x.example.com", "--auth-url", auth.url, "--email", "a@example.com", "--account-id", "nope", "--namespace-id", NS], { CF_KV_READ_TOKEN: "t" });
      assert.equal(r.code, EXIT.usage);
      assert.match(r.stderr, /--account-id nope is not a Cloudflare id/);
      assert.equal(auth.requests.length, 0);
    } finally {
      await auth.close();
    }
  });

  test("an auth Worker nobody answers at: exit 3 auth_unreachable", async () => {
    const { run } = fresh();
    const port = await closedPort();
    const r = await run(["init", "--standard", "--url", "https://x.example.com", "--auth-url", `http://127.0.0.1:${port}`, "--email", "a@example.com", "--account-id", ID, "--namespace-id", NS, "--json"], { CF_KV_READ_TOKEN: "t" });
    assert.equal(r.code, EXIT.unreachable, r.stderr);
    assert.equal(JSON.parse(r.stdout).error.code, "auth_unreachable");
  });
});

describe("acr keys, acr tenant without a registration", () => {
  test("no auth URL: exit 2 auth_url_missing; an auth URL but no key: not_registered", async () => {
    const { run } = fresh();
    const none = await run(["keys", "list", "--json"]);
    assert.equal(none.code, EXIT.usage);
    assert.equal(JSON.parse(none.stdout).error.code, "auth_url_missing");
    const noKey = await run(["tenant", "delete", "--yes", "--auth-url", "http://127.0.0.1:9", "--json"]);
    assert.equal(noKey.code, EXIT.usage);
    assert.equal(JSON.parse(noKey.stdout).error.code, "not_registered");
  });
});
