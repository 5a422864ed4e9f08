/**
 * Workflow issues as compilers print them (`file:line:col  node  message`, then the hint),
 * so editors and terminals can jump to the spot. Used by validate, push and run (422).
 */
import { WorkflowIssueSchema, type WorkflowIssue } from "@arcrun/core/errors";
import { z } from "@arcrun/core/schema";
import type { Style } from "./color";

export function formatIssue(issue: WorkflowIssue, file: string | undefined, style: Style): string {
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

export function formatIssues(issues: WorkflowIssue[], file: string | undefined, style: Style): string {
  const sorted = [...issues].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
  const body = sorted.map((issue) => formatIssue(issue, file, style)).join("\n");
  const count = `${issues.length} problem${issues.length === 1 ? "" : "s"}`;
  return `${body}\n${style.red(count)} in ${file ?? "the workflow"}\n`;
}

/** Issues from a 422 body: `{error: {code: "invalid_workflow", errors: [...]}}`. */
export function issuesFromError(error: { errors?: unknown } | undefined): WorkflowIssue[] | undefined {
  const parsed = IssueListSchema.safeParse(error?.errors);
  return parsed.success ? parsed.data : undefined;
}

const IssueListSchema = z.array(WorkflowIssueSchema);
