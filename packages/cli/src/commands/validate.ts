/** `acr validate <file...>`: every check the server would make, locally, all issues at once. */
import { dirname, resolve } from "node:path";
import { chainResolvers, compileWorkflow, cronSchedules, type CronSchedule, type WorkflowIssue } from "@arcrun/core";
import { examples, handle, type CliContext, type RegisterCommand } from "../context";
import { EXIT } from "../exit";
import { formatIssues } from "../format/issues";
import { loadLocalComponents } from "../local-components";
import { readWorkflowFile } from "../workflow-file";
import { credentialCheck } from "../credentials/check-workflow";
import { serverComponents } from "../server-components";

interface FileResult {
  file: string;
  ok: boolean;
  workflow?: string;
  nodes?: number;
  /** each cron trigger's next three fire times */
  schedules?: CronSchedule[];
  issues: WorkflowIssue[];
}

const register: RegisterCommand = (program, ctx) => {
  program
    .command("validate")
    .alias("check")
    .description("check workflow files without running them: YAML, schema, graph, components, templates")
    .argument("<files...>", "workflow files (.yaml)")
    .option("--json", "print {ok, files, issues: [{file, line, column, node, message, hint, code}]} as JSON")
    .option("--offline", "do not ask the server for its components and credentials")
    .addHelpText(
      "after",
      examples("acr validate examples/signup.yaml", "acr validate workflows/*.yaml --json") +
        "\nComponents: the builtins, components/*/contract.yaml and recipes/*.yaml of the project, then (unless\n--offline) the server's bundled and published components.\nExit code 2 when a file is invalid.\n",
    )
    .action(handle(ctx, (files: string[], options: { offline?: boolean }) => validate(ctx, files, options)));
};

async function validate(ctx: CliContext, files: string[], options: { offline?: boolean } = {}): Promise<number> {
  const results: FileResult[] = [];
  const credentials = options.offline ? undefined : credentialCheck(ctx);
  const server = options.offline ? undefined : serverComponents(ctx);
  for (const file of files) {
    const source = readWorkflowFile(file, ctx.io.cwd);
    const local = await loadLocalComponents(dirname(resolve(ctx.io.cwd, file)));
    for (const warning of local.warnings) ctx.note(`warning: ${warning}`);
    const resolver = server ? chainResolvers(local.resolver, server) : local.resolver;
    const compiled = await compileWorkflow(source.text, { resolver, file });
    const missing = compiled.ok && credentials ? await credentials.issues(compiled.workflow, resolver, file) : [];
    if (compiled.ok && missing.length > 0) {
      results.push({ file, ok: false, workflow: compiled.workflow.name, issues: missing });
      continue;
    }
    results.push(
      compiled.ok
        ? { file, ok: true, workflow: compiled.workflow.name, nodes: Object.keys(compiled.workflow.nodes).length, ...withSchedules(compiled.workflow.triggers), issues: [] }
        : { file, ok: false, issues: compiled.issues.map((issue) => ({ ...issue, file: issue.file ?? file })) },
    );
  }
  const ok = results.every((r) => r.ok);
  if (ctx.json) {
    ctx.printJson({ ok, files: results.map(({ issues: _, ...rest }) => rest), issues: results.flatMap((r) => r.issues) });
  } else {
    const style = ctx.style();
    for (const result of results) {
      if (result.ok) {
        ctx.print(`${style.green("✓")} ${result.file}  ${style.dim(`${result.workflow}: ${result.nodes} node${result.nodes === 1 ? "" : "s"}`)}`);
        for (const line of scheduleLines(result.schedules)) ctx.print(line);
      } else ctx.print(formatIssues(result.issues, result.file, style));
    }
  }
  return ok ? EXIT.ok : EXIT.usage;
}

function withSchedules(triggers: readonly unknown[]): { schedules?: CronSchedule[] } {
  const schedules = cronSchedules(triggers, new Date());
  return schedules.length ? { schedules } : {};
}

/** `  cron "0 9 * * *" next: 2026-12-02 09:00 Europe/Berlin (08:00 UTC), ...` — also used by `acr push`. */
export function scheduleLines(schedules: readonly CronSchedule[] | undefined): string[] {
  return (schedules ?? []).map((s) => `  cron ${JSON.stringify(s.cron)} next: ${s.next_display.join(", ")}`);
}

export default register;
