/**
 * Every workflow in examples/ is accepted by the real Worker and does what its comment says.
 * (npm start loads them all; a broken example would greet a new user with an error.)
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { jsonHeaders, startExecutor, yamlHeaders, type TestExecutor } from "./harness";

const dir = fileURLToPath(new URL("../../../examples/", import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();

const cases: { workflow: string; input: unknown; check: (run: any) => void }[] = [
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
      assert.equal(body.status, "succeeded", JSON.stringify(body.error ?? body.nodes));
      c.check(body);
    });
  }
});
