/** Commands against a stand-in executor (node:http): requests sent, output, exit codes. */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { EXIT } from "../src/exit";
import { ApiError, createClient } from "../src/client";
import { acr, closedPort, fakeServer, runRecord, runSummary, type FakeServer, type RecordedRequest } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "acr-cmd-"));
const YAML = "name: hello\nflow:\n  - input >> ON_SUCCESS >> greet\nconfig:\n  greet:\n    component: code\n    code: return 1\n";
writeFileSync(join(dir, "hello.yaml"), YAML);

const INVALID = {
  error: {
    code: "invalid_workflow",
    message: "Invalid workflow: 2 problems",
    hint: "Fix the listed problems",
    errors: [
      { code: "unknown_component", line: 6, column: 16, node: "greet", message: 'unknown component "cod"', hint: "did you mean code?" },
      { code: "node_without_config", line: 3, column: 5, message: "node ghost is in flow but has no config" },
    ],
  },
};

function route(req: RecordedRequest) {
  const url = new URL(req.url, "http://x");
  if (req.headers.authorization !== "Bearer test-key") return { status: 401, json: { error: { code: "unauthorized", message: "missing or wrong API key" } } };
  if (req.method === "POST" && url.pathname === "/execute") {
    const body = JSON.parse(req.body);
    if (body.input?.fail) {
      return {
        json: runRecord({
          status: "failed",
          result: null,
          error: { code: "boom", message: "it broke", node: "greet" },
          nodes: [{ node: "greet", component: "code", status: "failed", input: {}, output: null, error: { code: "boom", message: "it broke" }, attempts: 1, duration_ms: 2 }],
        }),
      };
    }
    if (body.input?.invalid) return { status: 422, json: INVALID };
    return { json: runRecord() };
  }
  if (req.method === "POST" && url.pathname === "/webhooks/named/hello/query") return { json: runRecord({ trigger: "query" }) };
  if (req.method === "POST" && url.pathname.startsWith("/webhooks/named/")) return { status: 404, json: { error: { code: "not_found", message: "no workflow named nope", hint: "acr list shows the stored workflows" } } };
  if (req.method === "POST" && url.pathname === "/workflows") {
    if (JSON.parse(req.body).yaml.includes("invalid")) return { status: 422, json: INVALID };
    return { status: 201, json: { name: "hello", webhook_url: "/webhooks/abc123/trigger", query_url: "http://127.0.0.1:1/q/hello" } };
  }
  if (req.method === "GET" && url.pathname === "/workflows") return { json: { workflows: [{ name: "hello", description: "says hi", updated_at: "2026-04-26T10:00:00Z" }] } };
  if (req.method === "GET" && url.pathname === "/runs") return { json: { runs: [runSummary()] } };
  if (req.method === "GET" && url.pathname === "/runs/run_0123456789abcdef") return { json: runRecord() };
  if (req.method === "GET" && url.pathname === "/runs/run_malformed_0001") return { json: { run_id: "run_malformed_0001", status: "succeeded", nodes: "none" } };
  if (req.method === "GET" && url.pathname === "/workflows/broken_error") return { status: 500, json: { error: { message: 42 } } };
  if (req.method === "GET" && url.pathname.startsWith("/runs/")) return { status: 404, json: { error: { code: "not_found", message: "no such run" } } };
  if (url.pathname === "/explode") return { status: 500, text: "oops" };
  return { status: 404, json: { error: { code: "not_found", message: `no route ${req.method} ${url.pathname}` } } };
}

let server: FakeServer;
const env = () => ({ ARCRUN_URL: server.url, ARCRUN_API_KEY: "test-key" });
const run = (argv: string[], extra: Record<string, string> = {}) => acr(argv, { cwd: dir, env: { ...env(), ...extra } });

before(async () => {
  server = await fakeServer(route);
});
after(() => server.close());

