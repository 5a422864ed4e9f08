import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { issuesOf } from "./test-resolver";

describe("schema issues in plain words", () => {
  //  input ─► a
  const valid = `flow:
  - "input >> ON_SUCCESS >> a"
config:
  a: {component: code}
`;

  test("a missing required key points at the file and says what to write", async () => {
    const issues = await issuesOf(valid);
    assert.deepEqual(issues.map((i) => [i.code, i.message, i.line]), [["schema", 'missing required key "name"', 1]]);
    assert.match(issues[0].hint!, /name: signup_alert/);
  });

  test("wrong types name what was found", async () => {
    const issues = await issuesOf(`name: t
description: [not, text]
${valid}`);
    assert.deepEqual(issues.map((i) => [i.message, i.line, i.column]), [["description must be a string, not a list", 2, 14]]);
  });

  test("a node without component", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> a"
config:
  a:
    code: "return 1"
`);
    assert.deepEqual(issues.map((i) => [i.code, i.node, i.message, i.line]), [["schema", "a", 'missing required key "component" in config.a', 5]]);
  });

  test("a config entry that is not a map", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> a"
config:
  a: code
`);
    assert.deepEqual(issues.map((i) => [i.message, i.line, i.column]), [["config.a must be a map, not a string (\"code\")", 5, 6]]);
  });

  test("an unknown key in limits suggests the right one", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> a"
config:
  a:
    component: code
    limits:
      retries: 2
      timout_ms: 10
`);
    assert.deepEqual(issues.map((i) => [i.message, i.line, i.column]), [['unknown key "timout_ms" in config.a.limits — did you mean timeout_ms?', 9, 7]]);
  });

  test("a bad trigger lists the accepted forms", async () => {
    const issues = await issuesOf(`name: t
triggers: [webhook, hourly]
${valid}`);
    assert.deepEqual(issues.map((i) => [i.message, i.line, i.column]), [['triggers[1] is not a valid trigger: "hourly"', 2, 21]]);
    assert.match(issues[0].hint!, /\{cron: /);
  });

  test("an empty flow and out-of-range limits", async () => {
    const issues = await issuesOf(`name: t
flow: []
config:
  a: {component: code, limits: {retries: 11}}
`);
    const messages = issues.filter((i) => i.code === "schema").map((i) => [i.message, i.line]);
    assert.deepEqual(messages, [["flow is empty: list at least 1", 2], ["config.a.limits.retries must be at most 10", 4]]);
  });

  test("an unknown top-level key with no close match lists the allowed keys", async () => {
    const issues = await issuesOf(`name: t
owner: me
${valid}`);
    assert.equal(issues[0].message, 'unknown key "owner" at the top level');
    assert.equal(issues[0].hint, "allowed keys: name, description, triggers, flow, config, egress, idempotency_key, retention_days, on_error, record, max_trace_bytes, ai");
  });
});
