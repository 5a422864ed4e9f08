/**
 * Workflow issues as compilers print them (`file:line:col  node  message`, then the hint),
 * so editors and terminals can jump to the spot. Used by validate, push and run (422).
 */
import type { Style } from "./color";

export interface IssueView {
  code?: string;
  message: string;
  hint?: string;
  line?: number;
  column?: number;
  node?: string;
  file?: string;
}

export function formatIssue(issue: IssueView, file: string | undefined, style: Style): string {
  const path = issue.file ?? file ?? "<workflow>";
  const where = issue.line ? `${path}:${issue.line}:${issue.column ?? 1}` : path;
  const parts = [style.bold(where)];
  if (issue.node) parts.push(style.cyan(issue.node));
  parts.push(issue.message);
  const lines = [parts.join("  ")];
  // A multi-line hint (e.g. a YAML snippet) stays indented under its issue.
  if (issue.hint) lines.push(`  ${style.dim("hint:")} ${issue.hint.replace(/\n/g, "\n        ")}`);
  return lines.join("\n");
}

export function formatIssues(issues: IssueView[], file: string | undefined, style: Style): string {
  const sorted = [...issues].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
  const body = sorted.map((issue) => formatIssue(issue, file, style)).join("\n");
  const count = `${issues.length} problem${issues.length === 1 ? "" : "s"}`;
  return `${body}\n${style.red(count)} in ${file ?? "the workflow"}\n`;
}

/** Issues from a 422 body: `{error: {code: "invalid_workflow", errors: [...]}}`. */
export function issuesFromError(error: { errors?: unknown } | undefined): IssueView[] | undefined {
  const list = error?.errors;
  if (!Array.isArray(list)) return undefined;
  return list.filter((i): i is IssueView => !!i && typeof i === "object" && typeof (i as IssueView).message === "string");
}
