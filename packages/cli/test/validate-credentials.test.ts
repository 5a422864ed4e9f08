/** `acr validate` lists the credentials a workflow needs that the executor does not have. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { EXIT } from "../src/exit";
import { acr, closedPort, fakeServer, type FakeServer } from "./helpers";

const project = mkdtempSync(join(tmpdir(), "acr-validate-creds-"));
mkdirSync(join(project, "components/notifier"), { recursive: true });
writeFileSync(
  join(project, "components/notifier/contract.yaml"),
  [
    "name: notifier", "version: 0.1.0", "description: sends a note",
    "input_schema:", "  type: object", "  required: [token, text]",
    "credentials_required:", "  - key: notifier_token", "    inject_as: token", "    description: bot token",
  ].join("\n") + "\n",
);
writeFileSync(
  join(project, "needs.yaml"),
  [
    "name: needs_creds",
    "flow:",
    "  - input >> ON_SUCCESS >> fetch",
    "  - fetch >> ON_SUCCESS >> notify",
    "config:",
    "  fetch:",
    "    component: http_request",
    "    url: https://api.example.test/items",
    "    headers:",
    '      Authorization: "Bearer {{credential.api_token}}"',
    "  notify:",
    "    component: notifier",
    '    text: "{{fetch.data}}"',
  ].join("\n") + "\n",
);
writeFileSync(join(project, "plain.yaml"), "name: plain\nflow:\n  - input >> ON_SUCCESS >> a\nconfig:\n  a:\n    component: code\n    code: return 1\n");

let server: FakeServer;
let stored: string[] = [];
before(async () => {
  server = await fakeServer(() => ({
    json: { credentials: stored.map((name) => ({ name, created_at: "t", updated_at: "t", kid: "k" })), key_id: "k", rotation: null },
  }));
});
after(() => server.close());
const run = (argv: string[], env: Record<string, string> = {}) => acr(argv, { cwd: project, env: { ARCRUN_URL: server.url, ARCRUN_API_KEY: "k", ...env } });

describe("acr validate: credentials", () => {
  test("every missing credential is an issue with its node, line and the push command", async () => {
    stored = [];
    const { code, stdout, stderr } = await run(["validate", "needs.yaml"]);
    assert.equal(code, EXIT.usage, stderr);
    assert.match(stdout, /needs\.yaml:10:1 {2}fetch {2}node fetch: credential "api_token" \(\{\{credential\.api_token\}\}\) is not stored on http:\/\/127\.0\.0\.1:\d+\n {2}hint: add `api_token: <value>` to credentials\.yaml and run `acr creds push`/);
    assert.match(stdout, /needs\.yaml:11:1 {2}notify {2}node notify: component notifier needs credential "notifier_token" \(injected as token\)/);
    assert.match(stdout, /2 problems in needs\.yaml/);
    const json = JSON.parse((await run(["validate", "needs.yaml", "--json"])).stdout);
    assert.deepEqual(json.issues.map((i: { code: string; node: string }) => [i.code, i.node]), [["credential_missing", "fetch"], ["credential_missing", "notify"]]);
  });

  test("only the missing ones are listed; all present → valid", async () => {
    stored = ["api_token"];
    const partly = await run(["validate", "needs.yaml", "--json"]);
    assert.deepEqual(JSON.parse(partly.stdout).issues.map((i: { node: string }) => i.node), ["notify"]);
    stored = ["api_token", "notifier_token"];
    const all = await run(["validate", "needs.yaml"]);
    assert.equal(all.code, EXIT.ok, all.stdout);
  });

  test("no server needed for a workflow without credentials, or with --offline; unreachable is a warning", async () => {
    const port = await closedPort();
    const env = { ARCRUN_URL: `http://127.0.0.1:${port}` };
    const plain = await run(["validate", "plain.yaml"], env);
    assert.equal(plain.code, EXIT.ok);
    assert.equal(plain.stderr, "");
    const offline = await run(["validate", "needs.yaml", "--offline"], env);
    assert.equal(offline.code, EXIT.ok, offline.stdout);
    const unreachable = await run(["validate", "needs.yaml"], env);
    assert.equal(unreachable.code, EXIT.ok);
    assert.match(unreachable.stderr, /warning: credentials not checked: cannot reach the arcrun server/);
  });
});
