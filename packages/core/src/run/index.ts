/** The scheduler's parts, for adapters that drive or store runs step by step. */
export { planRun, INPUT_NODE, type RunPlan, type PlanEdge } from "./plan";
export { createRunState, isSettled, type RunState, type NodeState, type NodeRunStatus, type SettledStatus, type TraceError, type NewRunState } from "./state";
export { step, edgeFires, firedSources, type FinishedNode, type RunEvent, type RunEffect, type StepResult } from "./step";
export { runResult } from "./result";
export { runResponse, responseBody, RESPOND_COMPONENT } from "./respond";
export { DEFAULT_LIMITS, DEFAULT_CPU_MS, MAX_CPU_MS, resolveLimits, workBudgetMs, backoffDelay, jsonBytesOver } from "./limits";
export { createSyncGate, syncGate, LONG_CALL_MS, type SyncGate } from "./sync-gate";
export { runNode, isRetryable, type SecretSource, type NodeRunRequest } from "./node-runner";
export { redactSecrets, type RedactFn } from "./redact";
export { traceIdFrom, newTraceId, newSpanId, traceparentOf } from "./trace";
export { parseDuration, durationProblem, MAX_WAIT_MS, DURATION_HINT } from "./duration";
export type { NodeRunResult } from "./node-runner";
