/**
 * `acr parts publish` end to end: the real `acr` binary against `acr dev` (workerd through
 * Miniflare, state in a temp folder). The published component then runs with `acr run`,
 * through the Worker Loader, with no restart of the server.
 */
import assert from "node:assert/strict";
import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { freePort } from "./helpers";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const bin = join(root, "packages/cli/bin/acr.mjs");
const work = mkdtempSync(join(tmpdir(), "acr-publish-"));
const stateDir = join(work, "state");

/** components/<name>/ made from a standard component: its contract renamed, its built module copied. */
function componentFolder(name: string, from: string, { build = true } = {}): void {
  const dir = join(work, "components", name);
  mkdirSync(join(dir, "build"), { recursive: true });
  const contract = readFileSync(join(root, "components", from, "contract.yaml"), "utf8").replace(/^name: .*$/m, `name: ${name}`);
  writeFileSync(join(dir, "contract.yaml"), contract);
  if (build) copyFileSync(join(root, "components", from, "build", `${from}.wasm`), join(dir, "build", `${name}.wasm`));
}
componentFolder("shout_cli", "text_case");
componentFolder("unbuilt_cli", "text_case", { build: false });
componentFolder("code", "text_case");
writeFileSync(
  join(work, "shout.yaml"),
  ["name: shout_wf", "flow:", "  - input >> ON_SUCCESS >> shout", "config:", "  shout:", "    component: shout_cli", '    text: "{{input.text}}"', "    case: upper", ""].join("\n"),
);

let port = 0;
let server: ChildProcess | undefined;
let serverOutput = "";


function env(): Record<string, string | undefined> {
  // REGISTRY_PORT 0: the registry on any free port, so a local arcrun on 8788 does not fail the test
  const base: Record<string, string | undefined> = { ...process.env, PORT: String(port), REGISTRY_PORT: "0", ARCRUN_STATE_DIR: stateDir, NO_COLOR: "1" };
  delete base.ARCRUN_API_KEY; // the CLI finds the generated key by itself
  delete base.ARCRUN_URL;
  return base;
}

function acr(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: work, env: env(), maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

before(async () => {
  const build = spawnSync(process.execPath, [join(root, "scripts/build.mjs"), "cli"], { cwd: root, encoding: "utf8" });
  assert.equal(build.status, 0, build.stderr);
  port = await freePort(18900) /* this file owns 18900-18949 */;
  server = spawn(process.execPath, [bin, "dev"], { cwd: root, env: env(), stdio: ["ignore", "pipe", "pipe"] });
  server.stdout!.on("data", (d) => (serverOutput += d));
  server.stderr!.on("data", (d) => (serverOutput += d));
  let exited = false;
  server.once("exit", () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`acr dev exited before serving:\n${serverOutput}`);
    const up = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    if (up) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}, { timeout: 180_000 });

after(async () => {
  // Ctrl-C, so acr dev stops its workerd (a SIGKILL of the node process would orphan it)
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server.kill("SIGINT");
    const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 30_000))]);
    if (!stopped) server.kill("SIGKILL");
  }
  rmSync(work, { recursive: true, force: true });
});

describe("acr parts publish", { timeout: 180_000 }, () => {
  test("publishes a built component; acr run uses it at once", async () => {
    const wasm = readFileSync(join(work, "components/shout_cli/build/shout_cli.wasm"));
    const published = await acr(["parts", "publish", "components/shout_cli"]);
    assert.equal(published.code, 0, published.stderr + published.stdout);
    assert.match(
      published.stdout,
      new RegExp(`published shout_cli@1\\.0\\.0 \\(${wasm.length} bytes, sha256 [0-9a-f]{12}\\) — use it as component: shout_cli`),
    );

    const run = await acr(["run", "shout.yaml", "--input", '{"text":"published"}', "--json"]);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.equal(JSON.parse(run.stdout).result, "PUBLISHED");
  });

  test("--json prints the server's answer; acr parts lists it as r2", async () => {
    const { code, stdout, stderr } = await acr(["parts", "publish", "components/shout_cli", "--json"]);
    assert.equal(code, 0, stderr);
    const body = JSON.parse(stdout);
    assert.equal(body.name, "shout_cli");
    assert.equal(body.source, "r2");
    assert.match(body.sha256, /^[0-9a-f]{64}$/);
    const listed = await acr(["parts", "--json"]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(JSON.parse(listed.stdout).components.find((c: { name: string }) => c.name === "shout_cli")?.source, "r2");
  });

  test("a missing module says to build first (exit 2)", async () => {
    const { code, stderr } = await acr(["parts", "publish", "components/unbuilt_cli"]);
    assert.equal(code, 2);
    assert.match(stderr, /build\/unbuilt_cli\.wasm does not exist/);
    assert.match(stderr, /acr parts build/);
  });

  test("a folder without contract.yaml, and the name of a builtin, are refused (exit 2)", async () => {
    const missing = await acr(["parts", "publish", "components/nothing_here"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /contract\.yaml does not exist/);
    const builtin = await acr(["parts", "publish", "components/code", "--json"]);
    assert.equal(builtin.code, 2);
    const error = JSON.parse(builtin.stdout).error;
    assert.equal(error.code, "component_exists");
    assert.match(error.hint, /Rename/);
  });
});
