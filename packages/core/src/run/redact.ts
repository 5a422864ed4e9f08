/**
 * The seam where secrets leave a node's trace. The default hands the node's decrypted
 * credentials to core's Redactor (redact/), which replaces them, and the forms code passes
 * them on in, with `[redacted:<name>]`. The executor may pass its own through
 * `ExecuteOptions.redact` (same signature).
 */
import { Redactor } from "../redact/index";

export type RedactFn = (value: unknown, secrets: Readonly<Record<string, string>>) => unknown;

export const redactSecrets: RedactFn = (value, secrets) =>
  Object.keys(secrets).length === 0 ? value : new Redactor({ ...secrets }).value(value);
