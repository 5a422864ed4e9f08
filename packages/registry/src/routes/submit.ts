/**
 * Submissions: `POST /submit` runs the acceptance (acceptance/accept.ts) and stores the version
 * only when every step passed (visibility author_only); a refusal answers 422
 * `submission_rejected` with the report and stores nothing. `GET /submit/:id`; the admin's
 * `PATCH /submit/:id/approve` (public) and `PATCH /submit/:id/reject {reason}` (withdrawn).
 */
import { Hono, type Context } from "hono";
import { arcrunError } from "@arcrun/core/errors";
import { SEMVER } from "@arcrun/core";
import { RejectRequestSchema, SubmitRequestSchema } from "@arcrun/core/registry/api";
import { acceptSubmission } from "../acceptance/accept";
import { requireAdmin, requireCaller } from "../auth";
import type { AppEnv } from "../env";
import { issuesLine, jsonBody } from "../errors";
import { catalogOf } from "./shared";

export const submit = new Hono<AppEnv>();

const SHAPE_HINT = 'Send JSON {"contract": {...contract.yaml as JSON...}, "wasm": "<base64 of build/<name>.wasm>", "features": [{"path": "features/x.feature", "text": "..."}]}; `acr parts submit <dir>` does it for you.';

submit.post("/", async (c) => {
  const caller = requireCaller(c);
  const parsed = SubmitRequestSchema.safeParse(await jsonBody(c));
  if (!parsed.success) throw arcrunError("invalid_request", `POST /submit: ${issuesLine(parsed.error.issues)}.`, { hint: SHAPE_HINT });
  const body = parsed.data;
  if (body.first_party && !caller.admin) {
    throw arcrunError("forbidden", "Only the registry's admin key may submit a first-party component.", { hint: "Leave first_party out: a submission runs the whole sandbox acceptance." });
  }
  const catalog = catalogOf(c);

  // refusals that need no sandbox: a name owned by another author, a version already stored
  const { name, version } = body.contract as { name?: unknown; version?: unknown };
  if (typeof name === "string" && typeof version === "string" && SEMVER.test(version)) {
    const owner = await catalog.owner(name);
    if (owner !== undefined && owner !== caller.author) {
      throw arcrunError("component_exists", `"${name}" belongs to another author.`, { hint: "Pick another name (name: in contract.yaml).", details: { component: name } });
    }
    if (await catalog.version(name, version)) throw versionExists(name, version);
  }

  const threshold = Number(c.env.REGISTRY_COLD_START_MAX_MS);
  const { report, module } = await acceptSubmission(c.env, body, Number.isFinite(threshold) && threshold > 0 ? { coldStartMaxMs: threshold } : {});
  if (!module) {
    throw arcrunError("submission_rejected", `The submission failed acceptance: ${report.steps.filter((s) => !s.passed).map((s) => s.step).join(", ")}.`, {
      hint: "Each failing step in error.report says why and how to fix it; nothing was stored.",
      details: { report },
    });
  }
  const id = crypto.randomUUID();
  const stored = await catalog.storeAccepted({ id, author: caller.author, contract: module.contract, bytes: module.bytes, sha256: module.sha256, features: body.features, report, now: new Date().toISOString() });
  if (!stored) throw versionExists(module.contract.name, module.contract.version);
  return c.json(await found(c, id), 201);
});

const versionExists = (name: string, version: string) =>
  arcrunError("version_exists", `${name}@${version} is already in the registry; versions are immutable.`, {
    hint: "Raise version: in contract.yaml (semver) and submit again.",
    details: { component: name, version },
  });

async function found(c: Context<AppEnv>, id: string) {
  const submission = await catalogOf(c).submission(id);
  if (!submission) throw arcrunError("submission_not_found", `No submission ${id}.`, { hint: "`GET /submit/:id` takes the id `POST /submit` answered." });
  return submission;
}

submit.get("/:id", async (c) => {
  const caller = requireCaller(c);
  const submission = await found(c, c.req.param("id"));
  if (!caller.admin && submission.author !== caller.author) throw arcrunError("submission_not_found", `No submission ${c.req.param("id")} of yours.`, { hint: "Only its author and the admin see a submission." });
  return c.json(submission);
});

async function decide(c: Context<AppEnv>, decision: "approved" | "rejected", reason: string | null) {
  const id = c.req.param("id")!;
  const current = await found(c, id);
  if (current.status !== "accepted" || !(await catalogOf(c).decide(id, decision, reason, new Date().toISOString()))) {
    throw arcrunError("submission_decided", `Submission ${id} is ${current.status}; only an accepted one can be ${decision}.`, { hint: "A new version is a new submission.", details: { id, status: current.status } });
  }
  return c.json(await found(c, id));
}

submit.patch("/:id/approve", async (c) => {
  requireAdmin(c);
  return decide(c, "approved", null);
});

submit.patch("/:id/reject", async (c) => {
  requireAdmin(c);
  const parsed = RejectRequestSchema.safeParse(await jsonBody(c));
  if (!parsed.success) throw arcrunError("invalid_request", `PATCH /submit/:id/reject: ${issuesLine(parsed.error.issues)}.`, { hint: 'Send {"reason": "why, and what to change"}.' });
  return decide(c, "rejected", parsed.data.reason);
});
