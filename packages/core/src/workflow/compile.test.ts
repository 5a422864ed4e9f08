import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compileWorkflow } from "./compile";
import { fakeResolver, issuesOf } from "./test-resolver";

const resolver = fakeResolver();

describe("compileWorkflow: a valid file", () => {
  //          ┌─ON_SUCCESS─► notify
  //  input ─► check
  //          └─ON_FAILURE─► log_bad
  const yaml = `name: signup_alert
description: Validate a signup and tell the team
triggers: [webhook, {cron: "*/15 * * * *"}]
flow:
  - "input >> ON_SUCCESS >> check"
  - "(check)-[:ON_SUCCESS]->(notify)"
  - "(check)-[:ON_FAILURE]->(log_bad)"
  - "input >> ON_SUCCESS >> check"
config:
  check:
    component: validate_json
    schema: {type: object, required: [email]}
    data: "{{input}}"
  notify:
    component: telegram_send
    chat_id: "12345"
    text: "New signup: {{input.email}}"
  log_bad:
    component: code
    code: "return { reason: input.error.message }"
    input: {error: "{{check.error}}"}
    limits: {timeout_ms: 1000, retries: 2}
egress: [api.telegram.org]
`;

  test("compiles to nodes, deduplicated edges with positions, and a content hash", async () => {
    const result = await compileWorkflow(yaml, { resolver });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.issues));
    const { workflow } = result;
    assert.equal(workflow.name, "signup_alert");
    assert.deepEqual(workflow.triggers, ["webhook", { cron: "*/15 * * * *" }]);
    assert.deepEqual(Object.keys(workflow.nodes), ["check", "notify", "log_bad"]);
    assert.deepEqual(workflow.nodes.log_bad.limits, { timeout_ms: 1000, retries: 2 });
    assert.deepEqual(workflow.edges, [
      { from: "input", relation: "ON_SUCCESS", to: "check", line: 5, column: 6 },
      { from: "check", relation: "ON_SUCCESS", to: "notify", line: 6, column: 7 },
      { from: "check", relation: "ON_FAILURE", to: "log_bad", line: 7, column: 7 },
    ]);
    assert.deepEqual(workflow.egress, ["api.telegram.org"]);
    assert.equal(workflow.source, yaml);
    assert.match(workflow.hash, /^[0-9a-f]{64}$/);
  });

  test("the hash is the sha-256 of the source text", async () => {
    const a = await compileWorkflow(yaml, { resolver });
    const b = await compileWorkflow(yaml.replace("tell the team", "tell everyone"), { resolver });
    assert.ok(a.ok && b.ok);
    const expected = [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(yaml)))]
      .map((x) => x.toString(16).padStart(2, "0"))
      .join("");
    assert.equal(a.workflow.hash, expected);
    assert.notEqual(a.workflow.hash, b.workflow.hash);
  });
});

describe("compileWorkflow: object source (JSON API)", () => {
  //  input ─► a
  test("compiles; source is the YAML text of the object, edges have no position", async () => {
    const result = await compileWorkflow({ name: "from_json", flow: ["input >> ON_SUCCESS >> a"], config: { a: { component: "code", code: "return 1" } } }, { resolver });
    assert.ok(result.ok);
    assert.equal(result.workflow.source, 'name: from_json\nflow:\n  - input >> ON_SUCCESS >> a\nconfig:\n  a:\n    component: code\n    code: return 1\n');
    assert.deepEqual(result.workflow.edges, [{ from: "input", relation: "ON_SUCCESS", to: "a" }]);
    assert.match(result.workflow.hash, /^[0-9a-f]{64}$/);
  });

  //  input ─► a ─► ghost          (flows: typo, ghost has no config)
  test("issues are found but carry no line or column", async () => {
    const issues = await issuesOf({ name: "x", flows: [], flow: ["input >> ON_SUCCESS >> a >> ON_SUCCESS >> ghost"], config: { a: { component: "code" } } });
    assert.deepEqual(issues.map((i) => i.code), ["schema", "node_without_config"]);
    for (const issue of issues) {
      assert.equal(issue.line, undefined);
      assert.equal(issue.column, undefined);
    }
    assert.equal(issues[1].node, "ghost");
  });
});

