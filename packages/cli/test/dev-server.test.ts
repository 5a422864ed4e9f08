/**
 * The local server for real: workerd through Miniflare with state in a temp folder.
 * Key generation (0600) and reuse, examples loaded (and a clear line for a broken one),
 * a restart keeps workflows and runs, a durable run cut off by the stop resumes, a taken port is a
 * clear EADDRINUSE error. Ports are ephemeral (0), so parallel test files never collide.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { createServer as createHttpServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findLocalApiKey, startDevServer, type DevServer } from "../src/dev/server";
import { acr, closedPort } from "./helpers";

const temp = mkdtempSync(join(tmpdir(), "arcrun-dev-test-"));
// the server generates its encryption key into the arcrun config: keep it out of the real ~/.arcrun
process.env.ARCRUN_CONFIG = join(temp, "config.json");
after(() => rmSync(temp, { recursive: true, force: true }));

const examplesDir = join(temp, "examples");
mkdirSync(examplesDir);
writeFileSync(
  join(examplesDir, "hello.yaml"),
  `name: hello\nflow: ["input >> ON_SUCCESS >> say"]\nconfig:\n  say:\n    component: code\n    input: "{{input}}"\n    code: "return 'hi ' + (input.who ?? 'you')"\n`,
);
writeFileSync(join(examplesDir, "broken.yaml"), `name: broken\nflow: ["input >> ON_SUCCESS >> x"]\nconfig:\n  x:\n    component: nope\n`);
// A host that accepts the request and never answers: the `slow` run waits on it until the stop.
const silent = createHttpServer(() => {});
await new Promise<void>((ok) => silent.listen(0, "127.0.0.1", ok));
after(() => {
  silent.closeAllConnections();
  silent.close();
});
writeFileSync(
  join(examplesDir, "slow.yaml"),
  `name: slow\negress: ["127.0.0.1"]\nflow: ["input >> ON_SUCCESS >> wait"]\nconfig:\n  wait:\n    component: http_request\n    url: "http://127.0.0.1:${(silent.address() as AddressInfo).port}/never"\n    limits: {timeout_ms: 60000}\n`,
);

async function call(server: DevServer, path: string, init: RequestInit = {}) {
  const res = await fetch(server.url + path, { ...init, headers: { authorization: `Bearer ${server.apiKey}`, ...init.headers } });
  return { status: res.status, body: (await res.json()) as any };
}

describe("startDevServer", () => {
  const stateDir = join(temp, "state");
  let runId = "";
  let webhookRunId = "";

  test("first start: generates a 0600 key, loads the examples, serves on loopback", async () => {
    const lines: string[] = [];
    const server = await startDevServer({ port: 0, stateDir, examplesDir, log: (l) => lines.push(l), apiKey: undefined });
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const keyFile = join(stateDir, "api-key");
      assert.equal(readFileSync(keyFile, "utf8").trim(), server.apiKey);
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      assert.ok(Buffer.from(server.apiKey, "base64url").length >= 32);
      assert.equal(findLocalApiKey(stateDir), server.apiKey);

      assert.deepEqual(server.examples.filter((e) => !e.error).map((e) => e.name), ["hello", "slow"]);
      const text = lines.join("\n");
      assert.match(text, new RegExp(server.url.replace(/[.]/g, "\\.")));
      assert.match(text, /broken\.yaml was not loaded: line \d+: .*nope/);
      assert.match(text, /api-key/);

      const health = await fetch(`${server.url}/health`);
      assert.equal(health.status, 200);
      const denied = await fetch(`${server.url}/workflows`);
      const body = (await denied.json()) as any;
      assert.equal(denied.status, 401);
      assert.match(body.error.hint, new RegExp(keyFile.replace(/[.]/g, "\\.")));

      const run = await call(server, "/q/hello?who=ada");
      assert.equal(run.body.result, "hi ada");
      runId = run.body.run_id;
      // saved in the background right after the answer: wait for it before stopping
      for (let i = 0; i < 100 && (await call(server, `/runs/${runId}`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 20));

      const workflow = await call(server, "/workflows/slow");
      const hook = await fetch(new URL(workflow.body.webhook_url).href, { method: "POST" });
      assert.equal(hook.status, 202);
      webhookRunId = ((await hook.json()) as any).run_id;
      assert.equal((await call(server, `/runs/${webhookRunId}`)).body.status, "running");
    } finally {
      await server.stop();
    }
    await server.stop(); // idempotent
  });

  test("a restart keeps the key, workflows and runs; a durable run cut off by the stop resumes", async () => {
    const lines: string[] = [];
    const server = await startDevServer({ port: 0, stateDir, examplesDir: join(temp, "no-examples"), log: (l) => lines.push(l) });
    try {
      assert.equal(server.apiKey, findLocalApiKey(stateDir));
      const list = await call(server, "/workflows");
      assert.deepEqual(list.body.workflows.map((w: { name: string }) => w.name), ["hello", "slow"]);
      const run = await call(server, `/runs/${runId}`);
      assert.equal(run.status, 200);
      assert.equal(run.body.result, "hi ada");
      // a webhook run is a Workflows instance: woken at start, it runs its unfinished node again
      const cut = await call(server, `/runs/${webhookRunId}`);
      assert.equal(cut.body.status, "running");
      assert.match(lines.join("\n"), new RegExp(`1 durable run\\(s\\) cut off by the last stop resumed from their last finished node: ${webhookRunId}`));
    } finally {
      await server.stop();
    }
  });

  test("ARCRUN_API_KEY given explicitly is used and not written to disk", async () => {
    const dir = join(temp, "explicit");
    const server = await startDevServer({ port: 0, stateDir: dir, apiKey: "my-explicit-key-123", examplesDir: join(temp, "none"), log: () => {} });
    try {
      assert.equal(server.apiKey, "my-explicit-key-123");
      assert.equal(existsSync(join(dir, "api-key")), false);
      assert.equal((await call(server, "/workflows")).status, 200);
    } finally {
      await server.stop();
    }
  });

  test("a taken port is a clear EADDRINUSE error, and nothing is left running", async () => {
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(0, "127.0.0.1", ok));
    const port = (blocker.address() as AddressInfo).port;
    try {
      await assert.rejects(startDevServer({ port, stateDir: join(temp, "taken"), log: () => {} }), (err: NodeJS.ErrnoException) => {
        assert.equal(err.code, "EADDRINUSE");
        assert.match(err.message, new RegExp(`Port ${port} .*already in use.*PORT=`));
        return true;
      });
    } finally {
      blocker.close();
    }
  });

  test("acr dev names the registry's port and REGISTRY_PORT when that is the one taken", async () => {
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(0, "127.0.0.1", ok));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const { code, stderr } = await acr(["dev"], { env: { PORT: String(await closedPort()), REGISTRY_PORT: String(taken), ARCRUN_STATE_DIR: join(temp, "registry-taken"), ARCRUN_CONFIG: process.env.ARCRUN_CONFIG! } });
      assert.equal(code, 2, stderr);
      assert.match(stderr, new RegExp(`port ${taken} \\(the registry\\) is already in use`));
      assert.match(stderr, new RegExp(`REGISTRY_PORT=${taken + 1} npm start`));
      assert.doesNotMatch(stderr, /port 8787/);
    } finally {
      blocker.close();
    }
  });
});
