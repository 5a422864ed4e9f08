/**
 * One error taxonomy for the whole engine, split by who must act:
 * - `user`: the request or workflow is wrong (4xx); carries node and source position when known.
 * - `operational`: something outside failed (timeout, upstream down); may be retried.
 * - `internal`: a bug in arcrun.
 * Adapters (the executor's `onError`, the CLI) turn these into responses and exit codes.
 */
import { z } from "./schema";
import { ERROR_CODES, type ErrorCode, type ErrorKind } from "./errors/codes";

export { ERROR_CODES, EXIT, errorSpec, exitCodeFor, isErrorCode, type ErrorCode, type ErrorKind, type ErrorSpec, type ExitCode } from "./errors/codes";

export interface ErrorOptions {
  hint?: string;
  details?: unknown;
  cause?: unknown;
}

/** An error with a code of the table: kind and HTTP status come from ERROR_CODES, never from the throw site. */
export class ArcrunError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly hint?: string;
  readonly status: number;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ArcrunError";
    this.code = code;
    this.kind = ERROR_CODES[code].kind;
    this.status = ERROR_CODES[code].status;
    this.hint = options.hint;
    this.details = options.details;
  }

  /** The body every API error uses: `{error: {code, message, hint?, ...details}}`. */
  toBody(): ApiErrorBody {
    return apiErrorBody(this.code, this.message, { hint: this.hint, details: this.details });
  }
}

/** Throw sites name a code of the table; the table says whose mistake it is and which status it answers. */
export const arcrunError = (code: ErrorCode, message: string, options?: ErrorOptions) => new ArcrunError(code, message, options);

/** The body of every error answer (executor) and of `acr --json` failures. */
export const ApiErrorBodySchema = z.object({
  error: z.looseObject({ code: z.string(), message: z.string(), hint: z.string().optional() }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

/** Builds `{error: {code, message, hint?, ...details}}`; object details are spread beside code and message. */
export function apiErrorBody(code: string, message: string, options: { hint?: string; details?: unknown } = {}): ApiErrorBody {
  const error: ApiErrorBody["error"] = { code, message };
  if (options.hint) error.hint = options.hint;
  const { details } = options;
  if (details && typeof details === "object" && !Array.isArray(details)) Object.assign(error, details);
  return { error };
}

/** A problem found in a workflow file before it runs. Positions are 1-based. */
export const WorkflowIssueSchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  node: z.string().optional(),
  file: z.string().optional(),
});
export type WorkflowIssue = z.infer<typeof WorkflowIssueSchema>;


/** Thrown when a workflow has one or more issues; all of them are reported at once. */
export class InvalidWorkflowError extends ArcrunError {
  readonly issues: WorkflowIssue[];
  constructor(issues: WorkflowIssue[], file?: string) {
    const first = issues[0];
    const where = first?.line ? ` (line ${first.line}${first.node ? `, node ${first.node}` : ""})` : "";
    const message =
      issues.length === 1
        ? `Invalid workflow${file ? ` ${file}` : ""}: ${first.message}${where}`
        : `Invalid workflow${file ? ` ${file}` : ""}: ${issues.length} problems, first: ${first?.message}${where}`;
    super("invalid_workflow", message, {
      hint: "Fix the listed problems; `acr validate <file>` shows them with line numbers.",
      details: { errors: issues.map(({ line, column, node, message, hint, code }) => ({ line, column, node, message, hint, code })) },
    });
    this.issues = issues;
  }
}

/** Did-you-mean: the closest candidate within a small edit distance, if any. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(2, Math.floor(word.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
