/**
 * What a synchronous trigger (`/q/:name`, `POST /webhooks/named/:name/query`; not `POST /execute`,
 * which always answers the run record for `acr run`)
 * answers for a finished run: the response of its `respond` node when one succeeded (status,
 * headers, body exactly as the node built them); else, with `?return=result`, only the run's
 * `result` as JSON; else the whole run record.
 */
import type { Context } from "hono";
import { responseBody, runResponse, type RunRecord } from "@arcrun/core";

/** The query parameter that asks for the result alone (`/q` does not pass it on as input). */
export const RETURN_PARAM = "return";

/** `extra` headers (e.g. `Idempotent-Replayed`) go on every form of the answer. */
export function answerRun(c: Context, run: RunRecord, extra?: Record<string, string>): Response {
  for (const [name, value] of Object.entries(extra ?? {})) c.header(name, value);
  const spec = runResponse(run);
  if (spec) {
    const { text, contentType } = responseBody(spec);
    const headers = new Headers(spec.headers);
    for (const [name, value] of Object.entries(extra ?? {})) headers.set(name, value);
    if (!headers.has("content-type")) headers.set("content-type", contentType);
    return new Response(text, { status: spec.status, headers });
  }
  if (c.req.query(RETURN_PARAM) === "result") return c.json(run.result ?? null);
  return c.json(run);
}
