/**
 * The local server is supervised and keeps what users changed, for real: `kill -9` of the
 * workerd child is noticed, workerd starts again on the same port and state, and a durable
 * (webhook) run in flight continues from its first unfinished node and ends `succeeded`
 * without running its finished nodes again (a sleeping run wakes too); a run that was not
 * durable ends `failed` / `interrupted`. Examples never replace a workflow the user pushed
 * under an example's name — only an earlier version of the example itself.
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

// /slow answers after 6 s (long enough to kill workerd meanwhile); every path counts its calls
const hits: Record<string, number> = {};
const upstream = createHttpServer((req, res) => {
  const path = req.url ?? "";
  hits[path] = (hits[path] ?? 0) + 1;
  if (path === "/slow") setTimeout(() => res.end(JSON.stringify({ slow: hits[path] })), 6000);
  else res.end(JSON.stringify({ path }));
});
await new Promise<void>((ok) => upstream.listen(0, "127.0.0.1", ok));
after(() => {
  upstream.closeAllConnections();
  upstream.close();
});
const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

const examplesDir = join(temp, "examples");
mkdirSync(examplesDir);
const hello = (greeting: string) => `name: hello\nflow: ["input >> ON_SUCCESS >> say"]\nconfig:\n  say:\n    component: code\n    code: "return '${greeting}'"\n`;
writeFileSync(join(examplesDir, "hello.yaml"), hello("example v1"));
writeFileSync(
  join(examplesDir, "slow.yaml"),
  `name: slow
egress: ["127.0.0.1"]
flow: ["input >> ON_SUCCESS >> first", "first >> ON_SUCCESS >> slow", "slow >> ON_SUCCESS >> last"]
config:
  first: {component: http_request, url: "${upstreamUrl}/first"}
  slow: {component: http_request, url: "${upstreamUrl}/slow", limits: {timeout_ms: 60000}}
  last: {component: http_request, url: "${upstreamUrl}/last"}
`,
);
writeFileSync(
  join(examplesDir, "nap.yaml"),
  `name: nap\nflow: ["input >> ON_SUCCESS >> nap", "nap >> ON_SUCCESS >> done"]\nconfig:\n  nap: {component: wait, for: "5s"}\n  done: {component: code, code: "return 'rested'"}\n`,
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

  test("kill -9 of workerd: noticed, started again on the same port; the durable run in flight resumes from its first unfinished node and succeeds", async () => {
    const lines: string[] = [];
    const server = await startDevServer({ port: 0, stateDir, examplesDir, log: (l) => lines.push(l) });
    try {
      const hook = async (name: string) => {
        const workflow = await call(server, `/workflows/${name}`);
        const res = await fetch(workflow.body.webhook_url, { method: "POST" });
        return ((await res.json()) as { run_id: string }).run_id;
      };
      const runId = await hook("slow");
      const napId = await hook("nap");
      await until(async () => (hits["/slow"] === 1 && (await call(server, `/runs/${runId}`)).body.nodes.length === 1 ? true : undefined), "the first node recorded and the slow call under way", 10_000);
      await until(async () => ((await call(server, `/runs/${napId}`)).body.status === "waiting" ? true : undefined), "the nap run waiting", 10_000);

      const [pid] = workerdChildren();
      assert.ok(pid, "a workerd child process");
      const killedAt = Date.now();
      process.kill(pid, "SIGKILL");
      await until(async () => ((await fetch(`${server.url}/health`)).status === 200 ? true : undefined), "/health after the restart", 20_000);
      const downMs = Date.now() - killedAt;
      assert.ok(downMs < 20_000);
      assert.notDeepEqual(workerdChildren(), [pid], "a new workerd");
      await until(async () => (lines.some((l) => /workerd started again/.test(l)) ? true : undefined), "the restart to complete", 10_000);
      const text = lines.join("\n");
      assert.match(text, /workerd stopped answering/);
      assert.match(text, /2 durable run\(s\) cut off by the last stop resumed/);

      const done = await until(async () => {
        const { body } = await call(server, `/runs/${runId}`);
        return body.status === "running" ? undefined : body;
      }, "the resumed run to finish", 30_000);
      assert.equal(done.status, "succeeded", JSON.stringify(done));
      assert.deepEqual(done.nodes.map((n: { node: string; status: string }) => [n.node, n.status]), [["first", "succeeded"], ["slow", "succeeded"], ["last", "succeeded"]]);
      // the finished node ran once; the one cut off ran again; the rest once
      assert.deepEqual({ first: hits["/first"], slow: hits["/slow"], last: hits["/last"] }, { first: 1, slow: 2, last: 1 });
      assert.ok(done.duration_ms >= downMs, "the duration spans the restart");
      const nap = await until(async () => {
        const { body } = await call(server, `/runs/${napId}`);
        return body.status === "succeeded" ? body : undefined;
      }, "the nap run to wake and finish", 20_000);
      assert.equal(nap.result, "rested");
      // the same server keeps serving: a new run works
      assert.equal((await call(server, "/q/hello")).body.result, "example v1");
      console.log(`# /health answered again ${downMs} ms after kill -9; the run resumed and ended succeeded`);
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
