/**
 * Idempotency: the same key for the same workflow within 24 h starts nothing and returns the
 * first run. The key comes from the `Idempotency-Key` header of any trigger or, when the header
 * is absent, from the workflow's `idempotency_key` template over the payload
 * (`idempotency_key: "{{input.event_id}}"`). The caller's explicit header wins.
 *
 * Flow for the executor: `idempotencyKeyFor(...)` → (key) → `claimRun(store, ...)`; claimed:
 * start the run; not claimed: answer with the first run (202 + run_id for async triggers, the
 * recorded result for sync ones). A run that then fails to start should `store.release` its key.
 */
import { arcrunError } from "../errors";
import { findTemplates, resolveTemplates, TemplateResolutionError, TemplateSyntaxError } from "../templates/index";
import type { Claim, ClaimStore } from "./claim-store";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

const CONTROL = /[\u0000-\u001f\u007f]/;

/** A valid key, or a 400 `invalid_idempotency_key` error saying what is wrong. */
export function checkIdempotencyKey(key: string, source = `the ${IDEMPOTENCY_HEADER} header`): string {
  const length = [...key].length;
  const problem =
    length === 0 ? "is empty"
    : length > MAX_IDEMPOTENCY_KEY_LENGTH ? `is ${length} characters long; at most ${MAX_IDEMPOTENCY_KEY_LENGTH} are allowed`
    : CONTROL.test(key) ? "contains a control character"
    : undefined;
  if (problem) {
    throw arcrunError("invalid_idempotency_key", `The idempotency key from ${source} ${problem}.`, {
      hint: `Send 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable characters, e.g. a UUID or the sender's event id: ${IDEMPOTENCY_HEADER}: 2f1c6b7e-5d0a-4b8e-9a43-1e2f3d4c5b6a`,
    });
  }
  return key;
}

/**
 * Problems with a workflow's `idempotency_key` template, for validation: it must contain at
 * least one template and read only `{{input...}}` (the key exists before any node runs).
 */
export function idempotencyTemplateProblem(template: string): string | undefined {
  let refs;
  try {
    refs = findTemplates(template);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) return error.message;
    throw error;
  }
  if (refs.length === 0) return `"${template}" has no template: every delivery would share one key`;
  const other = refs.find((r) => r.root !== "input");
  if (other) return `"{{${other.expression}}}" reads ${other.root === "credential" ? "a credential" : `node "${other.root}"`}; the key is made from the payload before any node runs, so use {{input...}}`;
  return undefined;
}

/** The key for one delivery: the header's (validated) or the template's over the payload; undefined when neither applies. */
export function idempotencyKeyFor(args: { header?: string | null; template?: string; input: unknown }): string | undefined {
  if (args.header !== undefined && args.header !== null) return checkIdempotencyKey(args.header);
  if (args.template === undefined) return undefined;
  let value: unknown;
  try {
    value = resolveTemplates(args.template, { input: args.input, nodes: {} });
  } catch (error) {
    if (!(error instanceof TemplateResolutionError)) throw error;
    throw arcrunError("invalid_idempotency_key", `The workflow derives its idempotency key from ${args.template}, but the payload has no such value: ${error.message}.`, {
      hint: `Send a payload that contains it, or send an ${IDEMPOTENCY_HEADER} header.`,
    });
  }
  if (typeof value !== "string" && typeof value !== "number") {
    throw arcrunError("invalid_idempotency_key", `The idempotency key template ${args.template} gave ${value === null ? "null" : Array.isArray(value) ? "a list" : typeof value}, not a string or number.`, {
      hint: "Point the template at a text or number field of the payload, e.g. idempotency_key: \"{{input.event_id}}\".",
    });
  }
  return checkIdempotencyKey(String(value), `idempotency_key ${args.template}`);
}

/** `idem:{workflow}:{key}`. Workflow names hold no `:`, so the prefix cannot collide. Stores scope tenants themselves. */
export function idempotencyStorageKey(workflow: string, key: string): string {
  return `idem:${workflow}:${key}`;
}

/** Claim `key` for `runId` on `workflow` for 24 h (or `ttlSeconds`): first claimer wins, others get its run id. */
export function claimRun(store: ClaimStore, args: { workflow: string; key: string; runId: string; ttlSeconds?: number }): Promise<Claim> {
  return store.claim(idempotencyStorageKey(args.workflow, args.key), args.runId, args.ttlSeconds ?? IDEMPOTENCY_TTL_SECONDS);
}
