/** `acr logs`: recent runs (GET /runs), or one run's node trace (GET /runs/:id). */
import { InvalidArgumentError, Option } from "commander";
import { ApiError } from "../client";
import { examples, handle, type CliContext, type RegisterCommand } from "../context";
import { EXIT } from "../exit";
import { RunRecordSchema, RunSummarySchema } from "@arcrun/core/run/schema";
import { z } from "@arcrun/core/schema";
import { expectAnswer } from "../answer";
import { formatRun } from "../format/run";
import { formatRunList, listFrom } from "../format/tables";

interface LogsOptions {
  run?: string;
  limit: number;
  status?: string;
  json?: boolean;
}

/** the executor's own cap on GET /runs?limit= */
export const MAX_LIMIT = 500;
export const RUN_STATUSES = ["running", "waiting", "succeeded", "failed"];

export function parseLimit(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_LIMIT) throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_LIMIT}.`);
  return n;
}

const register: RegisterCommand = (program, ctx) => {
  program
    .command("logs")
    .description("show recent runs, a workflow's runs, or one run's node trace")
    .argument("[workflow|run_id]", "a workflow name (its runs) or a run id (that run's trace)")
    .option("-r, --run <run_id>", "show this run's node trace")
    .option("-n, --limit <n>", `how many runs to list (1-${MAX_LIMIT})`, parseLimit, 20)
    .addOption(new Option("-s, --status <status>", "only runs with this status").choices(RUN_STATUSES))
    .option("--json", "print the server's answer as one JSON document")
    .addHelpText(
      "after",
      examples(
        "acr logs",
        "acr logs signup_alert --status failed --limit 5",
        "acr logs --run 3f2c9a1e-…",
        "acr logs --json | jq '.runs[0]'",
      ),
    )
    .action(handle(ctx, (target: string | undefined, options: LogsOptions) => logs(ctx, target, options)));
};

const RunSummariesSchema = z.array(RunSummarySchema);

const looksLikeWorkflowName = (value: string) => /^[a-z0-9_]+$/.test(value);

async function logs(ctx: CliContext, target: string | undefined, options: LogsOptions): Promise<number> {
  if (options.run) return showRun(ctx, options.run);
  if (target && !looksLikeWorkflowName(target)) return showRun(ctx, target);
  const body = await ctx.client().request("GET", "/runs", {
    query: { workflow: target, status: options.status, limit: options.limit },
  });
  const runs = expectAnswer(RunSummariesSchema, listFrom<unknown>(body, "runs"), ctx.client().url, "run list");
  // `acr logs <id>` where the id happens to look like a name: no runs of such a workflow → try it as a run.
  if (target && runs.length === 0 && target.length >= 16 && /\d/.test(target)) {
    try {
      return await showRun(ctx, target);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
  }
  if (ctx.json) ctx.printJson(body);
  else ctx.print(formatRunList(runs, ctx.style()));
  return EXIT.ok;
}

async function showRun(ctx: CliContext, runId: string): Promise<number> {
  const client = ctx.client();
  const run = expectAnswer(RunRecordSchema, await client.request("GET", `/runs/${encodeURIComponent(runId)}`), client.url, "run record");
  if (ctx.json) ctx.printJson(run);
  else ctx.print(formatRun(run, ctx.style()));
  return EXIT.ok;
}

export default register;
