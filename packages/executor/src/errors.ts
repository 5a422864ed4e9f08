/**
 * The one place errors become responses: `{error: {code, message, hint?}}` with the error's
 * status from core's error table (ERROR_CODES). User mistakes answer 4xx; anything unexpected becomes a 500
 * `internal_error` whose body says nothing about internals (the details go to the log).
 */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { apiErrorBody, ArcrunError, arcrunError, ERROR_CODES } from "@arcrun/core";
import type { AppEnv } from "./env";

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof ArcrunError && err.kind !== "internal") return errorResponse(c, err);
  if (err instanceof HTTPException) {
    const code = err.status === 413 ? "payload_too_large" : `http_${err.status}`;
    return c.json(apiErrorBody(code, err.message || `HTTP ${err.status}`), err.status);
  }
  console.error(`internal error on ${c.req.method} ${new URL(c.req.url).pathname}:`, err);
  const internal = ERROR_CODES.internal_error;
  return c.json(
    apiErrorBody("internal_error", "The executor hit an unexpected error while handling this request.", { hint: internal.hint }),
    internal.status as ContentfulStatusCode,
  );
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(
    c,
    arcrunError("not_found", `No endpoint ${c.req.method} ${new URL(c.req.url).pathname}.`, {
      hint: "Endpoints: GET /health, POST /execute, GET|POST /workflows, GET|DELETE /workflows/:name, POST /webhooks/:token/trigger, GET /q/:name, POST /webhooks/named/:name/query, GET /runs, GET /runs/:id, GET /credentials, PUT|DELETE /credentials/:name, GET /components, GET|PUT|DELETE /components/:name.",
    }),
  );

export function errorResponse(c: Context, err: ArcrunError): Response {
  return c.json(err.toBody(), err.status as ContentfulStatusCode);
}
