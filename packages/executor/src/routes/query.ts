/**
 * `GET /q/:name?a=1&b=x` → the finished run, the query parameters being the input object
 * (values are strings; a repeated parameter becomes an array of strings). What it answers:
 * services/answer.ts (`?return=result` is read there and not passed on as input).
 */
import { Hono } from "hono";
import { IDEMPOTENCY_HEADER, setOwn, traceIdFrom } from "@arcrun/core";
import type { AppEnv } from "../env";
import { compileStored } from "../services/compiled";
import { newRunId, runToCompletion } from "../services/runner";
import { answerRun, RETURN_PARAM } from "../services/answer";
import { REPLAYED_HEADER, runSyncOnce } from "../services/idempotency";
import { getOr404 } from "./workflows";

export const query = new Hono<AppEnv>().get("/:name", async (c) => {
  // read from the URL itself, keys as own properties: `?__proto__=x&constructor=y` are ordinary parameters
  const grouped = new Map<string, string[]>();
  for (const [key, value] of new URL(c.req.url).searchParams) if (!(key === RETURN_PARAM && value === "result")) grouped.set(key, [...(grouped.get(key) ?? []), value]);
  const input: Record<string, unknown> = {};
  for (const [key, values] of grouped) setOwn(input, key, values.length === 1 ? values[0] : values);
  const services = c.get("services");
  const workflow = await compileStored(await getOr404(c, c.req.param("name")), services.resolver);
  const { run, replayed } = await runSyncOnce(services, {
    workflow, input, header: c.req.header(IDEMPOTENCY_HEADER), runId: newRunId(),
    run: (runId) => runToCompletion({ workflow, input, trigger: "query", services, traceId: traceIdFrom(c.req.header("traceparent")), background: (w) => c.executionCtx.waitUntil(w) }, runId),
  });
  return answerRun(c, run, replayed ? { [REPLAYED_HEADER]: "true" } : undefined);
});
