/**
 * The waiting builtins' literal durations (builtins/wait.ts), judged when the workflow is
 * validated: `for` / `timeout` must be durations of at most 365 days, `until` an ISO time at
 * most 365 days ahead. A templated value is the run's to judge.
 */
import type { WorkflowIssue } from "../errors";
import { WAIT_COMPONENT, WAIT_FOR_EVENT_COMPONENT } from "../builtins/wait";
import { DURATION_HINT, MAX_WAIT_MS, durationProblem } from "../run/duration";
import type { SourceLocator } from "./source-locator";
import type { WorkflowView } from "./workflow-view";

export function checkWaits(view: WorkflowView, locate: SourceLocator, now: number = Date.now()): WorkflowIssue[] {
  const issues: WorkflowIssue[] = [];
  for (const [node, config] of view.nodes) {
    if (!config) continue;
    const keys = config.component === WAIT_COMPONENT ? ["for"] : config.component === WAIT_FOR_EVENT_COMPONENT ? ["timeout"] : [];
    for (const key of keys) {
      const value = config[key];
      if (value === undefined || (typeof value === "string" && value.includes("{{"))) continue;
      const problem = durationProblem(value, key);
      if (problem) issues.push({ code: "invalid_wait", node, message: `node ${node}: ${problem}`, hint: DURATION_HINT, ...locate.at(["config", node, key]) });
    }
    const until = config.component === WAIT_COMPONENT ? config.until : undefined;
    if (typeof until === "string" && !until.includes("{{")) {
      const at = Date.parse(until);
      const problem = Number.isNaN(at) ? `until: ${JSON.stringify(until.slice(0, 40))} is not an ISO time` : at - now > MAX_WAIT_MS ? "until is more than 365 days away" : undefined;
      if (problem) issues.push({ code: "invalid_wait", node, message: `node ${node}: ${problem}`, hint: "write until as an ISO 8601 time with a zone, at most 365 days ahead, e.g. 2026-12-24T09:00:00Z", ...locate.at(["config", node, "until"]) });
    }
  }
  return issues;
}
