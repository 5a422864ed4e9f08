import { ownValue, setOwn } from "../json/own";
import { findTemplates, formatPath, type PathSegment, type TemplateRef } from "./parse";

/** What templates can read while a run is under way. */
export interface TemplateScope {
  /** the trigger payload */
  input: unknown;
  /** settled upstream nodes: `{{node.data...}}`, `{{node.error...}}`, `{{node.status}}` */
  nodes: Record<string, { status: string; data?: unknown; error?: unknown }>;
  /** decrypted credentials needed by this node (issue 4); absent means none were loaded */
  credential?: Record<string, string>;
}

/** A template that cannot be resolved: names the path and what was missing. */
export class TemplateResolutionError extends Error {
  constructor(message: string, readonly expression: string) {
    super(message);
    this.name = "TemplateResolutionError";
  }
}

/**
 * Resolve every template inside `value`. A string that is exactly one template keeps the
 * JSON type of what it points at; templates inside text are stringified (objects as JSON).
 * A path that does not exist throws TemplateResolutionError — never a silent empty string.
 */
export function resolveTemplates(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === "string") return resolveString(value, scope);
  if (Array.isArray(value)) return value.map((item) => resolveTemplates(item, scope));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) setOwn(out, key, resolveTemplates(item, scope));
    return out;
  }
  return value;
}

function resolveString(text: string, scope: TemplateScope): unknown {
  if (!text.includes("{{")) return text;
  const refs = findTemplates(text);
  if (refs.length === 0) return text;
  if (refs.length === 1 && refs[0].start === 0 && refs[0].end === text.length) {
    return lookup(refs[0].root, refs[0].path, scope, refs[0].expression);
  }
  let out = "";
  let cursor = 0;
  for (const ref of refs) {
    out += text.slice(cursor, ref.start) + templateText(lookup(ref.root, ref.path, scope, ref.expression));
    cursor = ref.end;
  }
  return out + text.slice(cursor);
}

/** The value one template points at (a missing path throws TemplateResolutionError). */
export function lookupTemplate(ref: Pick<TemplateRef, "root" | "path" | "expression">, scope: TemplateScope): unknown {
  return lookup(ref.root, ref.path, scope, ref.expression);
}

/** How a value placed inside text reads: strings as they are, anything else as JSON, undefined as "". */
export function templateText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  return JSON.stringify(value);
}

export function lookup(root: string, path: readonly PathSegment[], scope: TemplateScope, expression: string): unknown {
  let current: unknown;
  if (root === "input") current = scope.input;
  else if (root === "credential") {
    const name = path[0];
    if (path.length !== 1 || typeof name !== "string") {
      throw new TemplateResolutionError(`"{{${expression}}}": write a credential as {{credential.name}}`, expression);
    }
    const secret = scope.credential ? ownValue(scope.credential, name) : undefined;
    if (typeof secret !== "string") throw new TemplateResolutionError(`credential "${name}" was not loaded`, expression);
    return secret;
  } else {
    const node = ownValue(scope.nodes, root) as TemplateScope["nodes"][string] | undefined;
    if (!node) throw new TemplateResolutionError(`"{{${expression}}}" reads node "${root}", which has not run before this node`, expression);
    current = node;
  }
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    // the messages are built only on the way to an error (lookups run for every node of every run)
    const here = () => formatPath(root, path.slice(0, i + 1));
    const parent = () => formatPath(root, path.slice(0, i));
    if (current === null || current === undefined) {
      throw new TemplateResolutionError(`"{{${expression}}}": ${parent()} is ${current === null ? "null" : "missing"}, so ${here()} does not exist`, expression);
    }
    if (typeof segment === "number") {
      if (!Array.isArray(current)) throw new TemplateResolutionError(`"{{${expression}}}": ${parent()} is not a list, so ${here()} does not exist`, expression);
      if (segment >= current.length) throw new TemplateResolutionError(`"{{${expression}}}": ${here()} is out of range (the list has ${current.length} items)`, expression);
      current = current[segment];
    } else {
      if (typeof current !== "object" || !Object.prototype.hasOwnProperty.call(current, segment)) {
        throw new TemplateResolutionError(`"{{${expression}}}": ${here()} does not exist`, expression);
      }
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}
