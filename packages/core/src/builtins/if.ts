/**
 * `if`: evaluates `condition` (see conditions.ts) and emits branch ON_TRUE or ON_FALSE.
 * The node also succeeds, so ON_SUCCESS edges fire either way.
 *
 *   check_age:
 *     component: if
 *     condition: {all: [{value: "{{input.age}}", op: gte, to: 18}]}
 *     data: "{{input}}"                  # passed through as data.value
 *
 * data = {result: boolean, value: params.data ?? null}
 */
import type { Component } from "../components/types";
import { ConditionError, evaluateCondition } from "./conditions";

export const IF_BRANCHES = ["ON_TRUE", "ON_FALSE"];

export const ifComponent: Component = {
  name: "if",
  kind: "builtin",
  selfLimited: true, // no I/O, little work: no time-limit race (node-runner.ts)
  contract: {
    name: "if",
    version: "1.0.0",
    description: "Route by a condition: emits ON_TRUE or ON_FALSE",
    category: "logic",
    input_schema: { type: "object", required: ["condition"], properties: { condition: {}, data: {} } },
  },
  branches: () => [...IF_BRANCHES],
  async run(params) {
    if (!("condition" in params)) {
      return { success: false, error: { code: "invalid_input", message: 'if needs a "condition", e.g. {value: "{{input.age}}", op: gte, to: 18}' } };
    }
    try {
      const result = evaluateCondition(params.condition, { where: "condition" });
      return { success: true, data: { result, value: params.data ?? null }, branch: result ? "ON_TRUE" : "ON_FALSE" };
    } catch (error) {
      if (error instanceof ConditionError) return { success: false, error: { code: "invalid_condition", message: error.message, details: { where: error.where } } };
      throw error;
    }
  },
};
