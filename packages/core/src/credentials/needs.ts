/**
 * Which credentials a node, and a whole workflow, needs: `{{credential.x}}` templates
 * anywhere in the node's parameters, and its component's `credentials_required` (each
 * `key` injected into the `inject_as` field). A node that sets the `inject_as` field itself
 * overrides the injection, so that contract credential is not needed for it.
 */
import type { Component, ComponentResolver } from "../components/types";
import { recipeCredentialChoices, type RecipeComponent } from "../recipes/component";
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
  via: "template" | "contract" | "recipe";
  /** the component's field, for `via: "contract"` */
  inject_as?: string;
  description?: string;
  /** `via: "recipe"` with a one_of auth: the alternative sets of stored names, any one set is enough (`name` is the first) */
  one_of?: string[][];
}

/**
 * Every credential a workflow needs, one entry per (node, name, via). Components the resolver
 * does not know contribute only their templates (compile reports the unknown component).
 */
export async function credentialRefs(workflow: CompiledWorkflow | WorkflowFile, resolver: ComponentResolver): Promise<CredentialRef[]> {
  const nodes: Record<string, NodeConfig> = "nodes" in workflow ? workflow.nodes : workflow.config;
  const components = new Map<string, Promise<Component | undefined>>();
  const refs: CredentialRef[] = [];
  for (const [node, config] of Object.entries(nodes)) {
    const name = config.component;
    if (!components.has(name)) components.set(name, resolver.resolve(name).catch(() => undefined));
    const component = await components.get(name);
    const needs = nodeCredentialNeeds(nodeParams(config), component?.contract);
    refs.push(...recipeRefs(node, config, component));
    for (const credential of needs.templates) refs.push({ name: credential, node, via: "template" });
    for (const { key, inject_as, description } of needs.injections) {
      refs.push({ name: key, node, via: "contract", inject_as, ...(description ? { description } : {}) });
    }
  }
  return refs;
}

/** A recipe node's credentials, through its `credentials:` mapping. */
function recipeRefs(node: string, config: NodeConfig, component: Component | undefined): CredentialRef[] {
  if (component?.kind !== "recipe" || !("recipe" in component)) return [];
  const recipe = (component as RecipeComponent).recipe;
  const stored = (key: string) => config.credentials?.[key] ?? key;
  const described = new Map(recipe.credentials.map((c) => [c.key, c.description]));
  const choices = recipeCredentialChoices(recipe);
  if (choices.length > 1) {
    const sets = choices.map((set) => set.map(stored));
    return [{ name: sets[0][0], node, via: "recipe", one_of: sets }];
  }
  return (choices[0] ?? []).map((key) => ({ name: stored(key), node, via: "recipe" as const, ...(described.get(key) ? { description: described.get(key) } : {}) }));
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
