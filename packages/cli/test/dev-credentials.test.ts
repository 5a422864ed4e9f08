/**
 * Credentials with the real local server (`npm start` = startDevServer in workerd): the key is
 * generated into the arcrun config on first start, `acr creds push` seals with it, and
 * `acr creds rotate-key` finishes without a restart because the server follows the config.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startDevServer, type DevServer } from "../src/dev/server";
import { acr } from "./helpers";

const UPSTREAM_PORT = 18860;
const temp = mkdtempSync(join(tmpdir(), "acr-dev-creds-"));
const configFile = join(temp, "home", "config.json");
process.env.ARCRUN_CONFIG = configFile;
delete process.env.ARCRUN_ENCRYPTION_KEY;

const seen: IncomingHttpHeaders[] = [];
const upstream = createServer((req, res) => {
  seen.push(req.headers);
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ ok: true }));
});

let server: DevServer;
const lines: string[] = [];
const run = (argv: string[]) => acr(argv, { cwd: temp, env: { ARCRUN_URL: server.url, ARCRUN_API_KEY: server.apiKey, ARCRUN_CONFIG: configFile } });
const query = async () => {
  const res = await fetch(`${server.url}/webhooks/named/uses_token/query`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
    body: "{}",
  });
  return (await res.json()) as { status: string; nodes: { error: unknown }[] };
};

before(async () => {
  await new Promise<void>((resolve) => upstream.listen(UPSTREAM_PORT, "127.0.0.1", resolve));
  server = await startDevServer({ port: 0, stateDir: join(temp, "state"), examplesDir: join(temp, "no-examples"), log: (l) => lines.push(l) });
});
after(async () => {
  await server?.stop();
  await new Promise((resolve) => upstream.close(resolve));
  rmSync(temp, { recursive: true, force: true });
});

describe("credentials on the local server", () => {
  test("first start generates the key into the config; push, use, rotate without a restart", async () => {
    const generated = JSON.parse(readFileSync(configFile, "utf8")).encryption_key;
    assert.equal(Buffer.from(generated, "base64").length, 32);
    assert.match(lines.join("\n"), new RegExp(`credentials: encryption key \\S+ from ${configFile.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(generated now\\)`));

    writeFileSync(join(temp, "credentials.yaml"), "api_token: local-secret-123\n");
    const pushed = await run(["creds", "push"]);
    assert.equal(pushed.code, 0, pushed.stderr);
    const workflow = `name: uses_token\negress: ["127.0.0.1:${UPSTREAM_PORT}"]\nflow: ["input >> ON_SUCCESS >> call"]\nconfig:\n  call:\n    component: http_request\n    url: "http://127.0.0.1:${UPSTREAM_PORT}/"\n    headers: {X-Token: "{{credential.api_token}}"}\n`;
    writeFileSync(join(temp, "uses_token.yaml"), workflow);
    assert.equal((await run(["push", "uses_token.yaml"])).code, 0);
    assert.equal((await query()).status, "succeeded");

    const rotated = await run(["creds", "rotate-key"]);
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.match(rotated.stdout, /rotated 1 credential to key/);
    const config = JSON.parse(readFileSync(configFile, "utf8"));
    assert.notEqual(config.encryption_key, generated);
    assert.deepEqual(Object.keys(config).sort(), ["encryption_key", "mode"]);
    assert.match(lines.join("\n"), /credentials: now using encryption key/);
    const after = await query();
    assert.equal(after.status, "succeeded", JSON.stringify(after.nodes));
    assert.deepEqual(seen.map((h) => h["x-token"]), ["local-secret-123", "local-secret-123"]);
  });
});
