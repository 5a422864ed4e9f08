/**
 * Validates the parsed data against `WorkflowSchema` and rewrites zod's terse issues as
 * plain sentences with a position and a fix: `unknown key "flows" — did you mean flow?`.
 */
import type { WorkflowIssue } from "../errors";
import { suggest } from "./suggest";
import type { z } from "../schema";
import { CronTriggerSchema, LimitsSchema, NodeConfigSchema, WebhookVerifySchema, WorkflowSchema } from "./schema";
import type { SourceLocator, SourcePath } from "./source-locator";

type ZodIssue = z.core.$ZodIssue;

const TRIGGER_HINT =
  'a trigger is "webhook", "manual", "query", {cron: "*/15 * * * *", timezone: Europe/Berlin, input: {...}} or {webhook: {verify: {scheme: github, secret: <credential name>}}}';

/** What to write, by key name: the hint for a missing or wrong value. */
const FIELD_HINTS: Record<string, string> = {
  name: "e.g. name: signup_alert (lowercase letters, digits and _, unique per tenant)",
  description: "a short sentence, e.g. description: Validate a signup and tell the team",
  triggers: `a list, e.g. triggers: [webhook, {cron: "*/15 * * * *"}]; ${TRIGGER_HINT}`,
  flow: 'a list of edges, e.g.\nflow:\n  - "input >> ON_SUCCESS >> check"\n  - "(check)-[:ON_FAILURE]->(log_bad)"',
  config: "a map from node name to its settings, e.g.\nconfig:\n  check:\n    component: validate_json",
  component: "the component this node runs, e.g. component: code",
  limits: "e.g. limits: {timeout_ms: 5000, retries: 2, backoff_ms: 500}",
  egress: 'a list of hosts, e.g. egress: ["api.example.com"]',
  ai: 'defaults for ai_chat, ai_extract and ai_embed, e.g. ai: {provider: openai, model: gpt-4o-mini, api_key: "{{credential.openai}}"} (provider: workers_ai, openai or anthropic)',
  timeout_ms: "milliseconds, a whole number up to 900000 (15 minutes)",
  cpu_ms: "milliseconds of synchronous work (code, WASM components), a whole number up to 30000; default 100",
  max_output_bytes: "bytes, a whole number",
  retries: "a whole number from 0 to 10",
  backoff_ms: "milliseconds between retries (doubles each time), a whole number up to 60000",
  memory_pages: "WASM memory cap in 64 KiB pages, a whole number up to 65536",
  cron: 'five fields, e.g. cron: "*/15 * * * *"',
  timezone: "an IANA timezone, e.g. timezone: Europe/Berlin (default UTC)",
  verify: "e.g. verify: {scheme: github, secret: github_webhook_secret}",
  scheme: "hmac-sha256, github, stripe or slack",
  secret: "the name of the credential holding the signing secret, e.g. secret: github_webhook_secret",
  header: "the header carrying the signature, e.g. header: X-Signature",
  timestamp_header: "the header carrying the signed Unix time, e.g. timestamp_header: X-Timestamp",
  tolerance_s: "seconds a signed timestamp may be off, a whole number up to 86400 (default 300)",
  idempotency_key: 'a template over the payload, e.g. idempotency_key: "{{input.event_id}}"',
  retention_days: "days runs are kept, a whole number up to 3650 (default 30)",
  on_error: "the workflow to run when a run fails, e.g. on_error: alert_on_failure",
  record: "all, failures or none",
};

export function schemaIssues(data: unknown, locate: SourceLocator): WorkflowIssue[] {
  const result = WorkflowSchema.safeParse(data);
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => explain(issue, data, locate));
}

