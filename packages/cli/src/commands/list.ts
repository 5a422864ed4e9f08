/** `acr list`: the workflows stored on the server. */
import { examples, handle, type CliContext, type RegisterCommand } from "../context";
import { EXIT } from "../exit";
import { formatWorkflows, listFrom, type WorkflowView } from "../format/tables";

const register: RegisterCommand = (program, ctx) => {
  program
    .command("list")
    .alias("ls")
    .description("list the workflows stored on the server")
    .option("--json", "print the server's answer (GET /workflows) as JSON")
    .addHelpText("after", examples("acr list", "acr list --json | jq -r '.workflows[].name'"))
    .action(handle(ctx, () => list(ctx)));
};

async function list(ctx: CliContext): Promise<number> {
  const body = await ctx.client().request("GET", "/workflows");
  if (ctx.json) ctx.printJson(body);
  else ctx.print(formatWorkflows(listFrom<WorkflowView>(body, "workflows"), ctx.style()));
  return EXIT.ok;
}

export default register;
