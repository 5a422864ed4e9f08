/**
 * The `acr` program: global options, the command list, and the one place where errors
 * become messages and exit codes (see exit.ts). `runCli` never throws and never exits the
 * process, so tests drive it in-process.
 */
import { Command, CommanderError } from "commander";
import { apiErrorBody } from "@arcrun/core/errors";
import * as commands from "./commands/index";
import { createContext, type CliContext, type GlobalOptions } from "./context";
import { CliError, EXIT } from "./exit";
import type { CliIO } from "./io";

export { VERSION } from "./version";
import { VERSION } from "./version";

const EXIT_HELP = `
Server and key:
  --url or ARCRUN_URL picks the server (default http://127.0.0.1:$PORT, PORT defaulting to 8787).
  The API key is ARCRUN_API_KEY, or for a server on this machine the key the local server
  stored in .arcrun/api-key (ARCRUN_STATE_DIR/api-key when set): nothing to copy.

Exit codes:
  0  success
  1  the run failed (or the server failed: HTTP 5xx)
  2  invalid workflow, bad usage or configuration (bad flag or JSON, HTTP 4xx such as 401/404/422)
  3  server unreachable (start it with \`npm start\` or \`acr dev\`)
`;

export function createProgram(io: CliIO): { program: Command; ctx: CliContext } {
  const program = new Command("acr");
  const ctx = createContext(io, () => program.opts<GlobalOptions>());
  program
    .description("arcrun: run, validate and store workflows on an arcrun server (local or deployed)")
    .version(VERSION, "-v, --version", "print the CLI version")
    .option("--url <url>", "arcrun server URL (default: $ARCRUN_URL, else http://127.0.0.1:$PORT or 8787)")
    .option("--no-color", "plain output even on a terminal (NO_COLOR works too)")
    .helpCommand("help [command]", "show help for a command")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
    })
    .showHelpAfterError("(add --help for usage and examples)")
    .addHelpText("after", EXIT_HELP);
  for (const register of Object.values(commands)) register(program, ctx);
  return { program, ctx };
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const { program, ctx } = createProgram(io);
  try {
    await program.parseAsync(argv, { from: "user" });
    return ctx.exitCode;
  } catch (error) {
    return report(error, ctx);
  }
}

function report(error: unknown, ctx: CliContext): number {
  const { io } = ctx;
  if (error instanceof CommanderError) {
    // commander has already printed the message (or the help / version asked for).
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  const style = ctx.style();
  if (error instanceof CliError) {
    if (ctx.json) ctx.printJson(error.toJson());
    const lines = [`${style.red("error:")} ${error.message}`, ...error.lines];
    if (error.hint) lines.push(`${style.dim("hint:")} ${error.hint}`);
    io.stderr(lines.join("\n") + "\n");
    return error.exitCode;
  }
  // Not an expected failure: a bug in acr. Keep the terminal readable; the stack on request.
  const message = error instanceof Error ? error.message : String(error);
  if (ctx.json) ctx.printJson(apiErrorBody("internal_error", message));
  io.stderr(`${style.red("error:")} ${message}\n${style.dim("hint:")} this looks like a bug in acr; rerun with ACR_DEBUG=1 for details and report it\n`);
  if (io.env.ACR_DEBUG && error instanceof Error && error.stack) io.stderr(error.stack + "\n");
  return EXIT.runFailed;
}
