/**
 * `merge`: combines the outputs of the upstream nodes whose edge into it fired (ctx.upstream,
 * in the order the flow lists those edges). Failed upstreams (reached via ON_FAILURE/ALWAYS)
 * contribute no output; read their errors with templates ({{node.error.message}}).
 *
 * mode: object (default) → {node: data, ...}
 *       array            → [data, ...]
 *       concat           → arrays flattened one level, other values appended
 *       first            → the first upstream's data (null when none succeeded)
 */
import type { Component } from "../components/types";

const MODES = ["object", "array", "concat", "first"] as const;

export const mergeComponent: Component = {
  name: "merge",
  kind: "builtin",
  selfLimited: true, // no I/O, little work: no time-limit race (node-runner.ts)
  contract: {
    name: "merge",
    version: "1.0.0",
    description: "Combine the outputs of the branches that reached this node",
    category: "logic",
    input_schema: { type: "object", properties: { mode: { enum: [...MODES] } } },
  },
  async run(params, ctx) {
    const mode = params.mode ?? "object";
    if (typeof mode !== "string" || !(MODES as readonly string[]).includes(mode)) {
      return { success: false, error: { code: "invalid_input", message: `merge mode ${JSON.stringify(mode)} is not known; use one of ${MODES.join(", ")}` } };
    }
    const outputs = Object.entries(ctx.upstream).filter(([, u]) => u.status === "succeeded").map(([name, u]) => [name, u.data ?? null] as const);
    switch (mode) {
      case "object": return { success: true, data: Object.fromEntries(outputs) };
      case "array": return { success: true, data: outputs.map(([, data]) => data) };
      case "concat": return { success: true, data: outputs.flatMap(([, data]) => (Array.isArray(data) ? data : [data])) };
      default: return { success: true, data: outputs[0]?.[1] ?? null };
    }
  },
};
