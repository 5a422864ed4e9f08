/**
 * Helpers for tests that need a CompiledWorkflow without the parser: edges from triplet
 * strings ("a >> ON_SUCCESS >> b") and components from plain functions.
 */
import type { Component, ComponentResolver, NodeContext, NodeOutcome } from "../components/types";
import type { CompiledWorkflow, Edge, NodeConfig } from "../workflow/schema";

export function edges(...triplets: string[]): Edge[] {
  return triplets.map((t) => {
    const [from, relation, to] = t.split(">>").map((s) => s.trim());
    if (!from || !relation || !to) throw new Error(`bad triplet "${t}"`);
    return { from, relation, to };
  });
}

export function workflow(flow: string[], nodes: Record<string, NodeConfig>, extra: Partial<CompiledWorkflow> = {}): CompiledWorkflow {
  return { name: "test", triggers: [], nodes, edges: edges(...flow), egress: [], hash: "", source: "", ...extra };
}

export function component(
  name: string,
  run: (params: Record<string, unknown>, ctx: NodeContext) => Promise<NodeOutcome> | NodeOutcome,
  extra: Partial<Component> = {},
): Component {
  return { name, kind: "builtin", run: async (params, ctx) => run(params, ctx), ...extra };
}

export function resolverOf(...components: Component[]): ComponentResolver {
  const byName = new Map(components.map((c) => [c.name, c]));
  return { resolve: async (name) => byName.get(name), list: async () => [...byName.keys()] };
}
