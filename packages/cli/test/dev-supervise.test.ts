/**
 * The local server is supervised and keeps what users changed, for real: `kill -9` of the
 * workerd child is noticed, workerd starts again on the same port and state (the run in
 * flight ends `failed` / `interrupted` with the node traces it had), and examples never
 * replace a workflow the user pushed under an example's name — only an earlier version of
 * the example itself.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDevServer, type DevServer } from "../src/dev/server";

const temp = mkdtempSync(join(tmpdir(), "arcrun-supervise-test-"));
process.env.ARCRUN_CONFIG = join(temp, "config.json");
after(() => rmSync(temp, { recursive: true, force: true }));

const silent = createHttpServer(() => {});
await new Promise<void>((ok) => silent.listen(0, "127.0.0.1", ok));
after(() => {
  silent.closeAllConnections();
  silent.close();
});

const examplesDir = join(temp, "examples");
mkdirSync(examplesDir);
const hello = (greeting: string) => `name: hello\nflow: ["input >> ON_SUCCESS >> say"]\nconfig:\n  say:\n    component: code\n    code: "return '${greeting}'"\n`;
writeFileSync(join(examplesDir, "hello.yaml"), hello("example v1"));
writeFileSync(
  join(examplesDir, "slow.yaml"),
  `name: slow\negress: ["127.0.0.1"]\nflow: ["input >> ON_SUCCESS >> first", "first >> ON_SUCCESS >> wait"]\nconfig:\n  first:\n    component: code\n    code: "return 1"\n  wait:\n    component: http_request\n    url: "http://127.0.0.1:${(silent.address() as AddressInfo).port}/never"\n    limits: {timeout_ms: 60000}\n`,
);

async function call(server: DevServer, path: string, init: RequestInit = {}) {
  const res = await fetch(server.url + path, { ...init, headers: { authorization: `Bearer ${server.apiKey}`, ...init.headers } });
  return { status: res.status, body: (await res.json()) as any };
}

/** the workerd process this test process started (Miniflare spawns it as our child) */
function workerdChildren(): number[] {
  const out = execFileSync("ps", ["-o", "pid=,comm=", "--ppid", String(process.pid)], { encoding: "utf8" });
  return out.split("\n").map((l) => l.trim().split(/\s+/)).filter(([, comm]) => comm === "workerd").map(([pid]) => Number(pid));
}

async function until<T>(check: () => Promise<T | undefined>, what: string, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("supervised dev server", () => {
  const stateDir = join(temp, "state");

  test("kill -9 of workerd: noticed, started again on the same port, the run in flight ends interrupted with its traces", async () => {
    const lines: string[] = [];
    const server = await startDevServer({ port: 0, stateDir, examplesDir, log: (l) => lines.push(l) });
    try {
      const workflow = await call(server, "/workflows/slow");
      const hook = await fetch(workflow.body.webhook_url, { method: "POST" });
      const { run_id } = (await hook.json()) as { run_id: string };
      await until(async () => ((await call(server, `/runs/${run_id}`)).body.nodes.length === 1 ? true : undefined), "the first node recorded", 10_000);

      const [pid] = workerdChildren();
      assert.ok(pid, "a workerd child process");
      const killedAt = Date.now();
      process.kill(pid, "SIGKILL");
      await until(async () => ((await fetch(`${server.url}/health`)).status === 200 ? true : undefined), "/health after the restart", 20_000);
      const downMs = Date.now() - killedAt;
      assert.ok(downMs < 20_000);
      assert.notDeepEqual(workerdChildren(), [pid], "a new workerd");
      // /health answers as soon as the new workerd listens; the launcher then closes the old runs
      await until(async () => (lines.some((l) => /workerd started again/.test(l)) ? true : undefined), "the restart to complete", 10_000);
      const text = lines.join("\n");
      assert.match(text, /workerd stopped answering/);
      assert.match(text, /workerd started again/);
      assert.match(text, /1 run\(s\) left running/);

      const { body: cut } = await call(server, `/runs/${run_id}`);
      assert.equal(cut.status, "failed");
      assert.equal(cut.error.code, "interrupted");
      assert.deepEqual(cut.nodes.map((n: { node: string }) => n.node), ["first"]);
      assert.ok(cut.duration_ms > 0);
      // the same server keeps serving: a new run works
      assert.equal((await call(server, "/q/hello")).body.result, "example v1");
      console.log(`# /health answered again ${downMs} ms after kill -9`);
    } finally {
      await server.stop();
    }
  });

  test("restarts update an example's own earlier version, and keep a workflow the user pushed under its name", async () => {
    writeFileSync(join(examplesDir, "hello.yaml"), hello("example v2"));
    let server = await startDevServer({ port: 0, stateDir, examplesDir, log: () => {} });
    try {
      assert.equal((await call(server, "/q/hello")).body.result, "example v2", "the example's new version replaced its old one");
      const pushed = await call(server, "/workflows", { method: "POST", headers: { "content-type": "text/yaml" }, body: hello("mine") });
      assert.equal(pushed.status, 200);
    } finally {
      await server.stop();
    }
    const lines: string[] = [];
    server = await startDevServer({ port: 0, stateDir, examplesDir, log: (l) => lines.push(l) });
    try {
      assert.equal((await call(server, "/q/hello")).body.result, "mine", "the user's hello survived the restart");
      assert.deepEqual(server.examples.find((e) => e.name === "hello")?.kept, true);
      assert.match(lines.join("\n"), /kept your own hello/);
    } finally {
      await server.stop();
    }
  });
});
