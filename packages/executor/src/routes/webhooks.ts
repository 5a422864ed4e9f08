/**
 * `POST /webhooks/:token/trigger` (public: the token is the secret) → 202 `{run_id}`, the
 * run saved as `running` and finished in `waitUntil`.
 * `POST /webhooks/named/:name/query` (API key) → the finished run, or its `respond` node's
 * response (services/answer.ts); the JSON body is the input.
 */
import { Hono, type Context } from "hono";
import { arcrunError, assertDepth } from "@arcrun/core";
import type { AppEnv } from "../env";
import { bodyKind, readJson, unsupportedType } from "../request";
import { compileStored } from "../services/compiled";
import { runToCompletion, startInBackground } from "../services/runner";
import { answerRun } from "../services/answer";
import { getOr404 } from "./workflows";

export const webhooks = new Hono<AppEnv>()
  .post("/named/:name/query", async (c) => {
    const input = await readInput(c);
    const { services } = c.var;
    const workflow = await compileStored(await getOr404(c, c.req.param("name")), services.resolver);
    return answerRun(c, await runToCompletion({ workflow, input, trigger: "query", services, background: (w) => c.executionCtx.waitUntil(w) }));
  })
  .post("/:token/trigger", async (c) => {
    const { services } = c.var;
    const token = c.req.param("token");
    const stored = /^[0-9a-f]{32,128}$/.test(token) ? await services.workflows.getByToken(token) : undefined;
    if (!stored) {
      throw arcrunError("webhook_not_found", "No workflow has this webhook URL.", {
        hint: "The URL may be mistyped or the workflow deleted; `GET /workflows/:name` shows its current webhook_url.",
      });
    }
    const input = await readInput(c);
    const workflow = await compileStored(stored, services.resolver);
    const { runId, done } = await startInBackground({ workflow, input, trigger: "webhook", services });
    c.executionCtx.waitUntil(done);
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
