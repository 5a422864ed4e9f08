import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ArcrunError, arcrunError } from "../errors";
import { ERROR_CODES, EXIT, exitCodeFor, isErrorCode } from "./codes";

const root = new URL("../../../../", import.meta.url).pathname;

/** Every non-test TypeScript file under packages/<pkg>/src. */
function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === "node_modules" || name === "dist") continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".d.ts")) out.push(path);
    }
  };
  for (const pkg of readdirSync(join(root, "packages"))) {
    const src = join(root, "packages", pkg, "src");
    try {
      if (statSync(src).isDirectory()) walk(src);
    } catch {
      // a package without src/
    }
  }
  return out;
}

/**
 * Error codes a source line names: the first argument of arcrunError / new ArcrunError /
 * a `failure("...")` helper, and every `code: "..."` field. zod's own issue codes
 * (`ctx.addIssue({code: "custom"})`, `ZodIssue` types) are zod's vocabulary, not ours.
 */
export function codesUsed(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split("\n")) {
    if (/addIssue|ZodIssue|issue\.code ===/.test(line)) continue;
    for (const m of line.matchAll(/\b(?:arcrunError|new ArcrunError|failure)\(\s*"([a-z0-9_]+)"/g)) found.push(m[1]);
    for (const m of line.matchAll(/\bcode: "([a-z0-9_]+)"/g)) found.push(m[1]);
  }
  return found;
}

describe("the error table", () => {
  test("every code a source uses is in ERROR_CODES", () => {
    const files = sources();
    assert.ok(files.length > 100, `expected the package sources, found ${files.length} files under ${root}packages/*/src`);
    const missing: string[] = [];
    let seen = 0;
    for (const file of files) {
      for (const code of codesUsed(readFileSync(file, "utf8"))) {
        seen++;
        if (!isErrorCode(code)) missing.push(`${relative(root, file)}: ${code}`);
      }
    }
    assert.ok(seen > 100, `the scan found only ${seen} code uses: is the pattern still right?`);
    assert.deepEqual(missing, [], "add these codes to packages/core/src/errors/codes.ts");
  });

  test("the scan sees the forms throw sites use, and skips zod's own codes", () => {
    const text = [
      'throw arcrunError("workflow_not_found", `No workflow`, { hint });',
      'new ArcrunError("not_configured", "x")',
      'return failure("http_error", msg, true);',
      '  error: { code: "timeout", message },',
      'ctx.addIssue({ code: "custom", path: [], message: "m" });',
    ].join("\n");
    assert.deepEqual(codesUsed(text), ["workflow_not_found", "not_configured", "http_error", "timeout"]);
  });

  test("an error answer exits 1 for a 5xx status and 2 otherwise (ApiError relies on it)", () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      if (spec.family === "api" || spec.family === "issue") assert.equal(spec.exit, spec.status >= 500 ? EXIT.runFailed : EXIT.usage, code);
      if (spec.family === "node") assert.equal(spec.exit, EXIT.runFailed, `${code}: a failed node fails the run`);
    }
  });

  test("a user mistake is never retried and never a 5xx unless the executor is misconfigured; internal is 500", () => {
    for (const [code, spec] of Object.entries(ERROR_CODES)) {
      if (spec.kind === "user") assert.equal(spec.retryable, false, code);
      if (spec.kind === "internal") assert.equal(spec.status, 500, code);
      assert.ok(spec.hint.length > 0 && !spec.hint.includes("\n"), `${code}: a one-line hint`);
    }
    const userFiveHundreds = Object.entries(ERROR_CODES).filter(([, s]) => s.family === "api" && s.kind === "user" && s.status >= 500).map(([c]) => c);
    assert.deepEqual(userFiveHundreds, ["executor_key_missing"]);
  });

  test("statuses the wire has always used", () => {
    const wire: Record<string, number> = {
      invalid_json: 400, invalid_request: 400, unauthorized: 401, not_found: 404, workflow_not_found: 404, run_not_found: 404,
      webhook_not_found: 404, component_not_found: 404, credential_not_found: 404, component_exists: 409, component_not_deletable: 409,
      rotation_in_progress: 409, payload_too_large: 413, credential_value_too_large: 413, unsupported_media_type: 415,
      invalid_workflow: 422, invalid_contract: 422, invalid_module: 422, credential_missing: 422, not_configured: 503,
      encryption_key_missing: 503, internal_error: 500, credential_record_invalid: 400,
    };
    for (const [code, status] of Object.entries(wire)) assert.equal(ERROR_CODES[code as keyof typeof ERROR_CODES].status, status, code);
  });

  test("ArcrunError takes kind and status from the table; a typo is a type error", () => {
    const error = arcrunError("rotation_conflict", "another rotation");
    assert.ok(error instanceof ArcrunError);
    assert.equal(error.kind, "user");
    assert.equal(error.status, 409);
    assert.deepEqual(error.toBody(), { error: { code: "rotation_conflict", message: "another rotation" } });
    // @ts-expect-error "workflow_not_fund" is not a code of the table
    assert.throws(() => arcrunError("workflow_not_fund", "x"));
  });

  test("exitCodeFor: the table's exit, else by status", () => {
    assert.equal(exitCodeFor("workflow_not_found", 404), EXIT.usage);
    assert.equal(exitCodeFor("not_configured", 503), EXIT.runFailed);
    assert.equal(exitCodeFor("http_502", 502), EXIT.runFailed);
    assert.equal(exitCodeFor("http_400", 400), EXIT.usage);
  });
});