describe("acr run", () => {
  test("a file is POSTed to /execute with its YAML and the input; the trace is printed", async () => {
    const { code, stdout, stderr } = await run(["run", "hello.yaml", "--input", '{"name":"Ada"}']);
    assert.equal(code, EXIT.ok, stderr);
    const request = server.requests.at(-1)!;
    assert.equal(request.url, "/execute");
    assert.deepEqual(JSON.parse(request.body), { workflow: YAML, input: { name: "Ada" } });
    assert.equal(request.headers.authorization, "Bearer test-key");
    assert.match(stdout, /✓ check +validate_json +3 ms/);
    assert.match(stdout, /"greeting": "hi Ada"/);
    assert.match(stdout, /✓ succeeded · run run_0123456789abcdef · 12 ms/);
  });

  test("--json prints exactly the run record and nothing else", async () => {
    const { code, stdout } = await run(["run", "hello.yaml", "--json"]);
    assert.equal(code, EXIT.ok);
    assert.deepEqual(JSON.parse(stdout), runRecord());
  });

  test("a failed run exits 1 and shows the failing node's error", async () => {
    const human = await run(["run", "hello.yaml", "--input", '{"fail":true}']);
    assert.equal(human.code, EXIT.runFailed);
    assert.match(human.stdout, /✗ greet +code +2 ms\n {6}boom: it broke/);
    const json = await run(["run", "hello.yaml", "--input", '{"fail":true}', "--json"]);
    assert.equal(json.code, EXIT.runFailed);
    assert.equal(JSON.parse(json.stdout).status, "failed");
  });

  test("a stored workflow by name goes to the named query webhook with the input as body", async () => {
    const { code } = await run(["run", "hello", "--input", '{"x":1}']);
    assert.equal(code, EXIT.ok);
    const request = server.requests.at(-1)!;
    assert.equal(request.url, "/webhooks/named/hello/query");
    assert.deepEqual(JSON.parse(request.body), { x: 1 });
  });

  test("an unknown name: the server's message and hint, exit 2", async () => {
    const { code, stderr } = await run(["run", "nope"]);
    assert.equal(code, EXIT.usage);
    assert.equal(stderr, "error: no workflow named nope\nhint: acr list shows the stored workflows\n");
  });

  test("422 from the server prints each issue as file:line:col  node  message, exit 2", async () => {
    const { code, stdout, stderr } = await run(["run", "hello.yaml", "--input", '{"invalid":true}']);
    assert.equal(code, EXIT.usage);
    assert.equal(stdout, "");
    assert.match(stderr, /error: hello\.yaml is not a valid workflow\nhello\.yaml:3:5 {2}node ghost is in flow but has no config\nhello\.yaml:6:16 {2}greet {2}unknown component "cod"\n {2}hint: did you mean code\?/);
  });

  test("422 under --json: one JSON document with the issues", async () => {
    const { code, stdout } = await run(["run", "hello.yaml", "--input", '{"invalid":true}', "--json"]);
    assert.equal(code, EXIT.usage);
    const body = JSON.parse(stdout);
    assert.equal(body.error.code, "invalid_workflow");
    assert.equal(body.error.errors.length, 2);
  });
});

describe("server and key problems", () => {
  test("nobody listening → exit 3 with how to start the server", async () => {
    const port = await closedPort();
    const { code, stdout, stderr } = await acr(["list"], { env: { ARCRUN_URL: `http://127.0.0.1:${port}` } });
    assert.equal(code, EXIT.unreachable);
    assert.equal(stdout, "");
    assert.match(stderr, new RegExp(`error: cannot reach the arcrun server at http://127.0.0.1:${port} \\(ECONNREFUSED\\)`));
    assert.match(stderr, /hint: .*`npm start` \(or `acr dev`\)/);
  });

  test("unreachable under --json still prints one JSON document", async () => {
    const port = await closedPort();
    const { code, stdout } = await acr(["run", "hello.yaml", "--json"], { cwd: dir, env: { ARCRUN_URL: `http://127.0.0.1:${port}` } });
    assert.equal(code, EXIT.unreachable);
    assert.equal(JSON.parse(stdout).error.code, "server_unreachable");
  });

  test("401 with a wrong ARCRUN_API_KEY says which key to fix, exit 2", async () => {
    const { code, stderr } = await run(["list"], { ARCRUN_API_KEY: "k-not-the-key-42" });
    assert.equal(code, EXIT.usage);
    assert.match(stderr, /error: missing or wrong API key\nhint: ARCRUN_API_KEY does not match/);
    assert.doesNotMatch(stderr, /k-not-the-key-42/, "the key itself is never printed");
  });

  test("401 with no key at all explains where the key comes from", async () => {
    const { code, stderr } = await acr(["list"], { cwd: tmpdir(), env: { ARCRUN_URL: server.url } });
    assert.equal(code, EXIT.usage);
    assert.match(stderr, /hint: no API key was sent: set ARCRUN_API_KEY, or run acr inside the project/);
  });

  test("5xx without a JSON body → exit 1, status and text shown", async () => {
    const { createClient } = await import("../src/client");
    const client = createClient({ url: server.url, apiKey: "test-key" });
    await assert.rejects(client.request("GET", "/explode"), (e: Error & { exitCode: number; status: number }) => {
      assert.equal(e.exitCode, EXIT.runFailed);
      assert.equal(e.status, 500);
      assert.match(e.message, /GET \/explode failed with HTTP 500: oops/);
      return true;
    });
  });
});

