import { apiErrorBody, ERROR_CODES, type ApiErrorBody, type ErrorCode } from "@arcrun/core/errors";

/**
 * Exit codes are a contract with scripts and CI (issue 2 item 10):
 *   0 success · 1 the run failed (or the server failed) · 2 invalid workflow, usage or
 *   configuration (bad flag, bad JSON, 4xx such as 401/404/422) · 3 server unreachable.
 */
export { EXIT, type ExitCode } from "@arcrun/core/errors";

/**
 * Exit codes live in core's error table (ERROR_CODES[code].exit) beside the code's HTTP status.
 *
 * An expected failure: printed as `error: message` + `hint: ...`, never with a stack trace.
 * `body` is the JSON document printed to stdout under `--json` (defaults to `{error: {...}}`).
 */
export interface CliErrorOptions {
  /** a code of core's error table (ERROR_CODES); the exit code defaults to the table's */
  code?: ErrorCode;
  /** only where the situation, not the code, decides (e.g. a core error met on this machine) */
  exitCode?: number;
  hint?: string;
  details?: Record<string, unknown>;
  /** extra lines printed between message and hint (e.g. workflow issues) */
  lines?: string[];
}

export class CliError extends Error {
  readonly exitCode: number;
  readonly hint?: string;
  /** a table code, or (ApiError) the code an executor answered with */
  readonly code: string;
  readonly details?: Record<string, unknown>;
  readonly lines: string[];

  constructor(message: string, options: CliErrorOptions = {}, wireCode?: { code: string; exitCode: number }) {
    super(message);
    this.name = "CliError";
    const code = options.code ?? "cli_error";
    this.code = wireCode?.code ?? code;
    this.exitCode = options.exitCode ?? wireCode?.exitCode ?? ERROR_CODES[code].exit;
    this.hint = options.hint;
    this.details = options.details;
    this.lines = options.lines ?? [];
  }

  /** The one JSON document `--json` prints when a command fails before it has a result. */
  toJson(): ApiErrorBody {
    return apiErrorBody(this.code, this.message, { hint: this.hint, details: this.details });
  }
}

export const usageError = (message: string, hint?: string) => new CliError(message, { hint, code: "usage" });
