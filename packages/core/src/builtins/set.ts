/**
 * `set`: builds a value from templates, with no sandbox — the "shape this data" step that
 * needs no code. Templates resolve inside `value` as everywhere (a value that is exactly one
 * template keeps its type; inside text it is stringified), and the result is the node's data.
 *
 *   greeting:
 *     component: set
 *     value: "Hello {{transform.data.name}}, your score is {{compute.data.score}}"
 *
 * data = value (null when left out)
 */
import type { Component } from "../components/types";

export const setComponent: Component = {
  name: "set",
  kind: "builtin",
  contract: {
    name: "set",
    version: "1.0.0",
    description: "Build a value (object, text, list) from templates, without a sandbox",
    category: "transform",
    input_schema: { type: "object", properties: { value: {} } },
  },
  async run(params) {
    return { success: true, data: params.value ?? null };
  },
};
