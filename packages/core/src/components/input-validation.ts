// Checks a node's parameters against its component's `input_schema` before the component runs.
// @cfworker/json-schema interprets schemas (no generated code), so it runs inside Workers.
import { Validator, type OutputUnit, type Schema } from "@cfworker/json-schema";
import type { NodeError } from "./types";

const validators = new WeakMap<object, Validator>();

export interface InputProblem {
  /** the parameter path, e.g. "schema" or "items.0.name"; "" for the parameters as a whole */
  path: string;
  message: string;
}

/** An input problem with where it is as path segments and the JSON Schema keyword that failed. */
export interface LocatedInputProblem extends InputProblem {
  /** the parameter path as segments (a missing required property included) */
  segments: string[];
  keyword: string;
}

/** Every problem of `params` against `schema` (empty when valid). */
export function inputProblems(schema: Record<string, unknown>, params: unknown): InputProblem[] {
  return locatedInputProblems(schema, params).map(({ path, message }) => ({ path, message }));
}

/** inputProblems with segments and keyword, for checks that must judge where a problem is. */
export function locatedInputProblems(schema: Record<string, unknown>, params: unknown): LocatedInputProblem[] {
  let validator = validators.get(schema);
  if (!validator) {
    validator = new Validator(schema as Schema, "2020-12", false);
    validators.set(schema, validator);
  }
  const result = validator.validate(params);
  if (result.valid) return [];
  return leafErrors(result.errors).map(toProblem);
}

/** The node error for invalid parameters, naming each field, or undefined when they are valid. */
export function validateInput(component: string, schema: Record<string, unknown> | undefined, params: unknown): NodeError | undefined {
  if (!schema) return undefined;
  const problems = inputProblems(schema, params);
  if (problems.length === 0) return undefined;
  const listed = problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join("; ");
  return {
    code: "invalid_input",
    message: `Invalid input for component "${component}": ${listed}.`,
    details: problems,
    retryable: false,
  };
}

// The validator reports a summary error for every enclosing keyword ("Property x does not match
// schema") plus the failing keyword itself; only the innermost ones say something useful.
function leafErrors(errors: OutputUnit[]): OutputUnit[] {
  const summary = new Set(["properties", "items", "prefixItems", "additionalProperties", "allOf", "$ref", "unevaluatedProperties", "dependentSchemas"]);
  const leaves = errors.filter((e) => !summary.has(lastKeyword(e.keywordLocation)));
  return leaves.length > 0 ? dedupe(leaves) : errors.slice(0, 1);
}

function lastKeyword(location: string): string {
  return location.split("/").pop() ?? "";
}

function dedupe(errors: OutputUnit[]): OutputUnit[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.instanceLocation}|${e.keywordLocation}|${e.error}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function toProblem(error: OutputUnit): LocatedInputProblem {
  const segments = decodePointer(error.instanceLocation);
  const path = segments.join(".");
  const keyword = error.keyword;
  // a missing required property is reported on the parent: name the property itself
  const missing = /required property "([^"]+)"/.exec(error.error);
  if (keyword === "required" && missing) {
    return { path: path ? `${path}.${missing[1]}` : missing[1], message: "is required", segments: [...segments, missing[1]], keyword };
  }
  // a property that `additionalProperties: false` (or any false schema) forbids
  if (keyword === "false") return { path, message: "is not allowed", segments, keyword };
  return { path, message: error.error.replace(/^Instance /, "value ").replace(/\.$/, ""), segments, keyword };
}

/** "#/items/0/name" → ["items", "0", "name"] */
function decodePointer(location: string): string[] {
  return location
    .replace(/^#\/?/, "")
    .split("/")
    .filter(Boolean)
    .map((part) => decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~"));
}