function explain(issue: ZodIssue, data: unknown, locate: SourceLocator): WorkflowIssue[] {
  const path = issue.path as (string | number)[];
  const node = path[0] === "config" && typeof path[1] === "string" ? path[1] : undefined;
  const base = { code: "schema", node };
  const where = describePath(path);
  const fieldHint = FIELD_HINTS[String(path[path.length - 1])];

  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => {
        const allowed = allowedKeys(path, data);
        const suggestion = suggest(key, allowed);
        const place = path.length === 0 ? "at the top level" : `in ${where}`;
        return {
          ...base,
          message: `unknown key "${key}" ${place}${suggestion ? ` — did you mean ${suggestion}?` : ""}`,
          hint: suggestion ? `rename "${key}" to "${suggestion}"` : `allowed keys: ${allowed.join(", ")}`,
          ...locate.key([...path, key]),
        };
      });
    case "invalid_type": {
      const value = valueAt(data, path);
      if (value === undefined) {
        const parent = path.length > 1 ? ` in ${describePath(path.slice(0, -1))}` : "";
        return [{ ...base, message: `missing required key "${path[path.length - 1]}"${parent}`, hint: fieldHint, ...locate.at(path) }];
      }
      if (path.length === 0) {
        return [{ ...base, message: `a workflow file must be a YAML map of keys, not ${kindOf(value)}`, hint: `start with name:, flow: and config:; ${FIELD_HINTS.flow}`, ...locate.at(path) }];
      }
      return [{ ...base, message: `${where} must be ${article(issue.expected)}, not ${kindOf(value)}`, hint: fieldHint, ...locate.at(path) }];
    }
    case "invalid_union": {
      // A trigger map that is clearly a cron or a webhook one: explain what is wrong inside it.
      const option = triggerOption(path, data);
      if (option !== undefined && issue.errors[option]) {
        return issue.errors[option].flatMap((inner) => explain({ ...inner, path: [...path, ...inner.path] } as ZodIssue, data, locate));
      }
      return [{ ...base, message: `${where} is not a valid ${path[0] === "triggers" ? "trigger" : "value"}: ${short(valueAt(data, path))}`, hint: path[0] === "triggers" ? TRIGGER_HINT : fieldHint, ...locate.at(path) }];
    }
    case "invalid_value":
      return [{ ...base, message: `${where} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`, hint: fieldHint, ...locate.at(path) }];
    case "too_small":
      return [{ ...base, message: tooSmall(where, issue), hint: fieldHint, ...locate.at(path) }];
    case "too_big":
      return [{ ...base, message: `${where} must be at most ${String(issue.maximum)}`, hint: fieldHint, ...locate.at(path) }];
    case "invalid_format":
      return [{ ...base, message: `${where} ${short(valueAt(data, path))} is not valid: ${issue.message}`, hint: fieldHint, ...locate.at(path) }];
    default:
      return [{ ...base, message: `${where}: ${issue.message}`, hint: fieldHint, ...locate.at(path) }];
  }
}

function tooSmall(where: string, issue: Extract<ZodIssue, { code: "too_small" }>): string {
  if (issue.origin === "array") return `${where} is empty: list at least ${String(issue.minimum)}`;
  if (issue.origin === "string") return `${where} must not be empty`;
  return `${where} must be at least ${String(issue.minimum)}${issue.origin === "number" && issue.inclusive === false ? " (exclusive)" : ""}`;
}

/** Which option of TriggerSchema a trigger map means (1: cron, 2: webhook), by its keys. */
function triggerOption(path: SourcePath, data: unknown): number | undefined {
  if (path[0] !== "triggers" || path.length !== 2) return undefined;
  const value = valueAt(data, path);
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  return "cron" in value ? 1 : "webhook" in value ? 2 : undefined;
}

/** Keys allowed in the object at `path`, for did-you-mean. */
function allowedKeys(path: SourcePath, data: unknown): string[] {
  if (path.length === 0) return Object.keys(WorkflowSchema.shape);
  if (path[0] === "config" && path[2] === "limits") return Object.keys(LimitsSchema.shape);
  if (path[0] === "config") return Object.keys(NodeConfigSchema.shape);
  if (path[0] === "triggers" && path[3] === "verify") return Object.keys(WebhookVerifySchema.shape);
  if (path[0] === "triggers" && path[2] === "webhook") return ["secret", "verify"];
  if (path[0] === "triggers") return triggerOption(path, data) === 1 ? Object.keys(CronTriggerSchema.shape) : ["cron", "webhook"];
  return [];
}

function describePath(path: SourcePath): string {
  if (path.length === 0) return "the file";
  return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

function valueAt(data: unknown, path: SourcePath): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function kindOf(value: unknown): string {
  if (value === null) return "empty (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  return `${article(typeof value)} (${short(value)})`;
}

function article(type: string): string {
  const word = type === "object" ? "map" : type === "array" ? "list" : type;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
