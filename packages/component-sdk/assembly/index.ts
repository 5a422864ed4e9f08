// arcrun component SDK for AssemblyScript. A component is one function from the node's
// parameters (a JSON object) to its output (any JSON value):
//
//   import { run, fail, JSON } from "@arcrun/component-sdk/assembly";
//   run((input: JSON.Obj): JSON.Value => JSON.str(input.string("text").toUpperCase()));
//
// See ../README.md for the ABI, the build and the testing story.
import { JSON } from "./json";
import { fail, succeed } from "./result";
import { readStdin, writeStderr } from "./wasi";

export { JSON } from "./json";
export { fail, succeed } from "./result";
export { nowMillis, randomBytes, writeStderr, abort, trace, seed } from "./wasi";

/** Reads the parameters from stdin, calls `handler`, writes its result as the success envelope. */
export function run(handler: (input: JSON.Obj) => JSON.Value): void {
  const text = readStdin();
  const parsed = JSON.tryParse(text.length == 0 ? "{}" : text);
  if (parsed === null) {
    fail("invalid_input", "the parameters are not JSON: " + JSON.parseError());
    return;
  }
  if (!parsed.isObject()) {
    fail("invalid_input", "the parameters must be a JSON object, got " + parsed.typeName());
    return;
  }
  succeed(handler(parsed.asObject()));
}

/** Writes one line to the node's log (stderr). */
export function log(line: string): void {
  writeStderr(line + "\n");
}
