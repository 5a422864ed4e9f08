/**
 * `GET /runs?workflow=&status=&limit=` (newest first, without node traces), `GET /runs/:id`
 * (with them), `POST /runs/:id/rerun {from?, version?}` → the finished rerun (services/rerun.ts).
 */
import { Hono } from "hono";
import { RerunRequestSchema, RunStatusSchema, arcrunError } from "@arcrun/core";
import { z } from "@arcrun/core/schema";
import type { AppEnv } from "../env";
import { bodyKind, readBody, unsupportedType } from "../request";
import { planRerun } from "../services/rerun";
import { runToCompletion } from "../services/runner";

const MAX_LIMIT = 500;

const RunListQuery = z.object({
  workflow: z.string().min(1).optional(),
  status: RunStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50),
});

export const runs = new Hono<AppEnv>()
  .get("/", async (c) => {
    const parsed = RunListQuery.safeParse(c.req.query());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw arcrunError("invalid_query", `Query parameter \`${issue.path.join(".")}\`: ${issue.message}.`, {
        hint: `Use status=running|succeeded|failed and limit=1..${MAX_LIMIT}.`,
      });
    }
    return c.json({ runs: await c.var.services.runs.list(parsed.data) });
  })
  .get("/:id", async (c) => c.json(await runOr404(c.var.services, c.req.param("id"))))
  .post("/:id/rerun", async (c) => {
    const kind = bodyKind(c);
    if (kind !== "json" && kind !== "none" && kind !== "empty") unsupportedType(c, 'JSON: {"from": "<node>", "version": "pinned" | "current"}, both optional');
    const request = kind === "empty" ? RerunRequestSchema.parse({}) : await readBody(c, RerunRequestSchema, {
      message: "POST /runs/:id/rerun takes an optional `from` (a node name) and `version` (\"pinned\" or \"current\").",
      hint: 'Send {} to rerun from the start on the recorded version, or {"from": "<node>", "version": "current"}.',
    });
    const { services } = c.var;
    const old = await runOr404(services, c.req.param("id"));
    const { workflow, seed } = await planRerun(services, old, request);
    return c.json(await runToCompletion({
      workflow, input: old.input ?? {}, trigger: "rerun", services, rerunOf: old.run_id, seed, background: (w) => c.executionCtx.waitUntil(w),
    }));
  });

async function runOr404(services: AppEnv["Variables"]["services"], id: string) {
  const run = id.length <= 100 ? await services.runs.get(id) : undefined;
  if (!run) {
    throw arcrunError("run_not_found", `No run with id "${id}".`, {
      hint: "`GET /runs` (or `acr logs`) lists recent runs and their ids.",
    });
  }
  return run;
}
