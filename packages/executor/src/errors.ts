/**
 * The one place errors become responses: `{error: {code, message, hint?}}` with the error's
 * status from core's error table (ERROR_CODES). User mistakes answer 4xx; anything unexpected becomes a 500
 * `internal_error` whose body says nothing about internals (the details go to the log).
 */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ArcrunError } from "@arcrun/core";
import { arcrunAnswer, errorAnswer, noEndpoint, type ErrorAnswer } from "@arcrun/core/errors/answer";
import type { AppEnv } from "./env";

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  const answer = errorAnswer(err, "The executor", err instanceof HTTPException ? err : undefined);
  if (answer.internal) console.error(`internal error on ${c.req.method} ${new URL(c.req.url).pathname}:`, err);
  return send(c, answer);
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(
    c,
    noEndpoint(c.req.method, c.req.url, "GET /health, POST /execute, GET|POST /workflows, GET|DELETE /workflows/:name, POST /webhooks/:token/trigger, GET /q/:name, POST /webhooks/named/:name/query, GET /runs, GET /runs/:id, GET /credentials, PUT|DELETE /credentials/:name, GET /components, GET|PUT|DELETE /components/:name"),
  );

export function errorResponse(c: Context, err: ArcrunError): Response {
  return send(c, arcrunAnswer(err));
}

function send(c: Context, answer: ErrorAnswer): Response {
  return c.json(answer.body, answer.status as ContentfulStatusCode, answer.headers);
}
