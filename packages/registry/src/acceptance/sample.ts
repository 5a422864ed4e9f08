/**
 * A contract's config_example made runnable: a string that is one template (`"{{input.text}}"`)
 * stands for a value of the type input_schema declares for that parameter, so it becomes a
 * sample of that type — the schema's `default`, first `examples` or `enum` entry when it has one,
 * otherwise "example", 1, true, [] or {}. Everything else is kept as written. A credential the
 * contract injects (`credentials_required[].inject_as`) is left out of a config_example, as in a
 * workflow; it is set to a sample secret, as the executor would inject the decrypted value.
 */
import { injectCredentials } from "@arcrun/core";

const TEMPLATE_ONLY = /^\s*\{\{[^{}]*\}\}\s*$/;

export function sampleParams(example: Record<string, unknown>, inputSchema: Record<string, unknown> | undefined, injected: { inject_as: string }[] = []): Record<string, unknown> {
  const properties = (inputSchema?.properties ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(example)) {
    out[key] = typeof value === "string" && TEMPLATE_ONLY.test(value) ? sampleOf(properties[key]) : value;
  }
  const missing = injected.filter((c) => readPath(out, c.inject_as) === undefined);
  return injectCredentials(out, missing.map((c) => ({ inject_as: c.inject_as, value: SAMPLE_SECRET })));
}

export const SAMPLE_SECRET = "acceptance-sample-secret";

function readPath(value: unknown, path: string): unknown {
  let at = value;
  for (const key of path.split(".")) at = at && typeof at === "object" && Object.hasOwn(at, key) ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

function sampleOf(schema: Record<string, unknown> | undefined): unknown {
  if (!schema) return "example";
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "integer":
    case "number":
      return typeof schema.minimum === "number" ? schema.minimum : 1;
    case "boolean":
      return true;
    case "array":
      return [];
    case "object":
      return {};
    case "null":
      return null;
    default:
      return "example";
  }
}
