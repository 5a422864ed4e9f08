import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { issuesOf } from "./test-resolver";

describe("components", () => {
  //  input ─► check
  test("an unknown component with did-you-mean and how to publish", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> check"
config:
  check:
    component: validate_jsn
    schema: {}
    data: {}
`);
    assert.deepEqual(issues.map((i) => [i.code, i.node, i.line, i.column]), [["unknown_component", "check", 6, 16]]);
    assert.equal(issues[0].message, 'node check: unknown component "validate_jsn" — did you mean validate_json?');
    assert.match(issues[0].hint!, /publish it with `acr parts publish components\/validate_jsn`/);
  });

  //  input ─► x
  test("an unknown component with no near name lists what is available", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> x"
config:
  x: {component: zzz}
`);
    assert.doesNotMatch(issues[0].message, /did you mean/);
    assert.match(issues[0].hint!, /available: code, if, switch, validate_json, telegram_send/);
  });

  //  input ─► check
  test("each missing required input is reported at the node", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> check"
config:
  check:
    component: validate_json
    limits: {timeout_ms: 100}
`);
    assert.deepEqual(issues.map((i) => [i.code, i.node, i.line, i.column]), [["missing_input", "check", 5, 3], ["missing_input", "check", 5, 3]]);
    assert.equal(issues[0].message, 'node check: missing required input "schema" for component validate_json');
    assert.equal(issues[0].hint, 'add schema: {"type":"object"} under config.check');
    assert.match(issues[1].message, /"data"/);
  });

  //  input ─► check
  test("all required inputs present: no issue (meta keys do not count as inputs)", async () => {
    assert.deepEqual(await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> check"
config:
  check: {component: validate_json, schema: {type: object}, data: "{{input}}"}
`), []);
  });

  //  input ─► tell
  test("a required input filled by a credential (inject_as) need not be written", async () => {
    const issues = await issuesOf(`name: t
flow:
  - "input >> ON_SUCCESS >> tell"
config:
  tell: {component: telegram_send, chat_id: "1"}
`);
    assert.deepEqual(issues.map((i) => i.message), ['node tell: missing required input "text" for component telegram_send']);
  });
});
