/**
 * The one place errors become responses: `{error: {code, message, hint?}}` with the error's
 * status. User mistakes carry their own 4xx status; anything unexpected becomes a 500
 * `internal_error` whose body says nothing about internals (the details go to the log).
 */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ArcrunError, userError } from "@arcrun/core";
import type { AppEnv } from "./env";

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof ArcrunError && err.kind !== "internal") return errorResponse(c, err);
  if (err instanceof HTTPException) {
    const code = err.status === 413 ? "payload_too_large" : `http_${err.status}`;
    return c.json({ error: { code, message: err.message || `HTTP ${err.status}` } }, err.status);
  }
  console.error(`internal error on ${c.req.method} ${new URL(c.req.url).pathname}:`, err);
  return c.json(
    {
      error: {
        code: "internal_error",
        message: "The executor hit an unexpected error while handling this request.",
        hint: "This is a bug in arcrun, not in your request; the executor log has the details.",
      },
    },
    500,
  );
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(
    c,
    userError("not_found", `No endpoint ${c.req.method} ${new URL(c.req.url).pathname}.`, {
      status: 404,
      hint: "Endpoints: GET /health, POST /execute, GET|POST /workflows, GET|DELETE /workflows/:name, POST /webhooks/:token/trigger, GET /q/:name, POST /webhooks/named/:name/query, GET /runs, GET /runs/:id, GET /credentials, PUT|DELETE /credentials/:name, GET /components, GET|PUT|DELETE /components/:name.",
    }),
  );

export function errorResponse(c: Context, err: ArcrunError): Response {
  return c.json(err.toBody(), err.status as ContentfulStatusCode);
}

export const notFound = (what: string, name: string, hint: string) =>
  userError(`${what}_not_found`, `No ${what} named "${name}".`, { status: 404, hint });
