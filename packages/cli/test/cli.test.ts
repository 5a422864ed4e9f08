/** Argument parsing, usage errors, --help/--version, --input sources and server/key settings. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { EXIT } from "../src/exit";
import { readInput } from "../src/input";
import { findLocalApiKeyFile, isLoopback, resolveServerSettings } from "../src/settings";
import { classifyTarget } from "../src/workflow-file";
import { acr, fakeIO } from "./helpers";

describe("usage errors exit 2 and say what to do", () => {
  for (const [argv, pattern] of [
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["runn", "x.yaml"], /Did you mean run\?/],
    [["run"], /missing required argument 'workflow'/],
    [["list", "--bogus"], /unknown option '--bogus'/],
    [["logs", "--limit", "zero"], /expected a whole number from 1 to 500/],
    [["logs", "--status", "weird"], /Allowed choices are running, waiting, succeeded, failed/],
    [["push", "a.yaml", "b.yaml"], /too many arguments/],
    [["dev", "--port", "99999"], /expected a port number/],
    [["--url", "not a url", "list"], /"not a url" is not a server URL/],
  ] as const) {
    test(`acr ${argv.join(" ")}`, async () => {
      const { code, stderr, stdout } = await acr([...argv]);
      assert.equal(code, EXIT.usage);
      assert.match(stderr, pattern);
      assert.equal(stdout, "");
      assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
    });
  }

  test("no command at all shows the help on stderr and exits 2", async () => {
    const { code, stderr } = await acr([]);
    assert.equal(code, EXIT.usage);
    assert.match(stderr, /Usage: acr/);
  });
});

describe("help and version", () => {
  test("--version prints the package version and exits 0", async () => {
    const { code, stdout } = await acr(["--version"]);
    assert.equal(code, 0);
    assert.match(stdout, /^\d+\.\d+\.\d+\n$/);
  });

  test("the top-level help lists the commands and the exit codes", async () => {
    const { code, stdout } = await acr(["--help"]);
    assert.equal(code, 0);
    for (const name of ["dev", "run", "validate", "push", "list", "logs"]) assert.match(stdout, new RegExp(`\\n  ${name}`));
    assert.match(stdout, /3 +server unreachable/);
  });

  for (const name of ["dev", "run", "validate", "push", "list", "logs"]) {
    test(`acr ${name} --help has examples`, async () => {
      const { code, stdout } = await acr([name, "--help"]);
      assert.equal(code, 0);
      assert.match(stdout, new RegExp(`Usage: acr ${name}`));
      assert.match(stdout, new RegExp(`Examples:\\n {2}\\$ (\\S+=\\S+ )?acr ${name}`));
    });
  }
});

describe("--input", () => {
  const dir = mkdtempSync(join(tmpdir(), "acr-input-"));
  writeFileSync(join(dir, "payload.json"), '{"email":"ada@example.com"}');
  writeFileSync(join(dir, "broken.json"), "{email: 1}");

  test("inline JSON, @file and - (stdin); nothing means {}", async () => {
    const io = fakeIO({ cwd: dir, readStdin: async () => "[1,2]" });
    assert.deepEqual(await readInput('{"a":1}', io), { a: 1 });
    assert.deepEqual(await readInput("@payload.json", io), { email: "ada@example.com" });
    assert.deepEqual(await readInput("-", io), [1, 2]);
    assert.deepEqual(await readInput(undefined, io), {});
    assert.equal(await readInput("42", io), 42);
  });

  test("malformed JSON is a usage error carrying the parser's message", async () => {
    const io = fakeIO({ cwd: dir });
    await assert.rejects(readInput("{a:1}", io), (e: Error & { exitCode: number; hint: string }) => {
      assert.equal(e.exitCode, 2);
      assert.match(e.message, /^--input is not valid JSON: .*property name/i);
      assert.match(e.hint, /quote the JSON/);
      return true;
    });
    await assert.rejects(readInput("@broken.json", io), /broken\.json is not valid JSON/);
    await assert.rejects(readInput("@missing.json", io), /cannot read the input file missing\.json: ENOENT/);
  });

  test("through the command line: bad JSON exits 2 before any request", async () => {
    writeFileSync(join(dir, "wf.yaml"), "name: x\n");
    let fetched = false;
    const { code, stderr } = await acr(["run", "wf.yaml", "--input", "{nope"], {
      cwd: dir,
      fetch: (async () => {
        fetched = true;
        throw new Error("no");
      }) as typeof fetch,
    });
    assert.equal(code, 2);
    assert.match(stderr, /error: --input is not valid JSON/);
    assert.match(stderr, /hint: quote the JSON/);
    assert.equal(fetched, false);
  });
});

describe("run target: file or stored workflow name", () => {
  test("paths and YAML names are files; [a-z0-9_]+ is a name; anything else is a usage error", () => {
    assert.equal(classifyTarget("examples/hello.yaml", "/nonexistent").kind, "file");
    assert.equal(classifyTarget("hello.yml", "/nonexistent").kind, "file");
    assert.equal(classifyTarget("signup_alert", "/nonexistent").kind, "name");
    assert.throws(() => classifyTarget("Signup Alert", "/nonexistent"), /neither a workflow file nor a workflow name/);
  });

  test("a missing file exits 2 and names it", async () => {
    const { code, stderr } = await acr(["run", "nowhere/hello.yaml"], { cwd: tmpdir() });
    assert.equal(code, 2);
    assert.match(stderr, /no such file: nowhere\/hello\.yaml/);
  });
});

describe("server settings", () => {
  test("--url beats ARCRUN_URL beats PORT beats 8787", () => {
    assert.equal(resolveServerSettings({}, {}, "/").url, "http://127.0.0.1:8787");
    assert.equal(resolveServerSettings({}, { PORT: "9000" }, "/").url, "http://127.0.0.1:9000");
    assert.equal(resolveServerSettings({}, { PORT: "9000", ARCRUN_URL: "https://a.example/" }, "/").url, "https://a.example");
    assert.equal(resolveServerSettings({ url: "http://localhost:1" }, { ARCRUN_URL: "https://a.example" }, "/").url, "http://localhost:1");
  });

  test("ARCRUN_API_KEY wins; else the local server's key file, found from the cwd upwards", () => {
    const project = mkdtempSync(join(tmpdir(), "acr-key-"));
    mkdirSync(join(project, ".arcrun"));
    mkdirSync(join(project, "deep/er"), { recursive: true });
    writeFileSync(join(project, ".arcrun/api-key"), "local-key\n");
    const fromFile = resolveServerSettings({}, {}, join(project, "deep/er"));
    assert.equal(fromFile.apiKey, "local-key");
    assert.equal(fromFile.apiKeySource, join(project, ".arcrun/api-key"));
    assert.equal(resolveServerSettings({}, { ARCRUN_API_KEY: "env-key" }, project).apiKey, "env-key");
  });

  test("ARCRUN_STATE_DIR points at the key's folder (relative to the cwd)", () => {
    const project = mkdtempSync(join(tmpdir(), "acr-state-"));
    mkdirSync(join(project, "state"));
    writeFileSync(join(project, "state/api-key"), "k2");
    assert.deepEqual(findLocalApiKeyFile("state", project), { key: "k2", path: join(project, "state/api-key") });
    assert.equal(findLocalApiKeyFile("elsewhere", project), undefined);
  });

  test("the local key is never sent to a remote server", () => {
    const project = mkdtempSync(join(tmpdir(), "acr-remote-"));
    mkdirSync(join(project, ".arcrun"));
    writeFileSync(join(project, ".arcrun/api-key"), "local-key");
    assert.equal(resolveServerSettings({ url: "https://arcrun.example.com" }, {}, project).apiKey, undefined);
    assert.equal(resolveServerSettings({ url: "http://localhost:8787" }, {}, project).apiKey, "local-key");
    assert.equal(isLoopback("http://[::1]:8787"), true);
    assert.equal(isLoopback("http://10.0.0.1:8787"), false);
  });
});