describe("acr push / list / logs", () => {
  test("push sends {yaml} and prints name, webhook and query URLs (made absolute)", async () => {
    const { code, stdout } = await run(["push", "hello.yaml"]);
    assert.equal(code, EXIT.ok);
    assert.deepEqual(JSON.parse(server.requests.at(-1)!.body), { yaml: YAML });
    assert.match(stdout, /✓ pushed hello/);
    assert.match(stdout, new RegExp(`webhook {2}${server.url}/webhooks/abc123/trigger`));
    assert.match(stdout, /query {4}http:\/\/127\.0\.0\.1:1\/q\/hello/);
  });

  test("push of an invalid workflow prints the issues, exit 2", async () => {
    writeFileSync(join(dir, "invalid.yaml"), "name: invalid\n");
    const { code, stderr } = await run(["push", "invalid.yaml"]);
    assert.equal(code, EXIT.usage);
    assert.match(stderr, /invalid\.yaml:6:16 {2}greet {2}unknown component "cod"/);
  });

  test("list: a table; --json: the server's answer", async () => {
    const human = await run(["list"]);
    assert.equal(human.code, EXIT.ok);
    assert.match(human.stdout, /hello +2026-04-26 10:00:00 +says hi/);
    const json = await run(["list", "--json"]);
    assert.equal(JSON.parse(json.stdout).workflows[0].name, "hello");
  });

  test("logs passes workflow, status and limit as query parameters", async () => {
    const { code, stdout } = await run(["logs", "hello", "--status", "failed", "--limit", "5"]);
    assert.equal(code, EXIT.ok);
    assert.equal(server.requests.at(-1)!.url, "/runs?workflow=hello&status=failed&limit=5");
    assert.match(stdout, /run_0123456789abcdef +hello +succeeded/);
  });

  test("logs --run <id> shows one run's node trace", async () => {
    const { code, stdout } = await run(["logs", "--run", "run_0123456789abcdef"]);
    assert.equal(code, EXIT.ok);
    assert.equal(server.requests.at(-1)!.url, "/runs/run_0123456789abcdef");
    assert.match(stdout, /✓ greet +code +7 ms/);
  });

  test("logs <id> (not a workflow name) asks for that run; an unknown run is a 404 → exit 2", async () => {
    const { code, stderr } = await run(["logs", "run-with-dashes"]);
    assert.equal(server.requests.at(-1)!.url, "/runs/run-with-dashes");
    assert.equal(code, EXIT.usage);
    assert.match(stderr, /error: no such run/);
  });

  test("logs --json prints one JSON document", async () => {
    const { code, stdout } = await run(["logs", "--json"]);
    assert.equal(code, EXIT.ok);
    assert.equal(JSON.parse(stdout).runs.length, 1);
    assert.equal(server.requests.at(-1)!.url, "/runs?limit=20");
  });
});

describe("answers are checked against core's schemas", () => {
  test("a malformed run record is a bad_response error naming the field, exit 1, one JSON document", async () => {
    const human = await run(["logs", "--run", "run_malformed_0001"]);
    assert.equal(human.code, EXIT.runFailed);
    assert.match(human.stderr, /error: the server at http:\/\/127\.0\.0\.1:\d+ answered with an unexpected run record/);
    const json = await run(["logs", "--run", "run_malformed_0001", "--json"]);
    assert.equal(json.code, EXIT.runFailed);
    const body = JSON.parse(json.stdout);
    assert.equal(body.error.code, "bad_response");
    assert.equal(typeof body.error.field, "string");
  });

  test("an error body that is not {error: {code, message}} is reported by its status, not trusted", async () => {
    const client = createClient({ url: server.url, apiKey: "test-key", apiKeySource: "ARCRUN_API_KEY" });
    const error = await client.request("GET", "/workflows/broken_error").catch((e: unknown) => e);
    assert.ok(error instanceof ApiError);
    assert.equal(error.code, "http_500");
    assert.equal(error.exitCode, EXIT.runFailed);
  });
});
