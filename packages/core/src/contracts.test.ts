/**
 * Each shared shape is defined once, in core (issue 9 item 4): the old hand-written copies in
 * the executor and the CLI must not come back. (The error table's own scan is errors/codes.test.ts.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("../../../", import.meta.url).pathname;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".generated.ts")) out.push(path);
  }
  return out;
}

/** Declarations that re-declared a shape core defines as a zod schema (run/schema.ts, errors.ts, api.ts). */
const COPIES: [RegExp, string][] = [
  [/\binterface (RunView|NodeView)\b/, "the run record: RunRecord / NodeTrace from core run/schema.ts"],
  [/\binterface IssueView\b/, "the workflow issue: WorkflowIssue from core errors.ts"],
  [/\binterface (NodeError|TraceError|ApiErrorInfo|ApiErrorBody|WorkflowIssue)\b/, "a shape core derives with z.infer"],
  [/\binterface (PushResponse|PublishResponse)\b/, "an answer: WorkflowLinks / ComponentPublished from core api.ts"],
  [/\bNEVER_RETRY\b/, "node retry reads `retryable` in core errors/codes.ts"],
  [/(json|Json)\(\s*\{\s*error:\s*\{\s*code:/, "an error answer built by hand: use apiErrorBody / ArcrunError.toBody"],
];

test("no package re-declares a shape core defines once", () => {
  const found: string[] = [];
  const files = readdirSync(join(root, "packages")).flatMap((pkg) => {
    try {
      return sources(join(root, "packages", pkg, "src"));
    } catch {
      return [];
    }
  });
  assert.ok(files.length > 100, `found only ${files.length} sources`);
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const [pattern, instead] of COPIES) if (pattern.test(text)) found.push(`${relative(root, file)}: ${instead}`);
  }
  assert.deepEqual(found, []);
});
