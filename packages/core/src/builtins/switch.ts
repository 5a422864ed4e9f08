/**
 * `switch`: emits the label of the first case that matches `value`, else the default label.
 *
 *   route:
 *     component: switch
 *     value: "{{input.plan}}"
 *     cases:
 *       PRO: pro                                  # equal to this value
 *       ADULT: {op: gte, to: 18}                  # a condition on `value` (see conditions.ts)
 *       VIP: {any: [{op: eq, to: gold}, {path: tier, op: exists}]}
 *     default: OTHER                              # optional, DEFAULT when left out
 *   flow: ["(route)-[:PRO]->(pro_path)", "(route)-[:OTHER]->(fallback)"]
 *
 * data = {case: label, value: params.data if given, else params.value}
 */
import type { Component } from "../components/types";
import { BASE_RELATIONS } from "../workflow/schema";
import { ConditionError, evaluateCondition, isConditionObject, looseEqual } from "./conditions";

export const DEFAULT_CASE = "DEFAULT";

function labels(params: Record<string, unknown>): string[] {
  const cases = params.cases && typeof params.cases === "object" && !Array.isArray(params.cases) ? Object.keys(params.cases) : [];
  const fallback = typeof params.default === "string" ? params.default : DEFAULT_CASE;
  return [...cases, ...(cases.includes(fallback) ? [] : [fallback])];
}

export const switchComponent: Component = {
  name: "switch",
  kind: "builtin",
  selfLimited: true, // no I/O, little work: no time-limit race (node-runner.ts)
  contract: {
    name: "switch",
    version: "1.0.0",
    description: "Route by value: emits the label of the first matching case, or the default label",
    category: "logic",
    input_schema: { type: "object", required: ["value", "cases"], properties: { value: {}, cases: { type: "object" }, default: { type: "string" }, data: {} } },
  },
  branches: labels,
  async run(params) {
    const invalid = (message: string, where = "cases") => ({ success: false as const, error: { code: "invalid_condition", message: `${where}: ${message}`, details: { where } } });
    const cases = params.cases;
    if (!cases || typeof cases !== "object" || Array.isArray(cases) || Object.keys(cases).length === 0) {
      return invalid('switch needs "cases": a map from branch label to the value (or condition) that selects it');
    }
    if (params.default !== undefined && typeof params.default !== "string") return invalid("must be a branch label (text)", "default");
    for (const label of labels(params)) {
      if ((BASE_RELATIONS as readonly string[]).includes(label)) return invalid(`"${label}" is a relation of every node; pick another case label`);
    }
    try {
      const value = params.value;
      let chosen: string | undefined;
      for (const [label, expected] of Object.entries(cases)) {
        const hit = isConditionObject(expected)
          ? evaluateCondition(expected, { where: `cases.${label}`, subject: { value } })
          : looseEqual(value, expected);
        if (hit) {
          chosen = label;
          break;
        }
      }
      const label = chosen ?? (typeof params.default === "string" ? params.default : DEFAULT_CASE);
      return { success: true, data: { case: label, value: "data" in params ? params.data : (value ?? null) }, branch: label };
    } catch (error) {
      if (error instanceof ConditionError) return { success: false, error: { code: "invalid_condition", message: error.message, details: { where: error.where } } };
      throw error;
    }
  },
};
