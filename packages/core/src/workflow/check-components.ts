/**
 * Components: every node names a component the resolver knows, and sets every input its
 * contract requires (`input_schema.required`), except fields a credential fills in at run time.
 */
import type { ComponentResolver } from "../components/types";
import type { WorkflowIssue } from "../errors";
import { hasOwn } from "../json/own";
import { suggest } from "./suggest";
import { nodeParams, type NodeConfig } from "./schema";
import type { SourceLocator } from "./source-locator";
import type { NodeComponent, WorkflowView } from "./workflow-view";

/** Resolve each node's component once per distinct name. Nodes without a string `component` are left out (the schema reports them). */
export async function resolveComponents(view: WorkflowView, resolver: ComponentResolver): Promise<Map<string, NodeComponent>> {
  const byName = new Map<string, Promise<NodeComponent["component"]>>();
  const result = new Map<string, NodeComponent>();
  for (const [node, config] of view.nodes) {
    const name = config?.component;
    // `input` cannot be configured (reported as reserved_name); checking its component would only add noise.
    if (node === "input" || typeof name !== "string" || name === "") continue;
    if (!byName.has(name)) byName.set(name, resolver.resolve(name));
    result.set(node, { name, component: await byName.get(name) });
  }
  return result;
}

export async function checkComponents(
  view: WorkflowView,
  components: Map<string, NodeComponent>,
  resolver: ComponentResolver,
  locate: SourceLocator,
): Promise<WorkflowIssue[]> {
  const issues: WorkflowIssue[] = [];
  let available: string[] | undefined;
  for (const [node, { name, component }] of components) {
    if (!component) {
      available ??= await resolver.list();
      const suggestion = suggest(name, available);
      issues.push({
        code: "unknown_component",
        node,
        message: `node ${node}: unknown component "${name}"${suggestion ? ` — did you mean ${suggestion}?` : ""}`,
        hint: `${suggestion ? `write component: ${suggestion}, or ` : ""}publish it with \`acr parts publish components/${name}\` (or push a recipe: \`acr recipe push recipes/${name}.yaml\`)${available.length ? `; available: ${available.slice(0, 12).join(", ")}${available.length > 12 ? ", ..." : ""}` : ""}`,
        ...locate.at(["config", node, "component"]),
      });
      continue;
    }
    const required = component.contract?.input_schema?.required;
    if (!Array.isArray(required)) continue;
    const params = nodeParams(view.nodes.get(node) as NodeConfig);
    const injected = new Set((component.contract?.credentials_required ?? []).map((c) => c.inject_as));
    for (const key of required) {
      if (typeof key !== "string" || hasOwn(params, key) || injected.has(key)) continue;
      const example = component.contract?.config_example?.[key];
      issues.push({
        code: "missing_input",
        node,
        message: `node ${node}: missing required input "${key}" for component ${name}`,
        hint: `add ${key}: ${example === undefined ? "..." : JSON.stringify(example)} under config.${node}`,
        ...locate.at(["config", node]),
      });
    }
  }
  return issues;
}
