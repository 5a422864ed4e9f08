/**
 * Run a compiled workflow to completion and return its record (the one run shape).
 *
 * The driver around the pure scheduler (step.ts): it performs the step's effects — starts
 * every ready node at once (independent branches run concurrently), reports skipped nodes —
 * and feeds each finished node back as an event until the run ends. Node failures never
 * throw; only a failing hook (the executor's run store) rejects the returned promise.
 */
import type { CompiledWorkflow } from "../workflow/schema";
import type { ComponentResolver, NodeContext, ResolvedLimits } from "../components/types";
import type { RunHooks } from "../ports/run-hooks";
import { systemClock, type Clock } from "../ports/clock";
import type { TemplateScope } from "../templates/index";
import type { RunRecord, NodeTrace } from "./schema";
import { planRun, INPUT_NODE } from "./plan";
import { createRunState, isSettled, type RunState } from "./state";
import { firedSources, step, type RunEffect, type RunEvent } from "./step";
import { runNode, type NodeRunRequest, type SecretSource } from "./node-runner";
import { redactSecrets, type RedactFn } from "./redact";
import { eventLoopTurns } from "./turns";

export interface ExecuteOptions {
  resolver: ComponentResolver;
  input: unknown;
  hooks?: RunHooks;
  /** outbound fetch for http_request and recipes (default: global fetch) */
  fetch?: typeof fetch;
  runId?: string;
  trigger?: string;
  /** wall clock for started_at and durations (default systemClock) */
  clock?: Clock;
  /** decrypts a credential by name (issue 4); undefined → `{{credential.x}}` fails with credential_missing */
  secrets?: SecretSource;
  /** waits between retries (default setTimeout); tests inject a fast one */
  sleep?: (ms: number) => Promise<void>;
  /** scrubs credential values from a node's trace (input, output, error, logs); default redactSecrets */
  redact?: RedactFn;
  /** engine-wide defaults under contract and node limits (default DEFAULT_LIMITS) */
  defaultLimits?: Partial<ResolvedLimits>;
  /** a rerun: the run it reruns (recorded as `rerun_of`) … */
  rerunOf?: string;
  /** … and the nodes it reuses as recorded (they do not run again; see state.ts) */
  seed?: Record<string, NodeTrace>;
}

export async function executeWorkflow(workflow: CompiledWorkflow, options: ExecuteOptions): Promise<RunRecord> {
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const startedMs = now();
  let state = createRunState({
    run_id: options.runId ?? crypto.randomUUID(),
    workflow: workflow.name,
    workflow_hash: workflow.hash || undefined,
    trigger: options.trigger,
    started_at: new Date(startedMs).toISOString(),
    input: options.input,
    plan: planRun(workflow),
    rerun_of: options.rerunOf,
  }, options.seed);
  await options.hooks?.runStarted?.(toRunRecord(state));

  const events = eventQueue();
  const turns = eventLoopTurns();
  let inFlight = 0;
  const apply = async (event: RunEvent) => {
    const result = step(state, event);
    state = result.state;
    if (event.type === "node_finished") await options.hooks?.nodeFinished?.(state.run_id, toNodeTrace(event.node, state));
    await perform(result.effects);
  };
  const perform = async (effects: RunEffect[]) => {
    for (const effect of effects) {
      if (effect.type === "run_node") {
        inFlight++;
        const node = effect.node;
        const request: NodeRunRequest = {
          runId: state.run_id,
          node,
          config: workflow.nodes[node],
          resolver: options.resolver,
          scope: templateScope(state),
          upstream: upstreamOf(state, node),
          workflowEgress: workflow.egress ?? [],
          workflowDefaults: workflow.ai ? { ai: workflow.ai } : undefined,
          fetch: options.fetch ?? ((...args) => fetch(...args)),
          secrets: options.secrets,
          sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
          now,
          redact: options.redact ?? redactSecrets,
          defaultLimits: options.defaultLimits,
        };
        // other requests get their turn between nodes (see turns.ts)
        turns.next().then(() => runNode(request)).then(
          (outcome) => events.push({ type: "node_finished", node, outcome, elapsed_ms: now() - startedMs }),
          (error: unknown) => events.push({
            type: "node_finished",
            node,
            elapsed_ms: now() - startedMs,
            outcome: { status: "failed", input: null, output: null, attempts: 0, duration_ms: 0, error: { code: "internal_error", message: `arcrun failed to run node "${node}": ${(error as Error)?.message ?? String(error)}` } },
          }),
        );
      } else if (effect.type === "node_skipped") {
        await options.hooks?.nodeFinished?.(state.run_id, toNodeTrace(effect.node, state));
      }
    }
  };

  await apply({ type: "start" });
  while (inFlight > 0) {
    const event = await events.next();
    inFlight--;
    await apply(event);
  }
  if (state.status === "running") {
    // Only reachable if the plan had nothing to decide (it always has, once start ran); kept as a guard.
    throw new Error(`scheduler stalled in workflow "${workflow.name}"`);
  }
  state = { ...state, duration_ms: Math.max(state.duration_ms, now() - startedMs) };
  const record = toRunRecord(state);
  await options.hooks?.runFinished?.(record);
  return record;
}

