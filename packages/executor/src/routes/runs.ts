/**
 * `GET /runs?workflow=&status=&trigger=&since=&until=&limit=&cursor=` (newest first, without
 * node traces; `total` counts every run of the filter, `next_cursor` fetches the next page),
 * `GET /runs/:id` (with them; `?full=1` puts node outputs stored in R2 back, services/big-outputs.ts),
 * `POST /runs/:id/rerun {from?, version?}` → the finished rerun (services/rerun.ts), and
 * `POST /runs/:id/events/:name` (a JSON body) → 202: the event for the run's `wait_for_event`
 * node of that name (the node's data is the body; events before the node waits are kept for it).
 * The cursor is opaque: the position after the page's last run.
 */
import { Hono } from "hono";
import { EVENT_NAME, RerunRequestSchema, RunStatusSchema, arcrunError, assertDepth, traceIdFrom } from "@arcrun/core";
import { z } from "@arcrun/core/schema";
import type { AppEnv } from "../env";
import { bodyKind, readBody, readJson, unsupportedType } from "../request";
import { withFullOutputs } from "../services/big-outputs";
import { planRerun } from "../services/rerun";
import { runToCompletion } from "../services/runner";

const MAX_LIMIT = 500;
const time = z.iso.datetime({ offset: true }).transform((t) => new Date(t).toISOString());

const RunListQuery = z.object({
  workflow: z.string().min(1).optional(),
  status: RunStatusSchema.optional(),
  trigger: z.string().min(1).max(40).optional(),
  since: time.optional(),
  until: time.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50),
  cursor: z.string().min(1).max(400).optional(),
});

const CursorSchema = z.tuple([z.string(), z.string()]);

export const runs = new Hono<AppEnv>()
  .get("/", async (c) => {
    const parsed = RunListQuery.safeParse(c.req.query());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw arcrunError("invalid_query", `Query parameter \`${issue.path.join(".")}\`: ${issue.message}.`, {
        hint: `Use status=running|waiting|succeeded|failed, trigger=webhook|cron|query|execute, since/until as ISO times (2026-12-01T00:00:00Z), limit=1..${MAX_LIMIT} and the next_cursor of a previous page.`,
      });
    }
    const { cursor, ...query } = parsed.data;
    const after = cursor === undefined ? undefined : readCursor(cursor);
    const store = c.get("services").runs;
    // one run more than the page shows whether there is a next page
    const [rows, total] = await Promise.all([store.list({ ...query, after, limit: query.limit + 1 }), store.count(query)]);
    const page = rows.slice(0, query.limit);
    const more = rows.length > query.limit;
    return c.json({ runs: page, total, ...(more ? { next_cursor: writeCursor(page[page.length - 1]) } : {}) });
  })
  .get("/:id", async (c) => {
    const run = await runOr404(c.get("services"), c.req.param("id"));
    const full = c.req.query("full");
    return c.json(full === "1" || full === "true" ? await withFullOutputs(c.get("services").outputs, run) : run);
  })
  .post("/:id/events/:name", async (c) => {
    const name = c.req.param("name");
    if (!EVENT_NAME.test(name)) {
      throw arcrunError("invalid_event_name", `"${name.slice(0, 80)}" is not an event name.`, {
        hint: "Use the `event` of the run's wait_for_event node: lowercase letters, digits and _ (at most 64).",
      });
    }
    const kind = bodyKind(c);
    if (kind !== "json" && kind !== "none" && kind !== "empty") unsupportedType(c, "the event's data as JSON with `Content-Type: application/json`");
    const payload = kind === "empty" ? {} : await readJson(c, { allowEmpty: true, fallback: {} });
    assertDepth(payload, "the event");
    const services = c.get("services");
    const run = await runOr404(services, c.req.param("id"));
    if (run.status === "succeeded" || run.status === "failed") {
      throw arcrunError("run_finished", `Run ${run.run_id} has finished (${run.status}); it takes no more events.`, {
        hint: "Events reach a run that is running or waiting; start a new run, or rerun this one (POST /runs/:id/rerun).",
        details: { status: run.status },
      });
    }
    const delivered = services.durable ? await services.durable.sendEvent(run.run_id, name, payload) : false;
    if (!delivered) {
      throw arcrunError("run_not_durable", `Run ${run.run_id} runs in-process, not as a durable run: it cannot receive events.`, {
        hint: "Start workflows that wait for events by their webhook or a cron trigger (durable runs on Cloudflare Workflows).",
      });
    }
    return c.json({ run_id: run.run_id, event: name, accepted: true }, 202);
  })
  .post("/:id/rerun", async (c) => {
    const kind = bodyKind(c);
    if (kind !== "json" && kind !== "none" && kind !== "empty") unsupportedType(c, 'JSON: {"from": "<node>", "version": "pinned" | "current"}, both optional');
    const request = kind === "empty" ? RerunRequestSchema.parse({}) : await readBody(c, RerunRequestSchema, {
      message: "POST /runs/:id/rerun takes an optional `from` (a node name) and `version` (\"pinned\" or \"current\").",
      hint: 'Send {} to rerun from the start on the recorded version, or {"from": "<node>", "version": "current"}.',
    });
    const services = c.get("services");
    // outputs stored in R2 stand in for themselves when reused
    const old = await withFullOutputs(services.outputs, await runOr404(services, c.req.param("id")));
    const { workflow, seed } = await planRerun(services, old, request);
    return c.json(await runToCompletion({
      workflow, input: old.input ?? {}, trigger: "rerun", services, rerunOf: old.run_id, seed, traceId: traceIdFrom(c.req.header("traceparent")),
      background: (w) => c.executionCtx.waitUntil(w),
    }));
  });

function writeCursor(run: { started_at: string; run_id: string }): string {
  return btoa(JSON.stringify([run.started_at, run.run_id])).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function readCursor(cursor: string): { started_at: string; run_id: string } {
  try {
    const [started_at, run_id] = CursorSchema.parse(JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/"))));
    return { started_at, run_id };
  } catch {
    throw arcrunError("invalid_query", "Query parameter `cursor` is not a cursor this executor gave out.", {
      hint: "Pass the `next_cursor` of the previous page unchanged, or leave `cursor` out for the first page.",
    });
  }
}

async function runOr404(services: AppEnv["Variables"]["services"], id: string) {
  const run = id.length <= 100 ? await services.runs.get(id) : undefined;
  if (!run) {
    throw arcrunError("run_not_found", `No run with id "${id}".`, {
      hint: "`GET /runs` (or `acr logs`) lists recent runs and their ids.",
    });
  }
  return run;
}
