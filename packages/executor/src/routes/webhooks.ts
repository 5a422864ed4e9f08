/**
 * `POST /webhooks/:token/trigger` (public: the token is the secret) → 202 `{run_id}`, the
 * run saved as `running` and finished in `waitUntil`.
 * `POST /webhooks/named/:name/query` (API key) → the finished run, or its `respond` node's
 * response (services/answer.ts); the JSON body is the input.
 * A signed webhook trigger is verified over the raw body before anything runs
 * (services/webhook-signature.ts); `Idempotency-Key` (or the workflow's `idempotency_key`)
 * makes a repeated delivery answer the first run (services/idempotency.ts).
 */
import { Hono, type Context } from "hono";
import { arcrunError, assertDepth, IDEMPOTENCY_HEADER, traceIdFrom } from "@arcrun/core";
import type { AppEnv } from "../env";
import { bodyKind, readJson, unsupportedType } from "../request";
import { compileStored } from "../services/compiled";
import { newRunId, runToCompletion, startInBackground } from "../services/runner";
import { answerRun } from "../services/answer";
import { claimIdempotency, REPLAYED_HEADER, runSyncOnce } from "../services/idempotency";
import { checkSignedDelivery, signedWebhook } from "../services/webhook-signature";
import { getOr404 } from "./workflows";

export const webhooks = new Hono<AppEnv>()
  .post("/named/:name/query", async (c) => {
    const input = await readInput(c);
    const services = c.get("services");
    const workflow = await compileStored(await getOr404(c, c.req.param("name")), services.resolver);
    const { run, replayed } = await runSyncOnce(services, {
      workflow, input, header: c.req.header(IDEMPOTENCY_HEADER), runId: newRunId(),
      run: (runId) => runToCompletion({ workflow, input, trigger: "query", services, traceId: traceIdFrom(c.req.header("traceparent")), background: (w) => c.executionCtx.waitUntil(w) }, runId),
    });
    return answerRun(c, run, replayed ? { [REPLAYED_HEADER]: "true" } : undefined);
  })
  .post("/:token/trigger", async (c) => {
    const services = c.get("services");
    const token = c.req.param("token");
    const stored = /^[0-9a-f]{32,128}$/.test(token) ? await services.workflows.getByToken(token) : undefined;
    if (!stored) {
      throw arcrunError("webhook_not_found", "No workflow has this webhook URL.", {
        hint: "The URL may be mistyped or the workflow deleted; `GET /workflows/:name` shows its current webhook_url.",
      });
    }
    const workflow = await compileStored(stored, services.resolver);
    const runId = newRunId();
    const verify = signedWebhook(workflow);
    if (verify) {
      // the exact bytes received (Hono keeps them for readInput below)
      const body = new Uint8Array(await c.req.arrayBuffer());
      await checkSignedDelivery(services, { workflow, verify, headers: c.req.raw.headers, body, runId });
    }
    const input = await readInput(c);
    const claim = await claimIdempotency(services, { workflow, header: c.req.header(IDEMPOTENCY_HEADER), input, runId });
    if (claim.kind === "duplicate") {
      c.header(REPLAYED_HEADER, "true");
      return c.json({ run_id: claim.runId }, 202);
    }
    try {
      const { done } = await startInBackground({ workflow, input, trigger: "webhook", services, runId, traceId: traceIdFrom(c.req.header("traceparent")) });
      c.executionCtx.waitUntil(done);
    } catch (error) {
      if (claim.kind === "first") await claim.release();
      throw error;
    }
    return c.json({ run_id: runId }, 202);
  });

/** The trigger payload: a JSON body, or `{}` when there is none; refused when nested too deeply to run. */
async function readInput(c: Context<AppEnv>): Promise<unknown> {
  const kind = bodyKind(c);
  if (kind === "empty") return {};
  if (kind !== "json" && kind !== "none") unsupportedType(c, "the input as JSON with `Content-Type: application/json`");
  const input = await readJson(c, { allowEmpty: true, fallback: {} });
  assertDepth(input, "the input");
  return input;
}
