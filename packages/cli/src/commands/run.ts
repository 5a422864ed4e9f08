/** `acr run <file|name>`: run a workflow file (POST /execute) or a stored one (named query webhook). */
import type { Command } from "commander";
import { examples, handle, type CliContext, type RegisterCommand } from "../context";
import { EXIT } from "../exit";
import { RunRecordSchema } from "@arcrun/core/run/schema";
import { expectAnswer } from "../answer";
import { formatRun, isRunRecord } from "../format/run";
import { prettyJson } from "../format/values";
import { readInput } from "../input";
import { classifyTarget, explainInvalidWorkflow, readWorkflowFile } from "../workflow-file";

interface RunOptions {
  input?: string;
  json?: boolean;
}

const register: RegisterCommand = (program, ctx) => {
  program
    .command("run")
    .description("run a workflow file, or a stored workflow by name, and show every node's result")
    .argument("<workflow>", "a workflow file (.yaml) or the name of a stored workflow")
    .option("-i, --input <json>", "the trigger payload: inline JSON, @file.json, or - for stdin", undefined)
    .option("--json", "print the run record as one JSON document (nothing else on stdout)")
    .addHelpText(
      "after",
      examples(
        "acr run examples/hello.yaml",
        `acr run examples/signup.yaml --input '{"email":"ada@example.com"}'`,
        "acr run signup_alert --input @payload.json --json",
        "cat payload.json | acr run signup_alert --input -",
      ) + "\nExit code 1 when the run fails, 2 when the workflow is invalid, 3 when the server is down.\n",
    )
    .action(handle(ctx, (target: string, options: RunOptions, command: Command) => runCommand(ctx, target, options, command)));
};

async function runCommand(ctx: CliContext, target: string, options: RunOptions, _command: Command): Promise<number> {
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
  if (!isRunRecord(body)) {
    // Not a run record (an older server answering with the bare result): show it as is.
    if (ctx.json) ctx.printJson(body);
    else ctx.print(prettyJson(body));
    return EXIT.ok;
  }
  const run = expectAnswer(RunRecordSchema, body, client.url, "run record");
  if (ctx.json) ctx.printJson(body);
  else ctx.print(formatRun(run, ctx.style()));
  return run.status === "failed" ? EXIT.runFailed : EXIT.ok;
}

export default register;
