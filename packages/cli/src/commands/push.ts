/** `acr push <file>`: store (or update) a workflow on the server; prints its trigger URLs. */
import { examples, handle, type CliContext, type RegisterCommand } from "../context";
import { WorkflowLinksSchema, type WorkflowLinks } from "@arcrun/core/api";
import { expectAnswer } from "../answer";
import { EXIT } from "../exit";
import { explainInvalidWorkflow, readWorkflowFile } from "../workflow-file";
import { scheduleLines } from "./validate";


const register: RegisterCommand = (program, ctx) => {
  program
    .command("push")
    .description("store a workflow on the server (re-pushing the same name updates it)")
    .argument("<file>", "the workflow file (.yaml)")
    .option("--json", "print the server's answer {name, webhook_url, query_url} as JSON")
    .addHelpText(
      "after",
      examples("acr push examples/signup.yaml", "acr push workflows/report.yaml --url https://arcrun.example.workers.dev") +
        "\nThe webhook URL carries a secret token: share it only with the system that triggers the workflow.\n",
    )
    .action(handle(ctx, (file: string) => push(ctx, file)));
};

async function push(ctx: CliContext, file: string): Promise<number> {
  const source = readWorkflowFile(file, ctx.io.cwd);
  const client = ctx.client();
  let body: WorkflowLinks;
  try {
    body = expectAnswer(WorkflowLinksSchema, await client.request("POST", "/workflows", { json: { yaml: source.text } }), client.url, "answer to POST /workflows");
  } catch (error) {
    throw explainInvalidWorkflow(error, source.file, ctx.style());
  }
  if (ctx.json) {
    ctx.printJson(body);
    return EXIT.ok;
  }
  const style = ctx.style();
  const absolute = (url: string) => new URL(url, client.url + "/").href;
  ctx.print(
    [
      `${style.green("✓")} pushed ${style.bold(body.name)}`,
      `  webhook  ${absolute(body.webhook_url)}`,
      `  query    ${absolute(body.query_url)}`,
      ...scheduleLines(body.schedules),
      style.dim(`  run it:  acr run ${body.name} --input '{...}'`),
    ].join("\n"),
  );
  return EXIT.ok;
}

export default register;
