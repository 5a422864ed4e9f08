/**
 * Every workflow in examples/ is accepted by the real Worker and does what its comment says.
 * (npm start loads them all; a broken example would greet a new user with an error.)
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { jsonHeaders, startExecutor, yamlHeaders, type TestExecutor } from "@arcrun/local/host/test-executor";

const dir = fileURLToPath(new URL("../../../examples/", import.meta.url));
// *.test.yaml are `acr test` fixtures (test/acr-test.test.ts runs them), not workflows
const files = readdirSync(dir).filter((f) => f.endsWith(".yaml") && !f.endsWith(".test.yaml")).sort();

const ORDERS = "order,amount\nA-1,12.5\nA-2,30\nA-3,7.25\nA-4,99\n";
const DOC = "Workflows are graphs. Each node does one thing. Components run in a sandbox. They have no network. Builtins call APIs.";
const CONTACTS = JSON.parse(readFileSync(new URL("../../../examples/contacts.json", import.meta.url), "utf8"));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const failedNode = (r: any, node: string) => r.nodes.find((n: any) => n.node === node);

const cases: { workflow: string; input: unknown; fails?: boolean; check: (run: any) => void }[] = [
  { workflow: "daily_digest", input: { topics: ["deploys", "signups"] }, check: (r) => assert.deepEqual(r.result, { title: "Digest: 2 topics", lines: ["1. deploys", "2. signups"] }) },
  {
    workflow: "github_push",
    input: { ref: "refs/heads/main", after: "9f3c2e1", repository: { full_name: "octo/app" }, commits: [{ id: "a" }, { id: "b" }] },
    check: (r) => assert.deepEqual(r.result, { repository: "octo/app", branch: "main", commits: 2, head: "9f3c2e1" }),
  },
  {
    // runs end to end against the fake APIs in test/recipes-e2e.test.ts; here no credential is stored
    workflow: "notify_signup",
    input: { email: "ada@example.com" },
    fails: true,
    check: (r) => {
      assert.equal(failedNode(r, "telegram").error.code, "credential_missing");
      assert.match(failedNode(r, "telegram").error.message, /telegram_bot_token/);
    },
  },
  {
    // runs end to end against the fake APIs in test/recipes-e2e.test.ts and offline with `acr test`;
    // here no model listens on 127.0.0.1:11434, so the extraction fails and nothing is appended
    workflow: "triage_ticket",
    input: { from: "ada@example.com", message: "I was charged twice!" },
    fails: true,
    check: (r) => {
      assert.equal(failedNode(r, "triage").status, "failed");
      assert.equal(failedNode(r, "append").status, "skipped");
    },
  },
  { workflow: "hello", input: { who: "Ada" }, check: (r) => assert.equal(r.result.message, "Hello, Ada!") },
  { workflow: "signup_check", input: { email: " Ada@Example.com ", age: 36 }, check: (r) => assert.deepEqual(r.result, { status: "welcome", text: "Welcome aboard, ada@example.com" }) },
  { workflow: "signup_check", input: { email: "tim@example.com", age: 9 }, check: (r) => assert.equal(r.result.status, "needs_guardian") },
  {
    workflow: "signup_check",
    input: { email: "nope" },
    check: (r) => {
      assert.equal(r.status, "succeeded", "the failure is routed");
      assert.equal(r.result.status, "rejected");
      assert.match(r.result.text, /not an email/);
    },
  },
  { workflow: "route_by_plan", input: { plan: "pro", seats: 12 }, check: (r) => assert.deepEqual(r.result, { plan: "pro", seats: 12, monthly: 108 }) },
  { workflow: "route_by_plan", input: { plan: "business" }, check: (r) => assert.equal(r.result.plan, "team") },
  { workflow: "route_by_plan", input: { plan: "free" }, check: (r) => assert.equal(r.result.monthly, 0) },
  {
    workflow: "fan_out_merge",
    input: { text: "The quick brown fox jumps over the lazy dog" },
    check: (r) => assert.deepEqual(r.result, { words: 9, letters: 35, longest: "quick" }),
  },
  {
    workflow: "csv_report",
    input: { csv: ORDERS },
    check: (r) => {
      const sha = createHash("sha256").update(ORDERS).digest("hex");
      // numpy's linear percentile: index (n - 1) × 0.9 between 30 and 99, lerp from the nearer end
      const t = 3 * 0.9 - 2;
      const p90 = t >= 0.5 ? 99 - (99 - 30) * (1 - t) : 30 + (99 - 30) * t;
      assert.equal(r.result, `4 rows, total 148.75, mean 37.1875, median 21.25, p90 ${p90} (min 7.25, max 99); source sha256 ${sha}`);
    },
  },
  {
    workflow: "csv_report",
    input: { csv: 'order,amount\n"A-1,12.5\n' },
    fails: true,
    check: (r) => {
      assert.equal(failedNode(r, "parse").error.code, "csv_syntax");
      assert.match(failedNode(r, "parse").error.message, /line 2/);
      assert.equal(failedNode(r, "stats").status, "skipped");
    },
  },
  {
    workflow: "doc_chunks",
    input: { url: "https://docs.example.com/guide?v=2#intro", text: DOC },
    check: (r) => {
      assert.match(r.result.document, UUID);
      assert.equal(r.result.source, "docs.example.com/guide");
      assert.ok(r.result.chunks.length >= 2, JSON.stringify(r.result.chunks));
      for (const [i, chunk] of r.result.chunks.entries()) {
        assert.equal(chunk.id, `${r.result.document}#${i}`);
        assert.ok(chunk.text.length <= 60);
        assert.equal(DOC.slice(chunk.start, chunk.end), chunk.text);
      }
      assert.equal(r.result.chunks.at(-1).end, DOC.length);
    },
  },
  {
    workflow: "doc_chunks",
    input: { url: "not a url", text: "x" },
    fails: true,
    check: (r) => assert.equal(failedNode(r, "source").error.code, "invalid_url"),
  },
  {
    workflow: "contact_cleanup",
    input: CONTACTS,
    check: (r) => {
      const csv = "name,email,plan\nAda Lovelace,ada@example.com,pro\nAlan Turing,alan@example.com,free\nEdsger Dijkstra,edsger@example.com,team\nGrace Hopper,grace@example.com,pro\n";
      assert.deepEqual(r.result, { duplicates_removed: 1, per_plan: { pro: 2, free: 1, team: 1 }, csv, attachment_base64: Buffer.from(csv).toString("base64") });
    },
  },
  {
    workflow: "contact_cleanup",
    input: { contacts: "not a list" },
    fails: true,
    check: (r) => assert.match(failedNode(r, "normalise").error.message, /contacts must be a list/),
  },
  // no model listens on 127.0.0.1:11434 here (test/ai.test.ts runs it against a fake OpenAI server): the run says why
  {
    workflow: "summarize_page",
    input: { url: "http://127.0.0.1:8787/health" },
    check: (r) => {
      assert.ok(r.result.summary === null ? /127\.0\.0\.1/.test(r.result.why) : typeof r.result.summary === "string", JSON.stringify(r.result));
    },
  },
  // nothing listens on 8787 in this test, or an arcrun does: either way the run succeeds
  { workflow: "self_check", input: {}, check: (r) => assert.equal(typeof r.result.healthy, "boolean") },
];

describe("examples/", () => {
  let ex: TestExecutor;
  before(async () => {
    ex = await startExecutor();
  });
  after(() => ex.stop());

  test("every example is accepted by POST /workflows", async () => {
    assert.ok(files.length >= 4, files.join(", "));
    for (const file of files) {
      const { status, body } = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: readFileSync(dir + file, "utf8") });
      assert.equal(status, 201, `${file}: ${JSON.stringify(body)}`);
      assert.equal(`${body.name}.yaml`, file, "file named after the workflow");
    }
  });

  test("every example has a case here", () => {
    for (const file of files) assert.ok(cases.some((c) => `${c.workflow}.yaml` === file), `add a case for ${file}`);
  });

  for (const c of cases) {
    test(`${c.workflow} with ${JSON.stringify(c.input)}`, async () => {
      const { status, body } = await ex.json(`/webhooks/named/${c.workflow}/query`, { method: "POST", headers: jsonHeaders, body: JSON.stringify(c.input) });
      assert.equal(status, 200);
      assert.equal(body.status, c.fails ? "failed" : "succeeded", JSON.stringify(body.error ?? body.nodes));
      c.check(body);
    });
  }
});