describe("compileWorkflow: YAML syntax", () => {
  test("a syntax error has line and column, and stops further checks", async () => {
    const issues = await issuesOf(`name: broken
flow:
  - "input >> ON_SUCCESS >> a
config:
  a: {component: code}
`);
    assert.equal(issues.length, 1);
    assert.equal(issues[0].code, "yaml_syntax");
    assert.match(issues[0].message, /Missing closing "quote/);
    assert.equal(issues[0].line, 3, "points at the line where the quote was opened");
    assert.equal(issues[0].column, 5);
    assert.equal(issues[0].file, "test.yaml");
  });

  //  input ─► a
  test("a duplicate key is reported and the other checks still run", async () => {
    const issues = await issuesOf(`name: dup
flow:
  - "input >> ON_SUCCESS >> a"
config:
  a:
    component: code
  b:
    component: code
description: twice
description: again
`);
    assert.deepEqual(issues.map((i) => [i.code, i.line]), [["config_without_flow", 7], ["yaml_syntax", 10]]);
    assert.match(issues[1].message, /unique/);
  });

  test("a file that is not a map", async () => {
    const issues = await issuesOf("- just\n- a list\n");
    assert.deepEqual(issues.map((i) => i.code), ["schema"]);
    assert.match(issues[0].message, /must be a YAML map of keys, not a list/);
    assert.equal(issues[0].line, 1);
  });
});

describe("compileWorkflow: all problems at once, sorted by line", () => {
  //  input ─ON_SUCESS─► chek ─► notify ─► check ─► notify      (typo'd relation and node; check ⇄ notify cycle)
  //  orphan (configured, not in flow)
  const yaml = `name: Many_Problems
flows: []
flow:
  - "input >> ON_SUCESS >> chek"
  - "(check)-[:ON_SUCCESS]->(notify)"
  - "notify >> ALWAYS >> check"
  - "(check)-[:ON_FAILURE]->(log_bad"
config:
  check:
    component: validate_jsn
    schema: {type: object}
  notify:
    component: code
    text: "{{ chekc.data }}"
    limits: {timeout: 5}
  orphan:
    component: code
`;

  test("every check reports, each at its own line", async () => {
    const issues = await issuesOf(yaml);
    assert.deepEqual(
      issues.map((i) => [i.line, i.code, i.node]),
      [
        [1, "schema", undefined],
        [2, "schema", undefined],
        [4, "unknown_relation", "input"],
        [4, "unknown_node", "chek"],
        [5, "cycle", "check"],
        [7, "flow_syntax", undefined],
        [10, "unknown_component", "check"],
        [14, "template_unknown_node", "notify"],
        [15, "schema", "notify"],
        [16, "config_without_flow", "orphan"],
      ],
    );
  });

  test("messages say what is wrong and hints how to fix it", async () => {
    const issues = await issuesOf(yaml);
    const byCode = (code: string, line: number) => issues.find((i) => i.code === code && i.line === line)!;
    assert.match(byCode("schema", 1).message, /name "Many_Problems" is not valid: use lowercase letters, digits and _/);
    assert.equal(byCode("schema", 2).message, 'unknown key "flows" at the top level — did you mean flow?');
    assert.equal(byCode("schema", 2).hint, 'rename "flows" to "flow"');
    assert.equal(byCode("schema", 15).message, 'unknown key "timeout" in config.notify.limits — did you mean timeout_ms?');
    assert.equal(byCode("cycle", 5).message, "cycle: check → notify → check");
    assert.match(byCode("template_unknown_node", 14).message, /did you mean check\?/);
    for (const issue of issues) {
      assert.ok(issue.hint && issue.hint.length > 10, `issue ${issue.code} at line ${issue.line} has a hint`);
      assert.equal(issue.file, "test.yaml");
    }
  });
});
