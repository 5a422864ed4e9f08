/**
 * A structural check of a recipe's `inputs` (JSON Schema 2020-12): @cfworker/json-schema
 * interprets schemas without checking them, so a typo such as `type: strng` would otherwise
 * accept everything. This checks the keywords recipes use; unknown keywords are left alone.
 */
const TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);
const SCHEMA_MAPS = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SUBSCHEMAS = ["items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedProperties"];
const NUMBERS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];
const COUNTS = ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"];

export interface SchemaProblem {
  path: string[];
  message: string;
}

export function inputsSchemaProblems(schema: Record<string, unknown>): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  if (schema.type !== "object") problems.push({ path: ["type"], message: "the parameters are an object: use type: object" });
  check(schema, [], problems);
  const properties = isObject(schema.properties) ? schema.properties : {};
  if (Array.isArray(schema.required)) {
    for (const key of schema.required) {
      if (typeof key === "string" && !(key in properties)) problems.push({ path: ["required"], message: `"${key}" is required but not declared in properties` });
    }
  }
  return problems;
}

function check(schema: unknown, path: string[], problems: SchemaProblem[]): void {
  if (typeof schema === "boolean") return;
  if (!isObject(schema)) {
    problems.push({ path, message: "a schema must be an object (or true/false)" });
    return;
  }
  if ("type" in schema) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    for (const type of types) {
      if (typeof type !== "string" || !TYPES.has(type)) problems.push({ path: [...path, "type"], message: `unknown type ${JSON.stringify(type)}; use one of ${[...TYPES].join(", ")}` });
    }
  }
  if ("required" in schema && !(Array.isArray(schema.required) && schema.required.every((k) => typeof k === "string"))) {
    problems.push({ path: [...path, "required"], message: "required must be a list of property names" });
  }
  if ("enum" in schema && !Array.isArray(schema.enum)) problems.push({ path: [...path, "enum"], message: "enum must be a list" });
  if ("pattern" in schema) {
    try {
      new RegExp(String(schema.pattern), "u");
    } catch {
      problems.push({ path: [...path, "pattern"], message: "pattern is not a valid regular expression" });
    }
  }
  for (const key of NUMBERS) if (key in schema && typeof schema[key] !== "number") problems.push({ path: [...path, key], message: `${key} must be a number` });
  for (const key of COUNTS) {
    if (key in schema && !(Number.isInteger(schema[key]) && (schema[key] as number) >= 0)) problems.push({ path: [...path, key], message: `${key} must be a whole number ≥ 0` });
  }
  for (const key of SCHEMA_MAPS) {
    if (!(key in schema)) continue;
    const map = schema[key];
    if (!isObject(map)) problems.push({ path: [...path, key], message: `${key} must be a map of name → schema` });
    else for (const [name, sub] of Object.entries(map)) check(sub, [...path, key, name], problems);
  }
  for (const key of SCHEMA_LISTS) {
    if (!(key in schema)) continue;
    const list = schema[key];
    if (!Array.isArray(list)) problems.push({ path: [...path, key], message: `${key} must be a list of schemas` });
    else list.forEach((sub, i) => check(sub, [...path, key, String(i)], problems));
  }
  for (const key of SUBSCHEMAS) if (key in schema) check(schema[key], [...path, key], problems);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
