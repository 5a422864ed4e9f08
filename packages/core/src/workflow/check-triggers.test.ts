import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compileWorkflow } from "./compile";
import { fakeResolver, issuesOf } from "./test-resolver";

//  input ─► a
const TAIL = `flow:
  - "input >> ON_SUCCESS >> a"
config:
  a: {component: code}
`;
const located = (issues: { code: string; line?: number; column?: number }[]) => issues.map((i) => [i.code, i.line, i.column]);

describe("trigger settings in the workflow file", () => {
  test("every new form is accepted, and the old ones still are", async () => {
    const result = await compileWorkflow(`name: t
triggers:
  - webhook
  - manual
  - {cron: "*/15 * * * *"}
  - {webhook: {secret: legacy}}
  - cron: "0 9 * * MON-FRI"
    timezone: Europe/Berlin
    input: {kind: digest}
  - webhook:
      verify: {scheme: github, secret: github_webhook_secret}
  - webhook:
      verify: {scheme: hmac-sha256, header: X-Signature, timestamp_header: X-Timestamp, secret: hook_secret, tolerance_s: 120}
idempotency_key: "{{input.event_id}}"
retention_days: 7
on_error: alert_on_failure
record: failures
${TAIL}`, { resolver: fakeResolver() });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.issues));
    assert.equal(result.workflow.triggers.length, 7);
    assert.deepEqual(result.workflow.triggers[4], { cron: "0 9 * * MON-FRI", timezone: "Europe/Berlin", input: { kind: "digest" } });
    assert.deepEqual(
      [result.workflow.idempotency_key, result.workflow.retention_days, result.workflow.on_error, result.workflow.record],
      ["{{input.event_id}}", 7, "alert_on_failure", "failures"],
    );
  });

  test("a bad cron expression is reported at its line and column", async () => {
    const issues = await issuesOf(`name: t
triggers:
  - webhook
  - {cron: "61 * * * *"}
${TAIL}`);
    assert.deepEqual(located(issues), [["cron_invalid", 4, 12]]);
    assert.equal(issues[0].message, 'triggers[1].cron: cron expression "61 * * * *" is not valid: Invalid value for minute: 61');
    assert.match(issues[0].hint!, /five fields/);
  });

  test("an unknown timezone is reported at the timezone, with a suggestion", async () => {
    const issues = await issuesOf(`name: t
triggers:
  - cron: "0 9 * * *"
    timezone: Europe/Berln
${TAIL}`);
    assert.deepEqual(located(issues), [["timezone_unknown", 4, 15]]);
    assert.match(issues[0].message, /unknown timezone "Europe\/Berln" — did you mean Europe\/Berlin\?/);
  });

  test("the compile result is invalid_workflow (422) for a bad expression", async () => {
    const result = await compileWorkflow(`name: t
triggers: [{cron: "every day"}]
${TAIL}`, { resolver: fakeResolver() });
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && located(result.issues), [["cron_invalid", 2, 19]]);
  });

  test("a misspelt key inside a trigger is named, with the right one", async () => {
    const issues = await issuesOf(`name: t
triggers:
  - cron: "0 9 * * *"
    timezon: Europe/Berlin
${TAIL}`);
    assert.deepEqual(issues.map((i) => [i.message, i.line]), [['unknown key "timezon" in triggers[0] — did you mean timezone?', 4]]);
  });

  test("an unknown signature scheme lists the accepted ones", async () => {
    const issues = await issuesOf(`name: t
triggers:
  - webhook:
      verify: {scheme: gitlab, secret: s}
${TAIL}`);
    assert.deepEqual(issues.map((i) => [i.message, i.line]), [['triggers[0].webhook.verify.scheme must be one of "hmac-sha256", "github", "stripe", "slack"', 4]]);
  });

  test("a preset with its own headers set, a secret that is not a credential name", async () => {
    const issues = await issuesOf(`name: t
triggers:
  - webhook:
      verify:
        scheme: github
        header: X-Signature
        secret: "ghp secret value"
${TAIL}`);
    assert.deepEqual(located(issues), [["webhook_verify", 6, 9], ["webhook_verify", 7, 17]]);
    assert.match(issues[0].message, /github scheme always reads X-Hub-Signature-256/);
    assert.match(issues[1].message, /must name a credential/);
  });

  test("idempotency_key must read the payload; on_error must not name the workflow itself", async () => {
    const issues = await issuesOf(`name: t
idempotency_key: "{{a.data.id}}"
on_error: t
${TAIL}`);
    assert.deepEqual(located(issues), [["idempotency_key_template", 2, 18], ["on_error_self", 3, 11]]);
  });

  test("record, retention_days and on_error are checked by the schema", async () => {
    const issues = await issuesOf(`name: t
record: some
retention_days: 0
on_error: Alert-Team
${TAIL}`);
    assert.deepEqual(issues.map((i) => [i.code, i.line]), [["schema", 2], ["schema", 3], ["schema", 4]]);
    assert.match(issues[0].message, /record must be one of "all", "failures", "none"/);
  });
});
