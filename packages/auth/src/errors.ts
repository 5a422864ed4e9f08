/**
 * Errors become `{error: {code, message, hint?}}` with the status from core's error table, as in
 * the executor; anything unexpected is a 500 `internal_error` that says nothing about internals
 * (and never a header: the Cloudflare token is in one).
 */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { arcrunError, type ArcrunError } from "@arcrun/core/errors";
import { arcrunAnswer, errorAnswer, noEndpoint, type ErrorAnswer } from "@arcrun/core/errors/answer";
import type { z } from "@arcrun/core/schema";
import type { AppEnv } from "./env";

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  const answer = errorAnswer(err, "The auth Worker", err instanceof HTTPException ? err : undefined);
  // the error's name and message only: never the request (its headers hold the token)
  if (answer.internal) console.error(`internal error on ${c.req.method} ${new URL(c.req.url).pathname}: ${err instanceof Error ? `${err.name}: ${err.message}` : "unknown"}`);
  return send(c, answer);
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(c, noEndpoint(c.req.method, c.req.url, "GET /health, POST /register, GET|POST /keys, DELETE /keys/:id, PUT /token, DELETE /tenant"));

export function errorResponse(c: Context, err: ArcrunError): Response {
  return send(c, arcrunAnswer(err));
}

function send(c: Context, answer: ErrorAnswer): Response {
  return c.json(answer.body, answer.status as ContentfulStatusCode, answer.headers);
}

/** The JSON body (an empty body is `{}`), or 400 invalid_json. */
export async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw arcrunError("invalid_json", "The body is not JSON.", { hint: "Send a JSON body with `Content-Type: application/json`." });
  }
}

/** The body checked against core's schema: 400 invalid_request naming the first field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, hint: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.map(String).join(".") || "(body)";
  throw arcrunError("invalid_request", `${field}: ${issue.message}`, { hint, details: { field, problem: issue.message } });
}
