/**
 * A contract's config_example made runnable: a string that is one template (`"{{input.text}}"`)
 * stands for a value of the type input_schema declares for that parameter, so it becomes a
 * sample of that type — the schema's `default`, first `examples` or `enum` entry when it has one,
 * otherwise "example", 1, true, [] or {}. Everything else is kept as written.
 */
const TEMPLATE_ONLY = /^\s*\{\{[^{}]*\}\}\s*$/;

export function sampleParams(example: Record<string, unknown>, inputSchema: Record<string, unknown> | undefined): Record<string, unknown> {
  const properties = (inputSchema?.properties ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(example)) {
    out[key] = typeof value === "string" && TEMPLATE_ONLY.test(value) ? sampleOf(properties[key]) : value;
  }
  return out;
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
