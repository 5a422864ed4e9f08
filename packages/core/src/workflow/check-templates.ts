/**
 * Templates in node parameters: well-formed, rooted at `input`, `credential` or a node,
 * and reading only nodes upstream of this one (anything else has not run when it starts).
 */
import type { WorkflowIssue } from "../errors";
import { suggest } from "./suggest";
import { ancestors } from "../graph/ancestors";
import { findTemplates, TemplateSyntaxError, type TemplateRef } from "../templates/index";
import type { LocatedEdge } from "./read-flow";
import { NODE_META_KEYS } from "./schema";
import type { SourceLocator } from "./source-locator";
import type { WorkflowView } from "./workflow-view";

const TEMPLATE_HINT = "templates read {{input.field}}, {{node.data.field}}, {{node.error.message}} or {{credential.name}}";

export function checkTemplates(edges: readonly LocatedEdge[], view: WorkflowView, locate: SourceLocator): WorkflowIssue[] {
  const issues: WorkflowIssue[] = [];
  const names = [...view.nodes.keys()].filter((n) => n !== "input");
  for (const [node, config] of view.nodes) {
    if (!config || node === "input") continue;
    let upstream: Set<string> | undefined;
    for (const [key, value] of Object.entries(config)) {
      if (NODE_META_KEYS.has(key)) continue;
      forEachString(value, ["config", node, key], (text, path) => {
        let refs: readonly TemplateRef[];
        try {
          refs = findTemplates(text);
        } catch (error) {
          if (!(error instanceof TemplateSyntaxError)) throw error;
          const offset = Math.max(0, text.indexOf(`{{`));
          issues.push({ code: "template_syntax", node, message: `node ${node}: ${error.message}`, hint: TEMPLATE_HINT, ...locate.inString(path, offset) });
          return;
        }
        for (const ref of refs) {
          const at = locate.inString(path, ref.start);
          const template = `{{${ref.expression}}}`;
          if (ref.root === "input") continue;
          if (ref.root === "credential") {
            if (ref.path.length !== 1 || typeof ref.path[0] !== "string") {
              issues.push({ code: "template_syntax", node, message: `node ${node}: "${template}" is not a credential reference`, hint: "write a credential as {{credential.name}}", ...at });
            }
            continue;
          }
          if (!view.nodes.has(ref.root)) {
            const suggestion = suggest(ref.root, ["input", "credential", ...names]);
            issues.push({
              code: "template_unknown_node",
              node,
              message: `node ${node}: "${template}" reads "${ref.root}", which is not input, credential or a node${suggestion ? ` — did you mean ${suggestion}?` : ""}`,
              hint: suggestion ? `write {{${suggestion}${ref.expression.slice(ref.root.length)}}}` : TEMPLATE_HINT,
              ...at,
            });
            continue;
          }
          upstream ??= ancestors(edges, node);
          if (!upstream.has(ref.root)) {
            issues.push({
              code: "template_not_upstream",
              node,
              message: ref.root === node
                ? `node ${node}: "${template}" reads the node's own output, which does not exist while it runs`
                : `node ${node}: "${template}" reads node ${ref.root}, which is not upstream of ${node}, so it may not have run`,
              hint: ref.root === node
                ? "read input or an upstream node instead"
                : `add a path from ${ref.root} to ${node} in flow, e.g. - "${ref.root} >> ON_SUCCESS >> ${node}"`,
              ...at,
            });
          }
        }
      });
    }
  }
  return issues;
}

/** Calls `visit` for every string inside a parameter value, with its path in the file. */
function forEachString(value: unknown, path: (string | number)[], visit: (text: string, path: (string | number)[]) => void): void {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => forEachString(item, [...path, i], visit));
  else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) forEachString(item, [...path, key], visit);
}