/** What templates can read: the payload and every settled node. */
export function templateScope(state: RunState): Omit<TemplateScope, "credential"> {
  const nodes: TemplateScope["nodes"] = {};
  for (const [name, node] of Object.entries(state.nodes)) {
    if (!isSettled(node.status)) continue;
    nodes[name] = { status: node.status, ...(node.status === "succeeded" ? { data: node.output } : {}), ...(node.error ? { error: node.error } : {}) };
  }
  return { input: state.input, nodes };
}

function upstreamOf(state: RunState, node: string): NodeContext["upstream"] {
  const upstream: NodeContext["upstream"] = {};
  for (const source of firedSources(state, node)) {
    if (source === INPUT_NODE && !(source in state.nodes)) upstream[source] = { status: "succeeded", data: state.input };
    else {
      const s = state.nodes[source];
      upstream[source] = s.status === "succeeded" ? { status: "succeeded", data: s.output } : { status: "failed", error: s.error ?? undefined };
    }
  }
  return upstream;
}

export function toNodeTrace(name: string, state: RunState): NodeTrace {
  const n = state.nodes[name];
  return {
    node: name,
    component: n.component,
    status: n.status === "succeeded" || n.status === "failed" ? n.status : "skipped",
    input: n.input ?? null,
    output: n.output ?? null,
    error: n.error,
    attempts: n.attempts,
    duration_ms: n.duration_ms,
    ...(n.branch !== undefined ? { branch: n.branch } : {}),
    ...(n.logs?.length ? { logs: n.logs } : {}),
  };
}

export function toRunRecord(state: RunState): RunRecord {
  return {
    run_id: state.run_id,
    workflow: state.workflow,
    ...(state.workflow_hash ? { workflow_hash: state.workflow_hash } : {}),
    status: state.status,
    result: state.result ?? null,
    ...(state.error ? { error: state.error } : {}),
    started_at: state.started_at,
    duration_ms: state.duration_ms,
    ...(state.trigger ? { trigger: state.trigger } : {}),
    ...(state.rerun_of ? { rerun_of: state.rerun_of } : {}),
    ...(state.status !== "running" && state.input !== undefined ? { input: state.input } : {}),
    nodes: state.status === "running" ? [] : state.plan.order.map((name) => toNodeTrace(name, state)),
  };
}

/** A minimal async queue: finished nodes arrive in any order; the driver takes them one by one. */
function eventQueue() {
  const items: RunEvent[] = [];
  let waiting: ((event: RunEvent) => void) | undefined;
  return {
    push(event: RunEvent) {
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve(event);
      } else items.push(event);
    },
    next(): Promise<RunEvent> {
      const item = items.shift();
      if (item) return Promise.resolve(item);
      return new Promise((resolve) => (waiting = resolve));
    },
  };
}
