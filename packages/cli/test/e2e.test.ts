/**
 * End to end: the real `acr` binary against a real local server started with `acr dev`
 * (workerd through Miniflare), state in a temp folder, key found by the CLI on its own.
 */
import assert from "node:assert/strict";
import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { freePort } from "./helpers";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const bin = join(root, "packages/cli/bin/acr.mjs");
const work = mkdtempSync(join(tmpdir(), "acr-e2e-"));
const stateDir = join(work, "state");

writeFileSync(
  join(work, "hello.yaml"),
  [
    "name: e2e_hello",
    "description: greets",
    "flow:",
    "  - input >> ON_SUCCESS >> greet",
    "config:",
    "  greet:",
    "    component: code",
    '    code: "return { greeting: \'hi \' + input.name }"',
    '    input: "{{input}}"',
    "",
  ].join("\n"),
);
writeFileSync(
  join(work, "fail.yaml"),
  ["name: e2e_fail", "flow:", "  - input >> ON_SUCCESS >> boom", "config:", "  boom:", "    component: code", '    code: "throw new Error(\'kaput\')"', ""].join("\n"),
);
writeFileSync(join(work, "invalid.yaml"), ["name: e2e_invalid", "flow:", "  - input >> ON_SUCCESS >> nowhere", "config: {}", ""].join("\n"));

let port = 0;
let server: ChildProcess | undefined;
let serverOutput = "";


function env(extra: Record<string, string> = {}) {
  // REGISTRY_PORT 0: the registry on any free port, so a local arcrun on 8788 does not fail the test
  const base: Record<string, string | undefined> = { ...process.env, PORT: String(port), REGISTRY_PORT: "0", ARCRUN_STATE_DIR: stateDir, NO_COLOR: "1" };
  delete base.ARCRUN_API_KEY; // the CLI must find the generated key by itself
  delete base.ARCRUN_URL;
  return { ...base, ...extra };
}

