// Turns what a component did (exit, trap, stdout, stderr) into the node's result envelope.
import type { NodeError, NodeOutcome } from "../components/types";
import type { WasiRunResult } from "./run";

const STDERR_TAIL = 1000;

export interface InterpretOptions {
  component: string;
  timeoutMs: number;
}

/** Reads stdout as raw JSON data or as a `{success, data | error}` envelope. */
export function interpretRun(result: WasiRunResult, options: InterpretOptions): NodeOutcome {
  const { stop } = result;
  const name = options.component;
  const tail = stderrTail(result);
  switch (stop.kind) {
    case "timeout":
      return failure({
        code: "timeout",
        message: `Component "${name}" ran out of its work budget (${options.timeoutMs} ms of work, limits.cpu_ms) and was stopped.${tail}`,
        retryable: false,
      });
    case "memory_limit":
      return failure({
        code: "memory_limit",
        message: `Component "${name}" needed more memory than its limit (${result.memoryPages} pages of 64 KiB in use) and was stopped.${tail}`,
      });
    case "output_limit":
      return failure({
        code: "output_too_large",
        message: `Component "${name}" wrote more than ${stop.limit} bytes to stdout; raise limits.max_output_bytes on the node or return less.`,
      });
    case "trap":
      return failure({ code: "component_trap", message: `Component "${name}" trapped: ${stop.message}.${tail}` });
    case "exit":
      if (stop.code !== 0) {
        return failure({ code: "component_trap", message: `Component "${name}" exited with code ${stop.code}.${tail}` });
      }
  }
  return parseStdout(result.stdout, name);
}

function parseStdout(stdout: Uint8Array, name: string): NodeOutcome {
  if (stdout.length === 0) {
    return invalidOutput(name, "it wrote nothing to stdout");
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(stdout));
  } catch (error) {
    const preview = new TextDecoder().decode(stdout.subarray(0, 80));
    return invalidOutput(name, `stdout is not JSON (${(error as Error).message}); it starts with ${JSON.stringify(preview)}`);
  }
  if (!isEnvelope(value)) return { success: true, data: value };
  if (value.success === true) return { success: true, data: value.data ?? null };
  const error = value.error as Record<string, unknown> | undefined;
  if (!error || typeof error !== "object" || typeof error.code !== "string" || typeof error.message !== "string") {
    return invalidOutput(name, 'a failure envelope needs "error": {"code": string, "message": string}');
  }
  const out: NodeError = { code: error.code, message: error.message };
  if (error.details !== undefined) out.details = error.details;
  return failure(out);
}

/** `{success: boolean, ...}` with only envelope keys: anything else is raw data. */
function isEnvelope(value: unknown): value is { success: boolean; data?: unknown; error?: unknown } {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return typeof (value as { success?: unknown }).success === "boolean" && keys.every((k) => k === "success" || k === "data" || k === "error");
}

function invalidOutput(name: string, why: string): NodeOutcome {
  return failure({
    code: "invalid_output",
    message: `Component "${name}" produced invalid output: ${why}. A component writes one JSON document to stdout.`,
  });
}

function failure(error: NodeError): NodeOutcome {
  return { success: false, error };
}

function stderrTail(result: WasiRunResult): string {
  const text = result.stderr.trim();
  if (!text) return "";
  return ` stderr: ${text.length > STDERR_TAIL ? "…" + text.slice(-STDERR_TAIL) : text}`;
}
