/**
 * Exit codes are a contract with scripts and CI (issue 2 item 10):
 *   0 success · 1 the run failed (or the server failed) · 2 invalid workflow, usage or
 *   configuration (bad flag, bad JSON, 4xx such as 401/404/422) · 3 server unreachable.
 */
export const EXIT = {
  ok: 0,
  runFailed: 1,
  usage: 2,
  unreachable: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * An expected failure: printed as `error: message` + `hint: ...`, never with a stack trace.
 * `body` is the JSON document printed to stdout under `--json` (defaults to `{error: {...}}`).
 */
export class CliError extends Error {
  readonly exitCode: number;
  readonly hint?: string;
  readonly code: string;
  readonly details?: Record<string, unknown>;
  /** extra lines printed between message and hint (e.g. workflow issues) */
  readonly lines: string[];

  constructor(
    message: string,
    options: { exitCode?: number; hint?: string; code?: string; details?: Record<string, unknown>; lines?: string[] } = {},
  ) {
    super(message);
    this.name = "CliError";
    this.exitCode = options.exitCode ?? EXIT.usage;
    this.hint = options.hint;
    this.code = options.code ?? "cli_error";
    this.details = options.details;
    this.lines = options.lines ?? [];
  }

  /** The one JSON document `--json` prints when a command fails before it has a result. */
  toJson(): { error: Record<string, unknown> } {
    const error: Record<string, unknown> = { code: this.code, message: this.message };
    if (this.hint) error.hint = this.hint;
    if (this.details) Object.assign(error, this.details);
    return { error };
  }
}

export const usageError = (message: string, hint?: string) => new CliError(message, { exitCode: EXIT.usage, hint, code: "usage" });
