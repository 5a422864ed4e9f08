// The two ways a component ends: success data, or a failure the node reports as its error.
// Both are written as the result envelope, so data that happens to contain a `success` key
// is never mistaken for an envelope.
import { JSON } from "./json";
import { exit, writeStdout } from "./wasi";

/** Writes `{"success":true,"data":...}` to stdout. `run` calls this with the handler's result. */
export function succeed(data: JSON.Value): void {
  writeStdout("{\"success\":true,\"data\":" + data.stringify() + "}");
}

/**
 * Fails the node with `{code, message, details?}` and ends the component at once.
 * Returns a Value only so a handler can write `return fail(...)`; it never returns.
 */
export function fail(code: string, message: string, details: JSON.Value | null = null): JSON.Value {
  const error = JSON.obj().set("code", JSON.str(code)).set("message", JSON.str(message));
  if (details !== null) error.set("details", details);
  writeStdout(JSON.obj().set("success", JSON.bool(false)).set("error", error).stringify());
  exit(0);
  return JSON.NULL;
}
