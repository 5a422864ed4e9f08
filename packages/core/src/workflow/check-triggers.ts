/**
 * Trigger settings the schema cannot judge: cron expressions and timezones (croner), webhook
 * `verify` combinations, the `idempotency_key` template, and `on_error` naming itself.
 * Reads whatever parts are well-formed; shape errors are the schema check's.
 */
import type { WorkflowIssue } from "../errors";
import { CREDENTIAL_NAME } from "../crypto/credential";
import { cronProblem } from "../triggers/cron";
import { idempotencyTemplateProblem } from "../triggers/idempotency";
import { PRESET_HEADERS, SIGNATURE_SCHEMES, type SignatureScheme } from "../triggers/signature";
import type { SourceLocator } from "./source-locator";
import { isRecord } from "./workflow-view";

export function checkTriggers(data: unknown, locate: SourceLocator, now: Date = new Date()): WorkflowIssue[] {
  if (!isRecord(data)) return [];
  const issues: WorkflowIssue[] = [];
  const triggers = Array.isArray(data.triggers) ? data.triggers : [];
  triggers.forEach((trigger, i) => {
    if (!isRecord(trigger)) return;
    if (typeof trigger.cron === "string" && (trigger.timezone === undefined || typeof trigger.timezone === "string")) {
      const problem = cronProblem({ cron: trigger.cron, timezone: trigger.timezone as string | undefined }, now);
      if (problem) issues.push({ code: problem.code, message: `triggers[${i}].${problem.field}: ${problem.message}`, hint: problem.hint, ...locate.at(["triggers", i, problem.field]) });
    }
    const webhook = trigger.webhook;
    if (isRecord(webhook) && isRecord(webhook.verify)) issues.push(...checkVerify(webhook.verify, ["triggers", i, "webhook", "verify"], locate));
  });

  if (typeof data.idempotency_key === "string") {
    const problem = idempotencyTemplateProblem(data.idempotency_key);
    if (problem) issues.push({ code: "idempotency_key_template", message: `idempotency_key: ${problem}`, hint: 'derive the key from the payload, e.g. idempotency_key: "{{input.event_id}}"', ...locate.at(["idempotency_key"]) });
  }
  if (typeof data.on_error === "string" && data.on_error === data.name) {
    issues.push({ code: "on_error_self", message: `on_error names this workflow (${data.on_error}): a failing error handler would start itself again`, hint: "point on_error at another workflow, e.g. on_error: alert_on_failure", ...locate.at(["on_error"]) });
  }
  return issues;
}

function checkVerify(verify: Record<string, unknown>, path: (string | number)[], locate: SourceLocator): WorkflowIssue[] {
  const issues: WorkflowIssue[] = [];
  const where = `${path[0]}[${path[1]}].webhook.verify`;
  const scheme = verify.scheme as SignatureScheme;
  if (!SIGNATURE_SCHEMES.includes(scheme)) return issues; // the schema reports it
  if (scheme !== "hmac-sha256") {
    const preset = PRESET_HEADERS[scheme];
    for (const key of ["header", "timestamp_header"] as const) {
      if (verify[key] === undefined) continue;
      issues.push({
        code: "webhook_verify",
        message: `${where}.${key}: the ${scheme} scheme always reads ${key === "header" ? preset.header : preset.timestamp_header ?? "no timestamp header"}`,
        hint: `remove ${key}, or use scheme: hmac-sha256 to choose the headers yourself`,
        ...locate.key([...path, key]),
      });
    }
  }
  if (typeof verify.secret === "string" && !CREDENTIAL_NAME.test(verify.secret)) {
    issues.push({
      code: "webhook_verify",
      message: `${where}.secret must name a credential, not ${JSON.stringify(verify.secret.slice(0, 40))}`,
      hint: "store the signing secret with `acr creds push` and write its name here, e.g. secret: github_webhook_secret",
      ...locate.at([...path, "secret"]),
    });
  }
  return issues;
}
