/** Core's ArcrunError (crypto, credential checks) as the CLI's CliError: same code, message and hint. */
import { ArcrunError } from "@arcrun/core/errors";
import { CliError, EXIT } from "../exit";

export function asCliError(error: unknown): unknown {
  if (!(error instanceof ArcrunError)) return error;
  const details = error.details && typeof error.details === "object" && !Array.isArray(error.details) ? (error.details as Record<string, unknown>) : undefined;
  return new CliError(error.message, { exitCode: EXIT.usage, code: error.code, hint: error.hint, details });
}

/** Run `fn`, turning a core error into a CliError. */
export async function cliErrors<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw asCliError(error);
  }
}
