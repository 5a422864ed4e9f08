/** `acr run --rerun <run_id> [--from <node>] [--current]` against a stand-in executor: the request sent, output, exit codes. */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { EXIT } from "../src/exit";
import { acr, fakeServer, runRecord, type FakeServer } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "acr-rerun-"));

describe("acr run --rerun", () => {
  let server: FakeServer;
  before(async () => {
    server = await fakeServer((req) => {
      if (req.url === "/runs/old_run/rerun") return { json: runRecord({ run_id: "new_run", rerun_of: "old_run", trigger: "rerun" }) };
      if (req.url === "/runs/gone_run/rerun") {
        return { status: 404, json: { error: { code: "workflow_version_not_found", message: "The version of \"hello\" that run gone_run ran is not stored.", hint: "Rerun on the current version" } } };
      }
      return { status: 404, json: { error: { code: "run_not_found", message: "No run", hint: "acr logs" } } };
    });
  });
  after(() => server.close());
  const run = (argv: string[]) => acr(argv, { cwd: dir, env: { ARCRUN_URL: server.url, ARCRUN_API_KEY: "test-key" } });

  test("POSTs {version: pinned} by default, {from, version: current} with --from and --current; prints the new run and its link", async () => {
    const pinned = await run(["run", "--rerun", "old_run"]);
    assert.equal(pinned.code, EXIT.ok, pinned.stderr);
    assert.equal(server.requests.at(-1)!.method, "POST");
    assert.deepEqual(JSON.parse(server.requests.at(-1)!.body), { version: "pinned" });
    assert.match(pinned.stdout, /run new_run \(rerun of old_run\)/);

    const current = await run(["run", "--rerun", "old_run", "--from", "greet", "--current", "--json"]);
    assert.equal(current.code, EXIT.ok);
    assert.deepEqual(JSON.parse(server.requests.at(-1)!.body), { from: "greet", version: "current" });
    assert.equal(JSON.parse(current.stdout).rerun_of, "old_run");
  });

  test("a version not stored: the server's message and hint, exit 2", async () => {
    const { code, stderr } = await run(["run", "--rerun", "gone_run"]);
    assert.equal(code, EXIT.usage);
    assert.match(stderr, /not stored/);
    assert.match(stderr, /hint: Rerun on the current version/);
  });

  test("usage: --rerun with a workflow or --input, --from without --rerun, nothing at all: exit 2 before any request", async () => {
    const before = server.requests.length;
    for (const argv of [["run", "hello.yaml", "--rerun", "old_run"], ["run", "--rerun", "old_run", "--input", "{}"], ["run", "hello", "--from", "x"], ["run"]]) {
      const { code, stderr } = await run(argv);
      assert.equal(code, EXIT.usage, `${argv.join(" ")}: ${stderr}`);
    }
    assert.equal(server.requests.length, before);
  });
});
