/**
 * Literal parameters against the component's `input_schema`, before anything runs: a node
 * that writes `case: shouting` for text_case is invalid the moment it is written.
 *
 * Only what is known now is judged. A string with a template in it is a value of unknown
 * shape until the run (`"{{input.n}}"` may become a number), so problems at or under a
 * templated value are left to the run, and so are problems of an enclosing value that depend
 * on its members (enum, const, anyOf, contains, ...); the container's own shape (type,
 * counts, required keys, forbidden keys) is still checked. Missing top-level inputs are
 * check-components' missing_input (which knows what a credential fills in).
 */
import type { WorkflowIssue } from "../errors";
import { locatedInputProblems, type LocatedInputProblem } from "../components/input-validation";
import { hasOwn } from "../json/own";
import { findTemplates } from "../templates/index";
import { nodeParams, type NodeConfig } from "./schema";
import type { SourceLocator } from "./source-locator";
import type { NodeComponent, WorkflowView } from "./workflow-view";

/** Keywords of an enclosing value that do not look into its members' values. */
const SHAPE_KEYWORDS = new Set(["type", "required", "minItems", "maxItems", "minProperties", "maxProperties", "false", "additionalProperties", "propertyNames"]);

export function checkParameters(view: WorkflowView, components: Map<string, NodeComponent>, locate: SourceLocator): WorkflowIssue[] {
  const issues: WorkflowIssue[] = [];
  for (const [node, { name, component }] of components) {
    const schema = component?.contract?.input_schema;
    const config = view.nodes.get(node);
    if (!schema || typeof schema !== "object" || !config) continue;
    const params = nodeParams(config as NodeConfig);
    const templated = templatedPaths(params);
    let problems: LocatedInputProblem[];
    try {
      problems = locatedInputProblems(schema as Record<string, unknown>, params);
    } catch {
      continue; // a schema the validator cannot read is the contract's problem, reported when it is published
    }
    for (const problem of problems) {
      if (problem.keyword === "required" && problem.segments.length === 1) continue; // missing_input
      if (dependsOnTemplate(problem, templated)) continue;
      const where = problem.path === "" ? "" : `${problem.path}: `;
      issues.push({
        code: "invalid_input",
        node,
        message: `node ${node}: ${where}${problem.message} (input_schema of ${name})`,
        hint: hintFor(problem, schema as Record<string, unknown>, node),
        ...locate.at(["config", node, ...problem.segments]),
      });
    }
  }
  return issues;
}

/** Paths (as segments) of every string parameter that holds a template (or something like one). */
function templatedPaths(params: Record<string, unknown>): string[][] {
  const out: string[][] = [];
  const stack: { value: unknown; path: string[] }[] = [{ value: params, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === "string") {
      if (value.includes("{{") && holdsTemplate(value)) out.push(path);
    } else if (Array.isArray(value)) value.forEach((item, i) => stack.push({ value: item, path: [...path, String(i)] }));
    else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) stack.push({ value: item, path: [...path, key] });
  }
  return out;
}

function holdsTemplate(text: string): boolean {
  try {
    return findTemplates(text).length > 0;
  } catch {
    return true; // a malformed template: the template check reports it; its value is unknown here
  }
}

function dependsOnTemplate(problem: LocatedInputProblem, templated: string[][]): boolean {
  for (const path of templated) {
    const at = problem.segments;
    const prefix = (a: string[], b: string[]) => a.length <= b.length && a.every((s, i) => s === b[i]);
    if (prefix(path, at)) return true; // the problem is at or under the templated value
    if (prefix(at, path) && !SHAPE_KEYWORDS.has(problem.keyword)) return true; // a container judged by its members
  }
  return false;
}

function hintFor(problem: LocatedInputProblem, schema: Record<string, unknown>, node: string): string {
  const property = problem.segments.length === 1 ? propertySchema(schema, problem.segments[0]) : undefined;
  const allowed = property && Array.isArray(property.enum) ? property.enum : undefined;
  if (allowed) return `write one of ${allowed.map((v) => JSON.stringify(v)).join(", ")} for ${problem.segments[0]} under config.${node}`;
  if (problem.keyword === "false") return `remove ${problem.path} from config.${node}, or check its spelling against the component's input_schema`;
  return `change config.${node}${problem.path ? `.${problem.path}` : ""} to match the component's input_schema (\`acr parts\` shows it)`;
}

function propertySchema(schema: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const properties = schema.properties;
  if (!properties || typeof properties !== "object" || !hasOwn(properties, key)) return undefined;
  const value = (properties as Record<string, unknown>)[key];
  return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
}
