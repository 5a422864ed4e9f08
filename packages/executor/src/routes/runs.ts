/** `GET /runs?workflow=&status=&limit=` (newest first, without node traces) and `GET /runs/:id` (with them). */
import { Hono } from "hono";
import { RunStatusSchema, arcrunError } from "@arcrun/core";
import { z } from "@arcrun/core/schema";
import type { AppEnv } from "../env";

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
  .get("/:id", async (c) => {
    const id = c.req.param("id");
    const run = await c.var.services.runs.get(id);
    if (!run) {
      throw arcrunError("run_not_found", `No run with id "${id}".`, {
        hint: "`GET /runs` (or `acr logs`) lists recent runs and their ids.",
      });
    }
    return c.json(run);
  });
