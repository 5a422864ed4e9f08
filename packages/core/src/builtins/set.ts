/**
 * `set`: builds a value from templates or a JSONata expression, with no sandbox — the "shape
 * this data" step that needs no code. Templates resolve inside `value` as everywhere (a value
 * that is exactly one template keeps its type; inside text it is stringified):
 *
 *   greeting:
 *     component: set
 *     value: "Hello {{transform.data.name}}, your score is {{compute.data.score}}"
 *
 * or `expression`, in JSONata (the expression language of Node-RED's change node), evaluated
 * against `input` (`$` in the expression; templated like any parameter, null when left out):
 *
 *   totals:
 *     component: set
 *     input: "{{input}}"
 *     expression: '{"total": $sum(items.(price * qty)), "names": $uppercase(name)}'
 *
 * data = value, or the expression's result (null when left out or when it matches nothing).
 *
 * JSONata here is the `jsonata` package: an interpreter (no eval, no Function constructor), so
 * it runs in the engine itself. Each expression is parsed once per isolate; a syntax error is an
 * `invalid_expression` issue when the workflow is validated or pushed (check-expressions.ts).
 * An evaluation may take at most `limits.cpu_ms` × STEPS_PER_MS steps (each evaluated
 * sub-expression is a step) → `expression_limit`; any other evaluation error (a type error,
 * an undefined function, …) → `expression_error` with JSONata's code and position.
 */
import jsonata from "jsonata";
import type { Component, NodeOutcome } from "../components/types";
import { workBudgetMs } from "../run/limits";
import { withJson } from "../json/known";

/** evaluation steps per millisecond of limits.cpu_ms (100 ms by default → 50,000 steps) */
export const STEPS_PER_MS = 500;
/** parsed expressions kept per isolate; past this the cache starts over */
const MAX_PARSED = 512;
/** bound in every evaluation's frame under a name no expression can spell (it has a space) */
const BUDGET = "arcrun budget";
const ENTRY = Symbol.for("jsonata.__evaluate_entry");

interface Budget {
  steps: number;
  max: number;
}
class BudgetExceeded extends Error {}

type Parsed = { expression: jsonata.Expression } | { error: string };
const parsed = new Map<string, Parsed>();

/** JSONata's message for an expression that does not parse, or undefined when it parses. */
export function expressionProblem(text: string): string | undefined {
  const found = parse(text);
  return "error" in found ? found.error : undefined;
}

function parse(text: string): Parsed {
  const known = parsed.get(text);
  if (known) return known;
  if (parsed.size >= MAX_PARSED) parsed.clear();
  let result: Parsed;
  try {
    const expression = jsonata(text);
    // one step counter per evaluation, found in the evaluation's own frame
    expression.assign(ENTRY as unknown as string, (_expr: unknown, _input: unknown, env: { lookup(name: string): unknown }) => {
      const budget = env.lookup(BUDGET) as Budget | undefined;
      if (budget && ++budget.steps > budget.max) throw new BudgetExceeded();
    });
    result = { expression };
  } catch (error) {
    result = { error: describe(error) };
  }
  parsed.set(text, result);
  return result;
}

export const setComponent: Component = {
  name: "set",
  kind: "builtin",
  selfLimited: true, // no I/O; the step budget stops it
  untracedParams: ["expression"], // as a code node's source: in the workflow version; traces keep the input
  contract: {
    name: "set",
    version: "1.1.0",
    description: "Build a value (object, text, list) from templates or a JSONata expression, without a sandbox",
    category: "transform",
    input_schema: { type: "object", properties: { value: {}, expression: { type: "string" }, input: {} } },
  },
  async run(params, ctx) {
    if (params.expression === undefined) return { success: true, data: params.value ?? null };
    if (typeof params.expression !== "string") return fail("invalid_input", "expression is JSONata text, e.g. '$sum(items.price)'");
    if (params.value !== undefined) return fail("invalid_input", "set takes value or expression, not both");
    const found = parse(params.expression);
    if ("error" in found) return fail("invalid_input", `the expression does not parse: ${found.error}`);
    const budget: Budget = { steps: 0, max: Math.max(1, Math.ceil(workBudgetMs(ctx.limits) * STEPS_PER_MS)) };
    let result: unknown;
    try {
      result = await found.expression.evaluate(params.input ?? null, { [BUDGET]: budget });
    } catch (error) {
      if (error instanceof BudgetExceeded) {
        return fail("expression_limit", `the expression took more than ${budget.max} evaluation steps (limits.cpu_ms × ${STEPS_PER_MS}); look for a runaway recursion, or give the node more with limits.cpu_ms`);
      }
      return fail("expression_error", `the expression failed: ${describe(error)}`);
    }
    if (typeof result === "function") return fail("invalid_output", "the expression evaluated to a function; return JSON data");
    // JSONata's sequences are arrays with extra fields: the data is their plain JSON
    if (result === undefined) return { success: true, data: null };
    const text = JSON.stringify(result);
    return { success: true, data: withJson(JSON.parse(text) as unknown, text) };
  },
};

/** JSONata's errors are objects {code, message, position, token}; the code and position help find it. */
function describe(error: unknown): string {
  const e = error as { code?: string; message?: string; position?: number };
  const message = e?.message ?? String(error);
  return `${e?.code ? `${e.code} ` : ""}${message}${typeof e?.position === "number" ? ` (at character ${e.position})` : ""}`;
}

function fail(code: string, message: string): NodeOutcome {
  return { success: false, error: { code, message, retryable: false } };
}