function acr(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: work, env: env(), maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function waitForHealth(child: ChildProcess): Promise<void> {
  let exited = false;
  child.once("exit", () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`acr dev exited before serving:\n${serverOutput}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

before(async () => {
  const build = spawnSync(process.execPath, [join(root, "scripts/build.mjs"), "cli"], { cwd: root, encoding: "utf8" });
  assert.equal(build.status, 0, build.stderr);
  port = await freePort(18800) /* this file owns 18800-18849 */;
  server = spawn(process.execPath, [bin, "dev"], { cwd: root, env: env(), stdio: ["ignore", "pipe", "pipe"] });
  server.stdout!.on("data", (d) => (serverOutput += d));
  server.stderr!.on("data", (d) => (serverOutput += d));
  await waitForHealth(server);
}, { timeout: 180_000 });

after(() => {
  if (server && server.exitCode === null) server.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
});

describe("acr against a local server", { timeout: 180_000 }, () => {
  let runId = "";

  test("acr run <file> --json prints the run record", async () => {
    const { code, stdout, stderr } = await acr(["run", "hello.yaml", "--input", '{"name":"Ada"}', "--json"]);
    assert.equal(code, 0, stderr);
    const run = JSON.parse(stdout);
    assert.equal(run.status, "succeeded");
    assert.equal(run.workflow, "e2e_hello");
    assert.deepEqual(run.result, { greeting: "hi Ada" });
    assert.deepEqual(run.nodes.map((n: { node: string; status: string }) => [n.node, n.status]), [["greet", "succeeded"]]);
    runId = run.run_id;
    assert.ok(runId);
  });

  test("examples/hello.yaml runs; every example passes acr validate", async () => {
    const { code, stdout, stderr } = await acr(["run", join(root, "examples/hello.yaml"), "--input", '{"who":"Ada"}', "--json"]);
    assert.equal(code, 0, stderr);
    const run = JSON.parse(stdout);
    assert.equal(run.status, "succeeded");
    assert.equal(run.result.message, "Hello, Ada!");
    const examples = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".yaml") && !f.endsWith(".test.yaml")).map((f) => join(root, "examples", f));
    assert.ok(examples.length > 0);
    const validated = await acr(["validate", "--offline", ...examples]);
    assert.equal(validated.code, 0, validated.stdout + validated.stderr);
  });

  test("the examples are loaded at start: list shows them, run by name works", async () => {
    const listed = await acr(["list", "--json"]);
    assert.equal(listed.code, 0);
    assert.ok(JSON.parse(listed.stdout).workflows.some((w: { name: string }) => w.name === "hello"));
    const { code, stdout } = await acr(["run", "hello", "--input", '{"who":"Bo"}']);
    assert.equal(code, 0);
    assert.match(stdout, /✓ greet +code/);
    assert.match(stdout, /"message": "Hello, Bo!"/);
  });

  test("acr run <file> prints a per-node trace", async () => {
    const { code, stdout } = await acr(["run", "hello.yaml", "--input", '{"name":"Bo"}']);
    assert.equal(code, 0);
    assert.match(stdout, /✓ greet +code +/);
    assert.match(stdout, /"greeting": "hi Bo"/);
    assert.match(stdout, /✓ succeeded · run \S+ · /);
  });

  test("a failing workflow exits 1 and shows the error", async () => {
    const { code, stdout } = await acr(["run", "fail.yaml"]);
    assert.equal(code, 1);
    assert.match(stdout, /✗ boom +code/);
    assert.match(stdout, /kaput/);
    const json = await acr(["run", "fail.yaml", "--json"]);
    assert.equal(json.code, 1);
    assert.equal(JSON.parse(json.stdout).status, "failed");
  });

  test("an invalid workflow exits 2 with its issues", async () => {
    const { code, stderr } = await acr(["run", "invalid.yaml"]);
    assert.equal(code, 2);
    assert.match(stderr, /invalid\.yaml:3:\d+ {2}nowhere/);
  });

  test("push, then list and run it by name", async () => {
    const pushed = await acr(["push", "hello.yaml"]);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(pushed.stdout, /✓ pushed e2e_hello/);
    assert.match(pushed.stdout, new RegExp(`webhook {2}http://127\\.0\\.0\\.1:${port}/\\S+`));
    const listed = await acr(["list", "--json"]);
    assert.equal(listed.code, 0);
    assert.match(listed.stdout, /"e2e_hello"/);
    const byName = await acr(["run", "e2e_hello", "--input", '{"name":"Cy"}', "--json"]);
    assert.equal(byName.code, 0, byName.stderr);
    assert.deepEqual(JSON.parse(byName.stdout).result, { greeting: "hi Cy" });
  });

  test("logs lists runs and shows one run's trace", async () => {
    const all = await acr(["logs", "--json"]);
    assert.equal(all.code, 0);
    assert.ok(all.stdout.includes(runId), "the first run is listed");
    const one = await acr(["logs", "--run", runId]);
    assert.equal(one.code, 0);
    assert.match(one.stdout, /✓ greet +code/);
    const failed = await acr(["logs", "e2e_fail", "--status", "failed"]);
    assert.equal(failed.code, 0);
    assert.match(failed.stdout, /e2e_fail +failed/);
  });

  test("Ctrl-C stops the server cleanly; then the CLI says it is unreachable (exit 3)", async () => {
    const exited = new Promise<number | null>((resolve) => server!.once("exit", (code) => resolve(code)));
    server!.kill("SIGINT");
    assert.equal(await exited, 0, serverOutput);
    assert.match(serverOutput, /stopped/);
    const { code, stderr } = await acr(["list"]);
    assert.equal(code, 3);
    assert.match(stderr, /npm start/);
  });
});

test("a reader that closes the pipe early (acr --help | head -1) ends acr quietly with exit 0", async () => {
  const child = spawn(process.execPath, [bin, "--help"], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  child.stdout.destroy(); // the reader is gone before acr writes: its writes meet a closed pipe
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /EPIPE|Unhandled|at /);
});
