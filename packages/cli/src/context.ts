/**
 * What a command gets: the outside world (io), output helpers, the server settings and a
 * client, all resolved lazily from the global options so `acr validate` never needs a server.
 */
import type { Command } from "commander";
import { createClient, type ArcrunClient } from "./client";
import { ansi, plain, useColor, type Style } from "./format/color";
import type { CliIO } from "./io";
import { resolveServerSettings, type ServerSettings } from "./settings";
import { readConfig } from "./config";

export interface GlobalOptions {
  url?: string;
  color?: boolean;
}

export interface CliContext {
  readonly io: CliIO;
  /** set by `handle()` when the running command was given --json */
  json: boolean;
  exitCode: number;
  style(): Style;
  server(): ServerSettings;
  client(): ArcrunClient;
  /** the one JSON document of --json */
  printJson(value: unknown): void;
  print(text: string): void;
  /** progress and warnings: always stderr, so stdout stays clean for --json */
  note(text: string): void;
}

export function createContext(io: CliIO, globals: () => GlobalOptions): CliContext {
  let client: ArcrunClient | undefined;
  const ctx: CliContext = {
    io,
    json: false,
    exitCode: 0,
    style: () => (useColor(io.stdoutIsTTY, io.env, globals().color) ? ansi : plain),
    server: () => {
      const { config, path } = readConfig(io.env);
      return resolveServerSettings({ url: globals().url, config: { url: config.url, api_key: config.api_key, path } }, io.env, io.cwd);
    },
    client: () => (client ??= createClient(ctx.server(), io.fetch)),
    printJson: (value) => io.stdout(JSON.stringify(value, null, 2) + "\n"),
    print: (text) => io.stdout(text.endsWith("\n") ? text : text + "\n"),
    note: (text) => io.stderr(text.endsWith("\n") ? text : text + "\n"),
  };
  return ctx;
}

/**
 * Wraps a command action: records --json for error output and turns the returned number
 * into the exit code. Actions return their exit code and throw CliError for expected failures.
 */
export function handle<Args extends unknown[]>(ctx: CliContext, action: (...args: Args) => Promise<number>) {
  return async (...args: Args) => {
    const command = args[args.length - 1] as Command;
    // with globals: `acr parts test --json` sets --json on `parts` too, which declares its own
    ctx.json = Boolean(command.optsWithGlobals().json);
    ctx.exitCode = await action(...args);
  };
}

/** One command module: adds itself to the program. Listed in commands/index.ts. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;

/** Help text block appended to a command's --help. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
}
