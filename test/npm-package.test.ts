/**
 * The `arcrun` npm package (issue 16 § 1): `npm pack` of packages/cli gives a tarball within the
 * 5 MB budget that, installed with `npm install <tgz>` into an empty folder outside the checkout,
 * is a working `acr` with no access to this repository: --version, `acr dev` + /health (the
 * prebuilt Worker bundles and examples it ships), `acr run` of a workflow written there, and
 * `acr parts scaffold | build | test` (the AssemblyScript toolchain and the meter as dependencies).
 *
 * It packs the current build (`--ignore-scripts`: the package's prepack runs the full build, which
 * would rewrite dist/ folders other test processes are reading; run `npm run build` first).
 * Third-party dependencies come from the npm registry through npm's cache (`--prefer-offline`).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..");
const cli = join(root, "packages/cli");
const BUDGET_BYTES = 5 * 1024 * 1024;

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer().once("error", fail).listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

describe("the arcrun npm package, installed from its tarball outside the checkout", () => {
  let base: string;
  /** the app folder the package is installed into */
  let work: string;
  let tarball: string;
  let acr: string;
  let env: NodeJS.ProcessEnv;
  let dev: ChildProcess | undefined;

  before(async () => {
    assert.ok(existsSync(join(cli, "dist/workers/executor/worker.js")), "packages/cli/dist has no Worker bundles: run `npm run build` first");
    base = mkdtempSync(join(tmpdir(), "arcrun-npm-"));
    assert.ok(!base.startsWith(root), "the install folder must be outside the checkout");
    const packed = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", base], { cwd: cli, maxBuffer: 16 * 1024 * 1024 });
    const [info] = JSON.parse(packed.stdout) as { filename: string; size: number; unpackedSize: number; entryCount: number; files: { path: string }[] }[];
    tarball = join(base, info.filename);
    const bytes = statSync(tarball).size;
    console.log(`arcrun tarball: ${(bytes / 1024 / 1024).toFixed(2)} MB packed (budget 5 MB), ${(info.unpackedSize / 1024 / 1024).toFixed(2)} MB unpacked, ${info.entryCount} files`);
    assert.ok(bytes <= BUDGET_BYTES, `tarball is ${bytes} bytes, over the 5 MB budget`);
    const paths = info.files.map((f) => f.path);
    assert.ok(!paths.some((p) => p.endsWith(".map")), "no source maps in the package");
    for (const needed of ["bin/acr.mjs", "dist/acr.mjs", "dist/workers/executor/worker.js", "dist/workers/registry/worker.js", "dist/examples/hello.yaml", "dist/migrations/executor/0001_runs.sql", "dist/toolchain/lib/@arcrun/component-sdk/assembly/index.ts"]) {
      assert.ok(paths.includes(needed), `${needed} is not in the tarball`);
    }
    const manifest = JSON.parse(readFileSync(join(cli, "package.json"), "utf8"));
    const registryDeps = Object.keys(manifest.dependencies ?? {});
    assert.deepEqual(registryDeps.filter((d) => d.startsWith("@arcrun/")), [], "workspace packages are bundled, never required from the registry");

    const app = join(base, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "arcrun-install-check", private: true }));
    const started = performance.now();
    await run("npm", ["install", tarball, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: app, maxBuffer: 16 * 1024 * 1024 });
    console.log(`npm install <tgz>: ${Math.round(performance.now() - started)} ms`);
    acr = join(app, "node_modules/.bin/acr");
    // nothing of this machine's arcrun setup, and no tsx loader from the test runner
    env = { ...process.env, HOME: base, ARCRUN_CONFIG: join(base, "config.json"), NODE_OPTIONS: "" };
    for (const name of ["ARCRUN_STATE_DIR", "ARCRUN_URL", "ARCRUN_API_KEY", "PORT", "REGISTRY_PORT"]) delete env[name];
    work = app;
  });

  after(async () => {
    if (dev && dev.exitCode === null) {
      dev.kill("SIGINT");
      await new Promise((ok) => dev!.once("exit", ok));
    }
    if (base) rmSync(base, { recursive: true, force: true });
  });

  test("acr --version (also through npx) prints the package version; an old Node is told so first", async () => {
    const version = JSON.parse(readFileSync(join(cli, "package.json"), "utf8")).version;
    const { stdout } = await run(acr, ["--version"], { cwd: work, env });
    assert.equal(stdout.trim(), version);
    const npx = await run("npx", ["--no-install", "arcrun", "--version"], { cwd: work, env });
    assert.equal(npx.stdout.trim(), version);
    // Node 18 pretended: the bin refuses before loading anything that needs Node 20
    const old = await run(process.execPath, ["--import", 'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"18.19.0"})', acr, "--version"], { cwd: work, env }).catch((error) => error);
    assert.equal(old.code, 2);
    assert.match(old.stderr, /arcrun needs Node.js 20.3 or newer; this is Node 18.19.0/);
  });

  test("acr dev serves /health with the shipped bundles and examples; acr run runs a workflow written here", async () => {
    const [port, registryPort] = [await freePort(), await freePort()];
    const devEnv = { ...env, PORT: String(port), REGISTRY_PORT: String(registryPort) };
    dev = spawn(acr, ["dev"], { cwd: work, env: devEnv, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    dev.stdout!.on("data", (chunk) => (output += chunk));
    dev.stderr!.on("data", (chunk) => (output += chunk));
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`acr dev did not get ready in 60 s:\n${output}`)), 60_000);
      const check = () => {
        if (output.includes("ready at")) return clearTimeout(timer), ok();
        if (dev!.exitCode !== null) return clearTimeout(timer), fail(new Error(`acr dev exited ${dev!.exitCode}:\n${output}`));
      };
      dev!.stdout!.on("data", check);
      dev!.once("exit", check);
    });
    // the bundles and the examples come from the installed package, not from this checkout
    assert.match(output, /examples: \d+ loaded from .*node_modules\/arcrun\/dist\/examples: .*hello/);
    assert.ok(!output.includes(root), `acr dev used the checkout:\n${output}`);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { ok: boolean }).ok, true);

    writeFileSync(
      join(work, "shout.yaml"),
      ["name: shout", "flow:", '  - "input >> ON_SUCCESS >> loud"', "config:", "  loud:", "    component: text_case", '    text: "hello {{input.who}}"', "    case: upper", ""].join("\n"),
    );
    const result = await run(acr, ["run", "shout.yaml", "--input", '{"who": "ada"}', "--json"], { cwd: work, env: devEnv });
    const record = JSON.parse(result.stdout) as { status: string; result: unknown };
    assert.equal(record.status, "succeeded");
    assert.equal(record.result, "HELLO ADA");

    dev.kill("SIGINT");
    const code = await new Promise((ok) => dev!.once("exit", ok));
    assert.equal(code, 0, output);
  });

  test("acr parts scaffold | build | test work in a folder of their own", async () => {
    const project = mkdtempSync(join(work, "parts-"));
    await run(acr, ["parts", "scaffold", "slugify"], { cwd: project, env });
    const built = await run(acr, ["parts", "build"], { cwd: project, env });
    assert.match(built.stderr, /slugify\s+[\d.]+ KB\s+built \(assemblyscript/);
    assert.ok(existsSync(join(project, "components/slugify/build/slugify.wasm")));
    assert.ok(!existsSync(join(project, "packages")), "a project build writes no executor bundle list");
    const tested = await run(acr, ["parts", "test", "slugify", "--json"], { cwd: project, env });
    const summary = JSON.parse(tested.stdout) as { passed: number; failed: number };
    assert.equal(summary.failed, 0);
    assert.ok(summary.passed >= 4, tested.stdout);
  });
});
