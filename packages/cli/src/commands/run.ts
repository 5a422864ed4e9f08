/**
 * `acr run <file|name>`: run a workflow file (POST /execute) or a stored one (named query webhook).
 * `acr run --rerun <run_id> [--from <node>] [--current]`: POST /runs/:id/rerun.
 */
import type { Command } from "commander";
import { examples, handle, type CliContext, type RegisterCommand } from "../context";
import { CliError, EXIT } from "../exit";
import { RunRecordSchema } from "@arcrun/core/run/schema";
import { expectAnswer } from "../answer";
import { formatRun, isRunRecord } from "../format/run";
import { prettyJson } from "../format/values";
import { readInput } from "../input";
import { classifyTarget, explainInvalidWorkflow, readWorkflowFile } from "../workflow-file";

interface RunOptions {
  input?: string;
  json?: boolean;
  rerun?: string;
  from?: string;
  current?: boolean;
}

const register: RegisterCommand = (program, ctx) => {
  program
    .command("run")
    .description("run a workflow file, or a stored workflow by name, and show every node's result")
    .argument("[workflow]", "a workflow file (.yaml) or the name of a stored workflow")
    .option("-i, --input <json>", "the trigger payload: inline JSON, @file.json, or - for stdin", undefined)
    .option("--json", "print the run record as one JSON document (nothing else on stdout)")
    .option("--rerun <run_id>", "run a recorded run again, with its input, on the version it recorded")
    .option("--from <node>", "with --rerun: start at this node, reusing the recorded outputs of the nodes before it")
    .option("--current", "with --rerun: on the workflow as stored now instead of the recorded version")
    .addHelpText(
      "after",
      examples(
        "acr run examples/hello.yaml",
        `acr run examples/signup.yaml --input '{"email":"ada@example.com"}'`,
        "acr run signup_alert --input @payload.json --json",
        "cat payload.json | acr run signup_alert --input -",
        "acr run --rerun 3f2a… --from notify --current",
      ) + "\nExit code 1 when the run fails, 2 when the workflow is invalid, 3 when the server is down.\n",
    )
    .action(handle(ctx, (target: string, options: RunOptions, command: Command) => runCommand(ctx, target, options, command)));
};

async function runCommand(ctx: CliContext, target: string | undefined, options: RunOptions, _command: Command): Promise<number> {
  if (options.rerun !== undefined) {
    if (target !== undefined || options.input !== undefined) {
      throw new CliError("--rerun takes no workflow and no --input: the rerun uses the recorded run's", { code: "usage", hint: "acr run --rerun <run_id> [--from <node>] [--current]" });
    }
    const json = { ...(options.from ? { from: options.from } : {}), version: options.current ? "current" : "pinned" };
    const client = ctx.client();
    const body = await client.request("POST", `/runs/${encodeURIComponent(options.rerun)}/rerun`, { json, acceptBody: (_s: number, b: unknown) => isRunRecord(b) });
    return show(ctx, body, client.url);
  }
  if (options.from !== undefined || options.current) {
    throw new CliError("--from and --current go with --rerun <run_id>", { code: "usage", hint: "acr run --rerun <run_id> --from <node>" });
  }
  if (target === undefined) throw new CliError("missing required argument 'workflow' (a file or a stored workflow's name), or --rerun <run_id>", { code: "usage", hint: "acr run examples/hello.yaml" });
  const kind = classifyTarget(target, ctx.io.cwd).kind;
  const source = kind === "file" ? readWorkflowFile(target, ctx.io.cwd) : undefined;
  const input = await readInput(options.input, ctx.io);
  const client = ctx.client();
  // A run record is the answer whatever the HTTP status: a failed run is still a result.
  const acceptBody = (_status: number, body: unknown) => isRunRecord(body);
  let body: unknown;
  try {
    body = source
      ? await client.request("POST", "/execute", { json: { workflow: source.text, input }, acceptBody })
      : await client.request("POST", `/webhooks/named/${encodeURIComponent(target)}/query`, { json: input, acceptBody });
  } catch (error) {
    throw explainInvalidWorkflow(error, source?.file, ctx.style());
  }
  return show(ctx, body, client.url);
}

function show(ctx: CliContext, body: unknown, url: string): number {
  if (!isRunRecord(body)) {
    // Not a run record (an older server answering with the bare result): show it as is.
    if (ctx.json) ctx.printJson(body);
    else ctx.print(prettyJson(body));
    return EXIT.ok;
  }
  const run = expectAnswer(RunRecordSchema, body, url, "run record");
  if (ctx.json) ctx.printJson(body);
  else ctx.print(formatRun(run, ctx.style()));
  return run.status === "failed" ? EXIT.runFailed : EXIT.ok;
}

export default register;
