/**
 * One error taxonomy for the whole engine, split by who must act:
 * - `user`: the request or workflow is wrong (4xx); carries node and source position when known.
 * - `operational`: something outside failed (timeout, upstream down); may be retried.
 * - `internal`: a bug in arcrun.
 * Adapters (the executor's `onError`, the CLI) turn these into responses and exit codes.
 */
export type ErrorKind = "user" | "operational" | "internal";

export interface ErrorOptions {
  hint?: string;
  /** HTTP status an adapter should use (defaults by kind: user 400, operational 502, internal 500). */
  status?: number;
  details?: unknown;
  cause?: unknown;
}

export class ArcrunError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly hint?: string;
  readonly status: number;
  readonly details?: unknown;

  constructor(kind: ErrorKind, code: string, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ArcrunError";
    this.kind = kind;
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
    this.status = options.status ?? (kind === "user" ? 400 : kind === "operational" ? 502 : 500);
  }

  /** The body every API error uses: `{error: {code, message, hint?, ...details}}`. */
  toBody(): ApiErrorBody {
    const error: ApiErrorBody["error"] = { code: this.code, message: this.message };
    if (this.hint) error.hint = this.hint;
    if (this.details && typeof this.details === "object" && !Array.isArray(this.details)) {
      Object.assign(error, this.details);
    }
    return { error };
  }
}

export const userError = (code: string, message: string, options?: ErrorOptions) =>
  new ArcrunError("user", code, message, options);
export const operationalError = (code: string, message: string, options?: ErrorOptions) =>
  new ArcrunError("operational", code, message, options);
export const internalError = (code: string, message: string, options?: ErrorOptions) =>
  new ArcrunError("internal", code, message, options);

export interface ApiErrorBody {
  error: { code: string; message: string; hint?: string; [extra: string]: unknown };
}

/** A problem found in a workflow file before it runs. Positions are 1-based. */
export interface WorkflowIssue {
  code: string;
  message: string;
  hint?: string;
  line?: number;
  column?: number;
  node?: string;
  file?: string;
}

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
    super("user", "invalid_workflow", message, {
      status: 422,
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
