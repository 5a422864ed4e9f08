/** `POST /execute` `{workflow: <YAML text or object>, input}` → the finished run (nothing stored but the run). */
import { Hono } from "hono";
import { assertDepth, ExecuteRequestSchema } from "@arcrun/core";
import type { AppEnv } from "../env";
import { bodyKind, readBody, unsupportedType } from "../request";
import { compileOrThrow } from "../services/compiled";
import { runToCompletion } from "../services/runner";

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
  const { services } = c.var;
  const workflow = await compileOrThrow(body.workflow, services.resolver);
  const run = await runToCompletion({ workflow, input: body.input ?? {}, trigger: "execute", services, background: (w) => c.executionCtx.waitUntil(w) });
  return c.json(run);
});
