/**
 * Which credentials a node, and a whole workflow, needs: `{{credential.x}}` templates
 * anywhere in the node's parameters, and its component's `credentials_required` (each
 * `key` injected into the `inject_as` field). A node that sets the `inject_as` field itself
 * overrides the injection, so that contract credential is not needed for it.
 */
import type { ComponentResolver } from "../components/types";
import type { Contract } from "../components/contract";
import { collectTemplates, type TemplateRef } from "../templates/index";
import { nodeParams, type CompiledWorkflow, type NodeConfig, type WorkflowFile } from "../workflow/schema";

export interface CredentialInjection {
  /** credential name */
  key: string;
  /** the input field that receives the value (a top-level parameter, or a dotted path) */
  inject_as: string;
  description?: string;
}

export interface NodeCredentialNeeds {
  /** names read by `{{credential.name}}`, in order of first use */
  templates: string[];
  /** contract injections that apply to this node */
  injections: CredentialInjection[];
}

/** What one node needs, from its parameters and its component's contract. */
export function nodeCredentialNeeds(params: Record<string, unknown>, contract?: Pick<Contract, "credentials_required">): NodeCredentialNeeds {
  const templates = [...new Set(credentialTemplates(params))];
  const injections = (contract?.credentials_required ?? []).filter((c) => readPath(params, c.inject_as) === undefined);
  return { templates, injections };
}

/** Every name the node needs, templates first, without repeats. */
export function neededNames(needs: NodeCredentialNeeds): string[] {
  return [...new Set([...needs.templates, ...needs.injections.map((i) => i.key)])];
}

export interface CredentialRef {
  name: string;
  node: string;
  via: "template" | "contract";
  /** the component's field, for `via: "contract"` */
  inject_as?: string;
  description?: string;
}

/**
 * Every credential a workflow needs, one entry per (node, name, via). Components the resolver
 * does not know contribute only their templates (compile reports the unknown component).
 */
export async function credentialRefs(workflow: CompiledWorkflow | WorkflowFile, resolver: ComponentResolver): Promise<CredentialRef[]> {
  const nodes: Record<string, NodeConfig> = "nodes" in workflow ? workflow.nodes : workflow.config;
  const contracts = new Map<string, Promise<Contract | undefined>>();
  const refs: CredentialRef[] = [];
  for (const [node, config] of Object.entries(nodes)) {
    const name = config.component;
    if (!contracts.has(name)) contracts.set(name, resolver.resolve(name).then((c) => c?.contract, () => undefined));
    const needs = nodeCredentialNeeds(nodeParams(config), await contracts.get(name));
    for (const credential of needs.templates) refs.push({ name: credential, node, via: "template" });
    for (const { key, inject_as, description } of needs.injections) {
      refs.push({ name: key, node, via: "contract", inject_as, ...(description ? { description } : {}) });
    }
  }
  return refs;
}

/** The distinct names in a list of refs, sorted. */
export function credentialNames(refs: CredentialRef[]): string[] {
  return [...new Set(refs.map((r) => r.name))].sort();
}

function credentialTemplates(params: Record<string, unknown>): string[] {
  const names: string[] = [];
  // per string, so one malformed template (reported by compile) does not hide the others
  const visit = (value: unknown) => {
    if (typeof value === "string") {
      let refs: TemplateRef[];
      try {
        refs = collectTemplates(value);
      } catch {
        return;
      }
      for (const ref of refs) if (ref.root === "credential" && ref.path.length === 1 && typeof ref.path[0] === "string") names.push(ref.path[0]);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object") Object.values(value).forEach(visit);
  };
  visit(params);
  return names;
}

function readPath(params: Record<string, unknown>, path: string): unknown {
  let current: unknown = params;
  for (const key of path.split(".")) {
    if (!current || typeof current !== "object" || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
