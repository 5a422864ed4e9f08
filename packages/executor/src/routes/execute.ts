/** `POST /execute` `{workflow: <YAML text or object>, input}` → the finished run (nothing stored but the run). */
import { Hono } from "hono";
import { assertDepth, ExecuteRequestSchema, IDEMPOTENCY_HEADER, traceIdFrom } from "@arcrun/core";
import type { AppEnv } from "../env";
import { bodyKind, readBody, unsupportedType } from "../request";
import { compileOrThrow } from "../services/compiled";
import { newRunId, runToCompletion } from "../services/runner";
import { REPLAYED_HEADER, runSyncOnce } from "../services/idempotency";

export const execute = new Hono<AppEnv>().post("/", async (c) => {
  const kind = bodyKind(c);
  if (kind !== "json" && kind !== "none" && kind !== "empty") unsupportedType(c, 'JSON with `Content-Type: application/json`: {"workflow": "<yaml>", "input": {...}}');
  const body = await readBody(c, ExecuteRequestSchema, {
    message: "POST /execute needs a JSON object with a `workflow` field (YAML text or a workflow object).",
    hint: 'Send {"workflow": "<yaml text>", "input": {...}}; `acr run <file>` does this for you.',
  });
  // before anything recurses over them (the YAML printer, the run record's JSON)
  assertDepth(body.workflow, "the workflow");
  assertDepth(body.input, "the input");
  const services = c.get("services");
  const workflow = await compileOrThrow(body.workflow, services.resolver);
  const input = body.input ?? {};
  const { run, replayed } = await runSyncOnce(services, {
    workflow, input, header: c.req.header(IDEMPOTENCY_HEADER), runId: newRunId(),
    run: (runId) => runToCompletion({ workflow, input, trigger: "execute", services, traceId: traceIdFrom(c.req.header("traceparent")), background: (w) => c.executionCtx.waitUntil(w) }, runId),
  });
  if (replayed) c.header(REPLAYED_HEADER, "true");
  return c.json(run);
});
