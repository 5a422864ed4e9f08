/**
 * Errors become `{error: {code, message, hint?}}` with the status from core's error table, as in
 * the executor; anything unexpected is a 500 `internal_error` that says nothing about internals.
 */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { apiErrorBody, ArcrunError, arcrunError, ERROR_CODES } from "@arcrun/core/errors";
import type { AppEnv } from "./env";

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof ArcrunError && err.kind !== "internal") return errorResponse(c, err);
  if (err instanceof HTTPException) {
    const code = err.status === 413 ? "payload_too_large" : `http_${err.status}`;
    return c.json(apiErrorBody(code, err.message || `HTTP ${err.status}`), err.status);
  }
  console.error(`internal error on ${c.req.method} ${new URL(c.req.url).pathname}:`, err);
  const internal = ERROR_CODES.internal_error;
  return c.json(apiErrorBody("internal_error", "The registry hit an unexpected error while handling this request.", { hint: internal.hint }), internal.status as ContentfulStatusCode);
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(
    c,
    arcrunError("not_found", `No endpoint ${c.req.method} ${new URL(c.req.url).pathname}.`, {
      hint: "Endpoints: GET /health, GET /components, GET /components/:name, GET /components/:name/:version, GET /components/:name/:version/module, POST /submit, GET /submit/:id, PATCH /submit/:id/approve, PATCH /submit/:id/reject, POST /analytics/record.",
    }),
  );

export function errorResponse(c: Context, err: ArcrunError): Response {
  return c.json(err.toBody(), err.status as ContentfulStatusCode);
}

/** The JSON body, or 400 invalid_json. */
export async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw arcrunError("invalid_json", "The body is not JSON.", { hint: "Send a JSON body with `Content-Type: application/json`." });
  }
}

/** zod's first issues as one line: `records.0.success: expected boolean`. */
export function issuesLine(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join(".") || "(body)"}: ${i.message}`)
    .join("; ");
}
