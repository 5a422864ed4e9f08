/**
 * The waiting builtins (issue 13 item 5). Both only describe the wait; the run's driver
 * performs it (run/execute.ts): on a Workflows instance as `step.sleep` / `step.waitForEvent`,
 * so a run can wait for days and survive restarts. A run that is not durable (a sync trigger,
 * a rerun in the request) cannot wait: the node fails with `wait_not_durable`.
 *
 *   pause:    {component: wait, for: "10m"}                        # or until: "2026-12-24T09:00:00Z"
 *   approval: {component: wait_for_event, event: approval, timeout: "2d"}
 *
 * `wait` data = {until} (ISO); `wait_for_event` data = the JSON body posted to
 * `POST /runs/:id/events/:name`; no event before the timeout → failure `event_timeout`.
 */
import type { Component, NodeOutcome } from "../components/types";
import { durationProblem, DURATION_HINT, MAX_WAIT_MS, parseDuration } from "../run/duration";

export const WAIT_COMPONENT = "wait";
export const WAIT_FOR_EVENT_COMPONENT = "wait_for_event";
/** event names: what `POST /runs/:id/events/:name` accepts */
export const EVENT_NAME = /^[a-z0-9_]{1,64}$/;
export const DEFAULT_EVENT_TIMEOUT = "24h";

const invalid = (message: string, hint = DURATION_HINT): NodeOutcome => ({ success: false, error: { code: "invalid_input", message, details: { hint } } });

export const waitComponent: Component = {
  name: WAIT_COMPONENT,
  kind: "builtin",
  contract: {
    name: WAIT_COMPONENT,
    version: "1.0.0",
    description: 'Wait for a while (`for: "10m"`) or until a time (`until: <ISO time>`); a durable run sleeps, survives restarts',
    category: "logic",
    input_schema: {
      type: "object",
      properties: { for: { type: "string", description: 'a duration: "30s", "10m", "2d" (at most 365 days)' }, until: { type: "string", description: "an ISO time" } },
    },
  },
  async run(params, ctx) {
    const hasFor = params.for !== undefined && params.for !== null;
    const hasUntil = params.until !== undefined && params.until !== null;
    if (hasFor === hasUntil) return invalid(`node "${ctx.node}": give exactly one of \`for\` (a duration) or \`until\` (an ISO time)`);
    const now = ctx.now?.() ?? Date.now();
    let ms: number;
    if (hasFor) {
      const problem = durationProblem(params.for, "for");
      if (problem) return invalid(`node "${ctx.node}": ${problem}`);
      ms = parseDuration(params.for as string)!;
    } else {
      const at = typeof params.until === "string" ? Date.parse(params.until) : NaN;
      if (Number.isNaN(at)) return invalid(`node "${ctx.node}": until must be an ISO time such as "2026-12-24T09:00:00Z"`, "write until as an ISO 8601 time with a zone, e.g. 2026-12-24T09:00:00Z");
      ms = Math.max(0, at - now);
      if (ms > MAX_WAIT_MS) return invalid(`node "${ctx.node}": until is more than 365 days away`);
    }
    return { success: true, data: { until: new Date(now + ms).toISOString() }, wait: { kind: "time", ms } };
  },
};

export const waitForEventComponent: Component = {
  name: WAIT_FOR_EVENT_COMPONENT,
  kind: "builtin",
  contract: {
    name: WAIT_FOR_EVENT_COMPONENT,
    version: "1.0.0",
    description: "Wait for an event posted to POST /runs/:id/events/:name; its JSON body is the node's data",
    category: "logic",
    input_schema: {
      type: "object",
      required: ["event"],
      properties: {
        event: { type: "string", pattern: EVENT_NAME.source, description: "the event name (lowercase letters, digits, _)" },
        timeout: { type: "string", description: `how long to wait before failing with event_timeout (default ${DEFAULT_EVENT_TIMEOUT}, at most 365 days)` },
      },
    },
  },
  async run(params, ctx) {
    const event = params.event;
    if (typeof event !== "string" || !EVENT_NAME.test(event)) {
      return invalid(`node "${ctx.node}": event must be a name of lowercase letters, digits and _ (at most 64)`, "e.g. event: approval");
    }
    const timeout = params.timeout ?? DEFAULT_EVENT_TIMEOUT;
    const problem = durationProblem(timeout, "timeout");
    if (problem) return invalid(`node "${ctx.node}": ${problem}`);
    const ms = parseDuration(timeout as string)!;
    const now = ctx.now?.() ?? Date.now();
    return { success: true, data: { event, until: new Date(now + ms).toISOString() }, wait: { kind: "event", event, timeout_ms: ms } };
  },
};
