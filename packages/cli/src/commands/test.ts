/**
 * `acr test [workflow files]` (issue 11 item 8): runs each workflow's fixtures
 * (`<name>.test.yaml` beside it) in local workerd, the same executor as production, with its
 * outbound calls answered from the fixtures. Prints each case and `N passed, M failed`.
 * Exit codes: 0 every case passed · 1 a case failed · 2 bad usage, a bad fixtures file
 * (`file:line:column`) or an invalid workflow. `--record` captures the answers from a live run.
 * The format is core's (packages/core/src/fixtures/schema.ts); packages/cli/README.md documents it.
 */
import { examples, handle, type CliContext, type RegisterCommand } from "../context";
import { CliError, EXIT, usageError } from "../exit";
import { readInput } from "../input";
import { resolveTargets } from "../testing/files";
import type { FileResult } from "../testing/run";

interface TestCommandOptions {
  json?: boolean;
  record?: boolean;
  input?: string;
  credentials?: string;
}

const register: RegisterCommand = (program, ctx) => {
  program
    .command("test")
    .description("run workflows against their recorded HTTP answers (<name>.test.yaml), offline, in local workerd")
    .argument("[files...]", "workflow files (.yaml) or fixtures files (.test.yaml); default every *.test.yaml here")
    .option("--json", "print {ok, passed, failed, files: [{workflow, fixtures, cases: [...]}]} as JSON")
    .option("--record", "run live instead (the network, or ARCRUN_OUTBOUND_PROXY) and write the answers into the fixtures file")
    .option("-i, --input <json>", "with --record and no fixtures file yet: the case's input (inline JSON, @file.json or -)")
    .option("--credentials <file>", "with --record: the real credentials (default credentials.yaml when it exists); their values are never written")
    .addHelpText(
      "after",
      examples(
        "acr test examples/*.yaml",
        "acr test examples/notify_signup.yaml --json",
        `acr test --record examples/notify_signup.yaml --input '{"email":"ada@example.com"}'`,
      ) + "\nExit code 1 when a case fails, 2 for bad usage, a bad fixtures file or an invalid workflow.\n",
    )
    .action(handle(ctx, (files: string[], options: TestCommandOptions) => test(ctx, files, options)));
};

async function test(ctx: CliContext, files: string[], options: TestCommandOptions): Promise<number> {
  if (!options.record && (options.input !== undefined || options.credentials !== undefined)) {
    throw usageError(`${options.input !== undefined ? "--input" : "--credentials"} goes with --record`, "acr test --record <workflow.yaml> --input '{...}'");
  }
  const { targets, skipped } = resolveTargets(files, ctx.io.cwd);
  const style = ctx.style();
  if (skipped.length && !options.record) ctx.note(style.dim(`skipped (no fixtures file beside them): ${skipped.join(", ")}`));
  const input = options.input !== undefined ? await readInput(options.input, ctx.io) : undefined;
  // Loaded here only: the test host pulls in Miniflare
  const { runTests } = await import("../testing/run");
  if (options.record && skipped.length) {
    // --record creates the fixtures of a workflow that has none
    const { fixturesPathFor } = await import("../testing/files");
    const { resolve, relative } = await import("node:path");
    for (const file of skipped) {
      const workflowPath = resolve(ctx.io.cwd, file);
      const fixturesPath = fixturesPathFor(workflowPath);
      targets.push({ workflowFile: file, workflowPath, fixturesFile: relative(ctx.io.cwd, fixturesPath), fixturesPath });
    }
  }
  if (targets.length === 0) {
    // nothing would be tested: say so rather than pass
    throw new CliError(`no fixtures file beside ${skipped.join(", ")}`, {
      code: "fixtures_missing",
      hint: `write <name>.test.yaml beside the workflow (packages/cli/README.md), or record one: acr test --record ${skipped[0]}`,
    });
  }
  const results = await runTests(ctx, targets, { record: options.record, input, credentialsFile: options.credentials });
  const cases = results.flatMap((r) => r.cases);
  const passed = cases.filter((c) => c.ok).length;
  const failed = cases.length - passed;
  if (ctx.json) ctx.printJson({ ok: failed === 0, passed, failed, files: results, skipped });
  else ctx.print(formatResults(results, passed, failed, style));
  return failed === 0 ? EXIT.ok : EXIT.runFailed;
}

function formatResults(results: FileResult[], passed: number, failed: number, style: ReturnType<CliContext["style"]>): string {
  const lines: string[] = [];
  for (const file of results) {
    lines.push(`${style.bold(file.workflow)}  ${style.dim(file.fixtures)}`);
    for (const c of file.cases) {
      lines.push(`  ${c.ok ? style.green("✓") : style.red("✗")} ${c.name}  ${style.dim(`${c.duration_ms} ms`)}`);
      for (const failure of c.failures) lines.push(`      ${failure}`);
    }
    if (file.recorded !== undefined) lines.push(`  ${style.dim(`recorded ${file.recorded} answer(s) into ${file.fixtures}`)}`);
  }
  lines.push(`${failed ? style.red(`${passed} passed, ${failed} failed`) : style.green(`${passed} passed, ${failed} failed`)}`);
  return lines.join("\n");
}

export default register;
