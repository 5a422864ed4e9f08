/**
 * Reading request bodies the same way on every route: the content type decides the parser,
 * malformed JSON is a 400 that quotes the parser, an unsupported type is a 415 with a hint.
 * (The 1 MiB cap is enforced before this by the body-limit middleware in app.ts.)
 */
import type { Context } from "hono";
import { arcrunError } from "@arcrun/core";
import type { z } from "@arcrun/core/schema";

export type BodyKind = "json" | "yaml" | "empty" | "none" | "other";

const YAML_TYPES = new Set(["text/yaml", "application/yaml", "application/x-yaml", "text/x-yaml", "text/plain"]);

/** `none`: no content-type header (curl without -H); `empty`: no body at all. */
export function bodyKind(c: Context): BodyKind {
  const header = c.req.header("content-type");
  const length = c.req.header("content-length");
  if (!c.req.raw.body || length === "0") return "empty";
  if (!header) return "none";
  const type = header.split(";")[0].trim().toLowerCase();
  if (type === "application/json" || type.endsWith("+json")) return "json";
  if (YAML_TYPES.has(type)) return "yaml";
  return "other";
}

/** Parses the body as JSON; `allowEmpty` turns an empty body into `fallback`. */
export async function readJson(c: Context, options: { allowEmpty?: boolean; fallback?: unknown } = {}): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") {
    if (options.allowEmpty) return options.fallback;
    throw arcrunError("invalid_json", "The request body is empty; a JSON document was expected.", {
      hint: 'Send a JSON body with `Content-Type: application/json`, e.g. {"input": {}}.',
    });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw arcrunError("invalid_json", `The request body is not valid JSON: ${(err as Error).message}`, {
      hint: "Check the body with a JSON linter; strings need double quotes and no trailing commas.",
    });
  }
}

/**
 * Reads the JSON body and checks it against core's schema for it: a body of the wrong shape
 * is a 400 `invalid_request` with the route's message and hint, and the first problem zod
 * found (hono/validator's json target would skip bodies sent without a JSON content type,
 * which these routes accept, so the check is this function).
 */
export async function readBody<S extends z.ZodType>(c: Context, schema: S, refusal: { message: string; hint: string }): Promise<z.infer<S>> {
  const parsed = schema.safeParse(await readJson(c));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw arcrunError("invalid_request", refusal.message, {
    hint: refusal.hint,
    details: { field: issue.path.join(".") || "(body)", problem: issue.message },
  });
}

export function unsupportedType(c: Context, accepted: string): never {
  throw arcrunError("unsupported_media_type", `Content-Type "${c.req.header("content-type")}" is not accepted here.`, {
    hint: `Send ${accepted}.`,
  });
}
