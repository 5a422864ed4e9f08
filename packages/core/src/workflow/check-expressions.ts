/**
 * JSONata expressions of `set` nodes, parsed when the workflow is validated or pushed: an
 * expression that does not parse is an `invalid_expression` issue naming the node, JSONata's
 * message and position, never a run that fails later. An expression with a template in it is
 * text of unknown content until the run, and is left to the run.
 */
import type { WorkflowIssue } from "../errors";
import { expressionProblem } from "../builtins/set";
import type { SourceLocator } from "./source-locator";
import type { NodeComponent, WorkflowView } from "./workflow-view";

const HINT = "write JSONata, e.g. expression: '$sum(items.(price * qty))' or '{\"name\": $uppercase(name)}'; strings in it are in \"double\" or 'single' quotes";

export function checkExpressions(view: WorkflowView, components: Map<string, NodeComponent>, locate: SourceLocator): WorkflowIssue[] {
  const issues: WorkflowIssue[] = [];
  for (const [node, { component }] of components) {
    if (component?.kind !== "builtin" || component.name !== "set") continue;
    const config = view.nodes.get(node);
    if (!config || config.expression === undefined) continue;
    const at = locate.at(["config", node, "expression"]);
    if (config.value !== undefined) {
      issues.push({ code: "invalid_expression", node, message: `node ${node}: set takes value or expression, not both`, hint: "keep one: value (templates) or expression (JSONata)", ...at });
      continue;
    }
    // not text: check-parameters reports it against the contract
    if (typeof config.expression !== "string" || config.expression.includes("{{")) continue;
    const problem = expressionProblem(config.expression);
    if (problem) issues.push({ code: "invalid_expression", node, message: `node ${node}: the expression does not parse: ${problem}`, hint: HINT, ...at });
  }
  return issues;
}
