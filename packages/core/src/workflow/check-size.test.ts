import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compileWorkflow } from "./compile";
import { WORKFLOW_LIMITS } from "./check-size";
import { fakeResolver } from "./test-resolver";

const resolver = fakeResolver();

/** a chain input → n0 → n1 → … of `count` code nodes */
function chain(count: number, { extraEdges = 0, code = "return 1" } = {}) {
  const flow = ["input >> ON_SUCCESS >> n0"];
  for (let i = 1; i < count; i++) flow.push(`n${i - 1} >> ON_SUCCESS >> n${i}`);
  for (let i = 0; i < extraEdges; i++) flow.push(`n${i % count} >> ON_FAILURE >> n${Math.floor(i / count) % count}`); // distinct pairs
  const config: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) config[`n${i}`] = { component: "code", code };
  return { name: "big", flow, config };
}
const only = async (source: string | Record<string, unknown>) => {
  const result = await compileWorkflow(source, { resolver });
  assert.equal(result.ok, false);
  if (result.ok) throw new Error("unreachable");
  assert.equal(result.issues.length, 1, JSON.stringify(result.issues.slice(0, 3)));
  return result.issues[0];
};

describe("workflow size cap", () => {
  test("at the node limit it compiles; one more node is workflow_too_large naming the limit", async () => {
    assert.equal((await compileWorkflow(chain(WORKFLOW_LIMITS.nodes), { resolver })).ok, true);
    const issue = await only(chain(WORKFLOW_LIMITS.nodes + 1));
    assert.equal(issue.code, "workflow_too_large");
    assert.equal(issue.message, `the workflow has ${WORKFLOW_LIMITS.nodes + 1} nodes in config; the limit is ${WORKFLOW_LIMITS.nodes} (nodes)`);
    assert.match(issue.hint ?? "", /split it/);
  });

  test("a 5,000-node workflow is refused at once, without the other checks", async () => {
    const started = Date.now();
    const issue = await only(chain(5000));
    assert.equal(issue.code, "workflow_too_large");
    assert.match(issue.message, /5000 nodes.*limit is 1000 \(nodes\)/);
    assert.ok(Date.now() - started < 5000, "refused without running the graph checks");
  });

  test("edges over the limit", async () => {
    const issue = await only(chain(100, { extraEdges: WORKFLOW_LIMITS.edges }));
    assert.equal(issue.code, "workflow_too_large");
    assert.match(issue.message, new RegExp(`${WORKFLOW_LIMITS.edges + 100} edges in flow; the limit is ${WORKFLOW_LIMITS.edges} \\(edges\\)`));
  });

  test("config bytes over the limit (a code node carrying 600 KB)", async () => {
    const issue = await only(chain(1, { code: `return "${"x".repeat(600 * 1024)}"` }));
    assert.equal(issue.code, "workflow_too_large");
    assert.match(issue.message, /bytes in config; the limit is 524288 \(config_bytes\)/);
  });

  test("YAML source over 1 MiB is refused before it is parsed", async () => {
    const yaml = `name: big\nflow: ["input >> ON_SUCCESS >> a"]\nconfig:\n  a: {component: code, code: "return 1"}\n# ${"z".repeat(1024 * 1024)}\n`;
    const issue = await only(yaml);
    assert.equal(issue.code, "workflow_too_large");
    assert.match(issue.message, /bytes in the workflow file; the limit is 1048576 \(source_bytes\)/);
  });
});
