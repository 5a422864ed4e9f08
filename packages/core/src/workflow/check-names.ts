/**
 * Node names: every name in `flow` has a `config` entry (except `input`), every entry is
 * used, reserved names stay reserved, and a near-miss is reported as a typo with the fix.
 */
import type { WorkflowIssue } from "../errors";
import { suggest } from "./suggest";
import type { LocatedEdge } from "./read-flow";
import { NODE_NAME } from "./schema";
import type { SourceLocator } from "./source-locator";
import type { WorkflowView } from "./workflow-view";

export interface NameCheck {
  issues: WorkflowIssue[];
  /** typo in flow → the config name it most likely means (lets graph checks avoid follow-on noise) */
  corrections: Map<string, string>;
}

/**
 * `constructor` and `__proto__` fit the node-name pattern but are members of every JavaScript
 * object; node names key the run state and records, so they are reserved (data keys are not).
 */
function isObjectMember(name: string): boolean {
  return name in Object.prototype;
}

function objectMemberIssue(name: string, at: { line?: number; column?: number }): WorkflowIssue {
  return { code: "reserved_name", node: name, message: `"${name}" is reserved (a member of every JavaScript object) and cannot name a node`, hint: `rename the node in flow and config, e.g. ${name.replace(/^_+|_+$/g, "")}_node`, ...at };
}

export function checkNames(edges: readonly LocatedEdge[], view: WorkflowView, locate: SourceLocator): NameCheck {
  const issues: WorkflowIssue[] = [];
  const corrections = new Map<string, string>();
  const configured = [...view.nodes.keys()];

  for (const name of configured) {
    const at = locate.key(["config", name]);
    if (name === "input") {
      issues.push({ code: "reserved_name", node: name, message: "input is the trigger payload, not a configured node: it cannot have a config entry", hint: "remove config.input; read the payload in other nodes with {{input}} or {{input.field}}", ...at });
    } else if (name === "credential") {
      issues.push({ code: "reserved_name", node: name, message: '"credential" is reserved for {{credential.name}} templates and cannot name a node', hint: "rename the node, e.g. load_credential", ...at });
    } else if (isObjectMember(name)) {
      issues.push(objectMemberIssue(name, at));
    } else if (!NODE_NAME.test(name)) {
      issues.push({ code: "invalid_node_name", node: name, message: `node name "${name}" is not valid`, hint: `use lowercase letters, digits and _, starting with a letter or _, e.g. ${suggestName(name)}`, ...at });
    }
  }

  const candidates = ["input", ...configured.filter((n) => n !== "input" && n !== "credential")];
  const used = new Set<string>();
  for (const name of firstMentions(edges).keys()) used.add(name);
  for (const [name, at] of firstMentions(edges)) {
    if (name === "input" || view.nodes.has(name)) continue;
    if (isObjectMember(name)) {
      issues.push(objectMemberIssue(name, at));
      continue;
    }
    if (name === "credential") {
      issues.push({ code: "reserved_name", node: name, message: '"credential" is reserved for {{credential.name}} templates and cannot name a node', hint: "rename the node in flow and config", ...at });
      continue;
    }
    const suggestion = suggest(name, candidates);
    if (suggestion) {
      corrections.set(name, suggestion);
      issues.push({ code: "unknown_node", node: name, message: `unknown node "${name}" in flow — did you mean ${suggestion}?`, hint: `rename "${name}" to "${suggestion}", or add a config entry for ${name}`, ...at });
    } else {
      issues.push({ code: "node_without_config", node: name, message: `node "${name}" is used in flow but has no config entry`, hint: `add it under config, e.g.\nconfig:\n  ${name}:\n    component: code`, ...at });
    }
  }

  const meant = new Set(corrections.values());
  for (const name of configured) {
    if (name === "input" || used.has(name) || meant.has(name)) continue;
    issues.push({ code: "config_without_flow", node: name, message: `node "${name}" is configured but never used in flow`, hint: `connect it, e.g. - "input >> ON_SUCCESS >> ${name}", or remove config.${name}`, ...locate.key(["config", name]) });
  }
  return { issues, corrections };
}

/** Each node name in flow with the position of its first mention. */
export function firstMentions(edges: readonly LocatedEdge[]): Map<string, LocatedEdge["fromAt"]> {
  const seen = new Map<string, LocatedEdge["fromAt"]>();
  for (const edge of edges) {
    if (!seen.has(edge.from)) seen.set(edge.from, edge.fromAt);
    if (!seen.has(edge.to)) seen.set(edge.to, edge.toAt);
  }
  return seen;
}

function suggestName(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^([0-9])/, "_$1");
  return cleaned || "my_node";
}
