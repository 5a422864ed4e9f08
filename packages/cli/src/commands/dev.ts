/**
 * `acr dev` (also `npm start`): the executor in local workerd through Miniflare, state in
 * .arcrun/, examples loaded, until Ctrl-C. The launcher lives in src/dev/server.ts and is
 * imported only here, so other commands never pay for loading Miniflare.
 */
import { InvalidArgumentError } from "commander";
import { examples, handle, type CliContext, type RegisterCommand } from "../context";
import type { DevServer } from "../dev/server";
import { CliError, EXIT } from "../exit";

interface DevOptions {
  port?: number;
  host?: string;
  stateDir?: string;
  examples?: string;
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535) throw new InvalidArgumentError("expected a port number from 1 to 65535.");
  return n;
}

const register: RegisterCommand = (program, ctx) => {
  program
    .command("dev")
    .description("start the local arcrun server (workerd via Miniflare) with the example workflows; Ctrl-C stops it")
    .option("-p, --port <port>", "port to listen on (default: $PORT or 8787)", parsePort)
    .option("--host <host>", "address to listen on (default 127.0.0.1)")
    .option("--state-dir <dir>", "where workflows, runs and the API key are kept (default: $ARCRUN_STATE_DIR or .arcrun)")
    .option("--examples <dir>", "folder of workflows loaded at start (default examples/)")
    .addHelpText(
      "after",
      examples("acr dev", "PORT=9000 acr dev", "ARCRUN_STATE_DIR=/tmp/arcrun-state acr dev --examples workflows") +
        "\nThe registry is served beside it on REGISTRY_PORT (default 8788).\nThe API key is ARCRUN_API_KEY when set, else one generated on first start and kept in\n<state folder>/api-key, where the other acr commands find it by themselves (with --state-dir,\nset ARCRUN_STATE_DIR to the same folder for them).\n",
    )
    .action(handle(ctx, (options: DevOptions) => dev(ctx, options)));
};

async function dev(ctx: CliContext, options: DevOptions): Promise<number> {
  const { io } = ctx;
  const port = options.port ?? (io.env.PORT ? parsePortEnv(io.env.PORT) : undefined);
  const registryPort = io.env.REGISTRY_PORT ? parsePortEnv(io.env.REGISTRY_PORT, "REGISTRY_PORT", 8788, true) : undefined;
  // Loaded here only: it pulls in Miniflare (≈0.4 s), which no other command needs.
  const { startDevServer } = await import("../dev/server");
  const style = ctx.style();
  let server: DevServer;
  try {
    server = await startDevServer({
      port,
      registryPort,
      host: options.host,
      stateDir: options.stateDir ?? io.env.ARCRUN_STATE_DIR,
      apiKey: io.env.ARCRUN_API_KEY || undefined,
      examplesDir: options.examples,
      log: (line) => ctx.print(line),
      releaseBundler: true,
    });
  } catch (error) {
    if (io.env.ACR_DEBUG && error instanceof Error && error.stack) io.stderr(error.stack + "\n");
    throw startFailure(error, port);
  }
  // The launcher's banner (through `log`) already says where it listens, the state and the key.
  if (server.authUrl) ctx.print(`${style.green("●")} ready at ${style.bold(server.url)} (shared deployment, auth ${style.bold(server.authUrl)})  ${style.dim(`try: acr init --standard --url ${server.url} --auth-url ${server.authUrl} · Ctrl-C stops`)}`);
  else ctx.print(`${style.green("●")} ready at ${style.bold(server.url)}  ${style.dim("try: acr list · acr run examples/hello.yaml · acr logs · Ctrl-C stops")}`);
  const ended = await Promise.race([io.waitForInterrupt(), server.failed]);
  if (ended instanceof Error) {
    // the launcher gave up restarting workerd (its lines say why) and has stopped it
    await server.stop();
    throw new CliError(ended.message, { code: "dev_failed", hint: "see the lines above (ACR_DEBUG=1 for more); check the state folder, then start again" });
  }
  const signal = ended;
  ctx.note(`\n${signal === "SIGINT" ? "Ctrl-C" : signal}: stopping…`);
  await server.stop();
  ctx.note("stopped");
  return EXIT.ok;
}

function parsePortEnv(value: string, name = "PORT", fallback = 8787, zeroIsAny = false): number {
  if (zeroIsAny && value === "0") return 0;
  try {
    return parsePort(value);
  } catch {
    throw new CliError(`${name}=${value} is not a port number`, { code: "usage", hint: `set ${name} to a number from 1 to 65535${zeroIsAny ? " (0: any free port)" : ""}, or unset it for ${fallback}` });
  }
}

function startFailure(error: unknown, port: number | undefined): unknown {
  const code = (error as { code?: string }).code;
  if (code === "EADDRINUSE" || /EADDRINUSE|address already in use/i.test(String((error as Error)?.message))) {
    // the launcher names the port that is taken: the executor's (PORT) or the registry's (REGISTRY_PORT)
    const taken = error as { port?: number; envVar?: string; serves?: string };
    const busy = taken.port ?? port ?? 8787;
    const envVar = taken.envVar ?? "PORT";
    return new CliError(`port ${busy}${taken.serves ? ` (${taken.serves})` : ""} is already in use`, {
      code: "port_in_use",
      hint: `is arcrun already running? (acr list talks to it) Otherwise pick another port: ${envVar}=${busy + 1} npm start`,
    });
  }
  if (error instanceof CliError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CliError(`the local server did not start: ${message}`, { code: "dev_failed", hint: "rerun with ACR_DEBUG=1 for details" });
}

export default register;
