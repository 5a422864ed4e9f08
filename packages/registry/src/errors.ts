/**
 * Errors become `{error: {code, message, hint?}}` with the status from core's error table, as in
 * the executor; anything unexpected is a 500 `internal_error` that says nothing about internals.
 */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { arcrunError, type ArcrunError } from "@arcrun/core/errors";
import { arcrunAnswer, errorAnswer, noEndpoint, type ErrorAnswer } from "@arcrun/core/errors/answer";
import type { AppEnv } from "./env";

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  const answer = errorAnswer(err, "The registry", err instanceof HTTPException ? err : undefined);
  if (answer.internal) console.error(`internal error on ${c.req.method} ${new URL(c.req.url).pathname}:`, err);
  return send(c, answer);
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(
    c,
    noEndpoint(c.req.method, c.req.url, "GET /health, GET /components, GET /components/:name, GET /components/:name/:version, GET /components/:name/:version/module, POST /submit, GET /submit/:id, PATCH /submit/:id/approve, PATCH /submit/:id/reject, POST /analytics/record"),
  );

export function errorResponse(c: Context, err: ArcrunError): Response {
  return send(c, arcrunAnswer(err));
}

function send(c: Context, answer: ErrorAnswer): Response {
  return c.json(answer.body, answer.status as ContentfulStatusCode, answer.headers);
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
