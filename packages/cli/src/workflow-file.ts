/** Reading workflow files given on the command line, and printing the server's 422 issues for them. */
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { isErrorCode } from "@arcrun/core/errors";
import { ApiError } from "./client";
import { CliError, usageError } from "./exit";
import type { Style } from "./format/color";
import { formatIssues, issuesFromError } from "./format/issues";

export interface WorkflowSource {
  /** the path as the user typed it: shown in issues */
  file: string;
  path: string;
  text: string;
}

export function readWorkflowFile(file: string, cwd: string): WorkflowSource {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw usageError(`no such file: ${file}`, "check the path (workflow files usually live in examples/ or workflows/)");
  if (statSync(path).isDirectory()) throw usageError(`${file} is a folder, not a workflow file`, "give a .yaml file");
  return { file, path, text: readFileSync(path, "utf8") };
}

/**
 * `acr run <x>`: a path to a file, or the name of a stored workflow. Anything that exists on
 * disk, has a path separator or a YAML/JSON extension is a file; a workflow name is `[a-z0-9_]+`.
 */
export function classifyTarget(target: string, cwd: string): { kind: "file" } | { kind: "name" } {
  if (existsSync(resolve(cwd, target)) || /[\\/]/.test(target) || /\.(ya?ml|json)$/i.test(target)) return { kind: "file" };
  if (/^[a-z0-9_]+$/.test(target)) return { kind: "name" };
  throw usageError(
    `"${target}" is neither a workflow file nor a workflow name`,
    "give a file (acr run examples/hello.yaml) or a stored workflow's name: lowercase letters, digits and _ (acr list shows them)",
  );
}

/** A 422 `invalid_workflow` from the server, printed like `acr validate` prints issues. */
export function explainInvalidWorkflow(error: unknown, file: string | undefined, style: Style): unknown {
  if (!(error instanceof ApiError) || error.status !== 422) return error;
  const issues = issuesFromError(error.error as { errors?: unknown });
  if (!issues?.length) return error;
  return new CliError(`${file ?? "the workflow"} is not a valid workflow`, {
    code: isErrorCode(error.code) ? error.code : "invalid_workflow",
    details: { errors: issues },
    lines: [formatIssues(issues, file, style).trimEnd()],
    hint: file ? `fix the lines above; \`acr validate ${file}\` checks without a server` : undefined,
  });
}
