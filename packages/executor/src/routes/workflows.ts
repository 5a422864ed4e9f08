/**
 * `POST /workflows` (YAML body, or JSON `{yaml}`) creates (201) or updates (200) by name,
 * keeping the webhook token; `GET /workflows`, `GET|DELETE /workflows/:name`.
 * A workflow is compiled before anything is stored, so a rejected post changes nothing.
 */
import { Hono, type Context } from "hono";
import { arcrunError, cronSchedules, isoNow, WORKFLOW_NAME, WorkflowPostSchema, type StoredWorkflow, type WorkflowLinks, type WorkflowSummary } from "@arcrun/core";
import type { AppEnv } from "../env";
import { bodyKind, readBody, unsupportedType } from "../request";
import { compileOrThrow } from "../services/compiled";
import { newToken } from "../services/tokens";
import { updateCronIndex } from "../services/cron-index";

const ACCEPTED = "YAML with `Content-Type: text/yaml` (curl: -H 'content-type: text/yaml' --data-binary @flow.yaml), or JSON {\"yaml\": \"...\"}";

export const workflows = new Hono<AppEnv>()
  .post("/", async (c) => {
    const yaml = await readWorkflowSource(c);
    const services = c.get("services");
    const compiled = await compileOrThrow(yaml, services.resolver);
    const previous = await services.workflows.get(compiled.name);
    const now = isoNow(services.clock);
    const stored: StoredWorkflow = {
      name: compiled.name,
      yaml,
      hash: compiled.hash,
      token: previous?.token ?? newToken(),
      created_at: previous?.created_at ?? now,
      updated_at: now,
    };
    await services.workflows.put(stored);
    await updateCronIndex(services, compiled.name, compiled);
    const schedules = cronSchedules(compiled.triggers, new Date(services.clock.now()));
    return c.json({ ...links(c, stored), ...(schedules.length ? { schedules } : {}) }, previous ? 200 : 201);
  })
  .get("/", async (c) => {
    const all = await c.get("services").workflows.list();
    return c.json({ workflows: all.map((w) => summary(c, w)) });
  })
  .get("/:name", async (c) => {
    const stored = await getOr404(c, c.req.param("name"));
    return c.json({ ...summary(c, stored), yaml: stored.yaml });
  })
  .delete("/:name", async (c) => {
    const name = c.req.param("name");
    await getOr404(c, name);
    if (!(await c.get("services").workflows.delete(name))) throw workflowNotFound(name);
    await updateCronIndex(c.get("services"), name);
    return c.json({ name, deleted: true });
  });

async function readWorkflowSource(c: Context<AppEnv>): Promise<string> {
  const kind = bodyKind(c);
  if (kind === "empty") throw arcrunError("invalid_request", "The request body is empty; a workflow was expected.", { hint: `Send ${ACCEPTED}.` });
  if (kind === "yaml" || kind === "none") return c.req.text();
  if (kind === "other") unsupportedType(c, ACCEPTED);
  const body = await readBody(c, WorkflowPostSchema, { message: "A JSON body for POST /workflows needs a `yaml` string field.", hint: `Send ${ACCEPTED}.` });
  return body.yaml;
}

export async function getOr404(c: Context<AppEnv>, name: string): Promise<StoredWorkflow> {
  // A name no workflow can have never reaches KV (whose keys are capped at 512 bytes).
  const stored = WORKFLOW_NAME.test(name) && name.length <= 200 ? await c.get("services").workflows.get(name) : undefined;
  if (!stored) throw workflowNotFound(name);
  return stored;
}

export function workflowNotFound(name: string) {
  return arcrunError("workflow_not_found", `No workflow named "${name}".`, {
    hint: "`GET /workflows` (or `acr list`) shows the stored ones; `acr push <file>` stores one.",
  });
}

function links(c: Context, w: StoredWorkflow): WorkflowLinks {
  const origin = new URL(c.req.url).origin;
  return {
    name: w.name,
    webhook_url: `${origin}/webhooks/${w.token}/trigger`,
    query_url: `${origin}/q/${w.name}`,
  };
}

function summary(c: Context, w: StoredWorkflow): WorkflowSummary {
  return { ...links(c, w), hash: w.hash, created_at: w.created_at, updated_at: w.updated_at };
}
