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
import type { OutputRef, RunWaiting } from "./schema";
import type { RunHooks } from "../ports/run-hooks";
import { systemClock, type Clock } from "../ports/clock";
import type { TemplateScope } from "../templates/index";
import type { RunRecord, NodeTrace } from "./schema";
import { planRun, INPUT_NODE } from "./plan";
import { createRunState, isSettled, type RunState } from "./state";
import { firedSources, step, type FinishedNode, type RunEffect, type RunEvent } from "./step";
import { runNode, type NodeRunRequest, type NodeRunResult, type SecretSource } from "./node-runner";
import { jsonBytesOver, resolveLimits } from "./limits";
import { newSpanId, traceparentOf } from "./trace";
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
  /** the run's W3C trace id (32 hex); each node gets a span of its own and sends `traceparent` */
  traceId?: string;
  /** when the run started (ms), for a run resumed after a restart; default now */
  startedAt?: number;
  /** a durable run (a Workflows instance): nodes run as steps and may wait */
  durable?: DurableSteps;
  /**
   * Node outputs over `maxTraceBytes` (JSON bytes) are handed here and traced by reference
   * (`output_ref`); later nodes and the run's result still read the whole output.
   */
  offload?: (node: string, output: unknown, bytes: number) => Promise<OutputRef>;
  maxTraceBytes?: number;
}

/**
 * How a durable driver runs nodes (the executor over Cloudflare Workflows: one `step.do` per
 * node, `step.sleep`, `step.waitForEvent`). A step's result is stored: after a crash the run
 * is replayed and a finished node returns its stored result instead of running again.
 */
export interface DurableSteps {
  /**
   * One node as one step, retried by the step with the node's `retries` / `backoff_ms`:
   * `attempt(n, last)` runs attempt n and returns `retry: true` when the step should try again.
   * A driver that stores a big output itself returns it whole with its `output_ref` set.
   */
  node(name: string, limits: ResolvedLimits, attempt: (number: number, last: boolean) => Promise<NodeRunResult>): Promise<NodeRunResult>;
  sleep(node: string, ms: number): Promise<void>;
  /** the event's payload, or undefined when the timeout passed first */
  waitForEvent(node: string, event: string, timeoutMs: number): Promise<{ payload: unknown } | undefined>;
}

export async function executeWorkflow(workflow: CompiledWorkflow, options: ExecuteOptions): Promise<RunRecord> {
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  const startedMs = options.startedAt ?? now();
  let state = createRunState({
    run_id: options.runId ?? crypto.randomUUID(),
    workflow: workflow.name,
    workflow_hash: workflow.hash || undefined,
    trigger: options.trigger,
    started_at: new Date(startedMs).toISOString(),
    input: options.input,
    plan: planRun(workflow),
    rerun_of: options.rerunOf,
    trace_id: options.traceId,
  }, options.seed);
  await options.hooks?.runStarted?.(toRunRecord(state));

  const events = eventQueue();
  const turns = eventLoopTurns();
  let inFlight = 0;
  let fatal: { error: unknown } | undefined;
  const refs: Record<string, OutputRef> = {};
  const waiting = new Map<string, RunWaiting>();
  const limitsOf = async (node: string): Promise<ResolvedLimits> => {
    const component = await options.resolver.resolve(workflow.nodes[node].component);
    return resolveLimits(options.defaultLimits, component?.contract?.limits, workflow.nodes[node].limits);
  };
  /** a waiting builtin succeeded: wait (durable runs only), then settle the node */
  const performWait = async (node: string, result: NodeRunResult): Promise<FinishedNode> => {
    const { wait } = result;
    const settled = settledOf(result);
    if (!wait) return settled;
    const durable = options.durable;
    if (!durable) {
      return { ...settled, status: "failed", output: null, error: { code: "wait_not_durable", message: `node "${node}" waits (${workflow.nodes[node].component}), which only a durable run can do; start the workflow by its webhook or a cron trigger` } };
    }
    const began = now();
    waiting.set(node, { node, kind: wait.kind, until: wait.until, ...(wait.kind === "event" ? { event: wait.event } : {}) });
    await options.hooks?.runWaiting?.(state.run_id, waiting.get(node));
    let outcome: FinishedNode;
    if (wait.kind === "time") {
      await durable.sleep(node, wait.ms);
      outcome = settled;
    } else {
      const got = await durable.waitForEvent(node, wait.event, wait.timeout_ms);
      outcome = got
        ? { ...settled, output: got.payload ?? null }
        : { ...settled, status: "failed", output: null, error: { code: "event_timeout", message: `node "${node}": no "${wait.event}" event arrived by ${wait.until}` } };
    }
    waiting.delete(node);
    await options.hooks?.runWaiting?.(state.run_id, waiting.values().next().value);
    return { ...outcome, duration_ms: settled.duration_ms + Math.max(0, now() - began) };
  };
  /** runs a node (a step when durable), waits when it asks to, offloads a big output */
  const settle = async (request: NodeRunRequest): Promise<FinishedNode> => {
    const node = request.node;
    const durable = options.durable;
    const result = durable
      ? await durable.node(node, await limitsOf(node), (number, last) => runNode({ ...request, attempt: { number, last } }))
      : await runNode(request);
    const outcome = result.wait ? await performWait(node, result) : settledOf(result);
    // a durable driver may have stored a big output itself (its steps hold the reference only)
    if (result.output_ref && outcome.status === "succeeded") refs[node] = result.output_ref;
    else if (options.offload && outcome.status === "succeeded" && outcome.output !== null) {
      // the traced output's JSON (redacted): its text is kept from the output cap's check (json/known.ts)
      const bytes = jsonBytesOver(outcome.output, options.maxTraceBytes ?? DEFAULT_MAX_TRACE_BYTES);
      if (bytes !== undefined) refs[node] = await options.offload(node, outcome.output, bytes);
    }
    return outcome;
  };
  const trace = (node: string) => toNodeTrace(node, state, refs[node]);
  // the same for every node of the run
  const workflowDefaults = workflow.ai ? { ai: workflow.ai } : undefined;
  const runFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const redact = options.redact ?? redactSecrets;
  const apply = async (event: RunEvent) => {
    const result = step(state, event);
    state = result.state;
    if (event.type === "node_finished") await options.hooks?.nodeFinished?.(state.run_id, trace(event.node));
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
          workflowEgress: workflow.egress ?? NO_EGRESS,
          workflowDefaults,
          fetch: runFetch,
          secrets: options.secrets,
          sleep,
          now,
          redact,
          defaultLimits: options.defaultLimits,
          traceparent: state.trace_id ? traceparentOf(state.trace_id, newSpanId()) : undefined,
        };
        // other requests get their turn between nodes (see turns.ts)
        turns.next().then(() => settle(request)).then(
          (outcome) => events.push({ type: "node_finished", node, outcome, elapsed_ms: now() - startedMs }),
          (error: unknown) => {
            // a durable step that throws (the instance is aborted, paused, out of retries) stops the run here: the platform replays it
            if (options.durable) fatal ??= { error };
            events.push({
            type: "node_finished",
            node,
            elapsed_ms: now() - startedMs,
            outcome: { status: "failed", input: null, output: null, attempts: 0, duration_ms: 0, error: { code: "internal_error", message: `arcrun failed to run node "${node}": ${(error as Error)?.message ?? String(error)}` } },
            });
          },
        );
      } else if (effect.type === "node_skipped") {
        await options.hooks?.nodeFinished?.(state.run_id, trace(effect.node));
      }
    }
  };

  await apply({ type: "start" });
  while (inFlight > 0) {
    const event = await events.next();
    inFlight--;
    if (fatal) throw fatal.error;
    await apply(event);
  }
  if (state.status === "running") {
    // Only reachable if the plan had nothing to decide (it always has, once start ran); kept as a guard.
    throw new Error(`scheduler stalled in workflow "${workflow.name}"`);
  }
  state = { ...state, duration_ms: Math.max(state.duration_ms, now() - startedMs) };
  const record = toRunRecord(state, refs);
  await options.hooks?.runFinished?.(record);
  return record;
}

/** What templates can read: the payload and every settled node. */
export function templateScope(state: RunState): Omit<TemplateScope, "credential"> {
  const nodes: TemplateScope["nodes"] = {};
  for (const name in state.nodes) {
    const node = state.nodes[name];
    if (!Object.hasOwn(state.nodes, name) || !isSettled(node.status)) continue;
    const seen: TemplateScope["nodes"][string] = { status: node.status };
    if (node.status === "succeeded") seen.data = node.output;
    if (node.error) seen.error = node.error;
    nodes[name] = seen;
  }
  return { input: state.input, nodes };
}

/** Every field of a settled node; the compiler checks the list, settledOf below must copy each. */
const SETTLED_FIELDS: Record<keyof FinishedNode, true> = { status: true, input: true, output: true, error: true, attempts: true, duration_ms: true, branch: true, logs: true, output_ref: true };
void SETTLED_FIELDS;

/** A node's result as the scheduler keeps it: without what only the driver acts on (wait, retry). */
function settledOf(result: NodeRunResult): FinishedNode {
  const settled: FinishedNode = { status: result.status, input: result.input, output: result.output, error: result.error, attempts: result.attempts, duration_ms: result.duration_ms };
  if (result.output_ref !== undefined) settled.output_ref = result.output_ref;
  if (result.branch !== undefined) settled.branch = result.branch;
  if (result.logs !== undefined) settled.logs = result.logs;
  return settled;
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

/** one shared empty list: node-runner.ts keeps its per-node preparation while this stays the same */
const NO_EGRESS: string[] = [];

/** The default of a workflow's `max_trace_bytes`: larger node outputs are traced by reference. */
export const DEFAULT_MAX_TRACE_BYTES = 64 * 1024;

export function toNodeTrace(name: string, state: RunState, ref?: OutputRef): NodeTrace {
  const n = state.nodes[name];
  // built in the record's key order, optional fields added only when present (no conditional spreads: V8's slow path)
  const trace: NodeTrace = {
    node: name,
    component: n.component,
    status: n.status === "succeeded" || n.status === "failed" ? n.status : "skipped",
    input: n.input ?? null,
    output: ref ? null : (n.output ?? null),
  } as NodeTrace;
  const outputRef = ref ?? n.output_ref;
  if (outputRef) trace.output_ref = outputRef;
  trace.error = n.error;
  trace.attempts = n.attempts;
  trace.duration_ms = n.duration_ms;
  if (n.branch !== undefined) trace.branch = n.branch;
  if (n.logs?.length) trace.logs = n.logs;
  return trace;
}

export function toRunRecord(state: RunState, refs: Record<string, OutputRef> = {}): RunRecord {
  // the record's key order, optional fields only when present (see toNodeTrace)
  const record = { run_id: state.run_id, workflow: state.workflow } as RunRecord;
  if (state.workflow_hash) record.workflow_hash = state.workflow_hash;
  record.status = state.status;
  record.result = state.result ?? null;
  if (state.error) record.error = state.error;
  record.started_at = state.started_at;
  record.duration_ms = state.duration_ms;
  if (state.trigger) record.trigger = state.trigger;
  if (state.rerun_of) record.rerun_of = state.rerun_of;
  if (state.trace_id) record.trace_id = state.trace_id;
  if (state.status !== "running" && state.input !== undefined) record.input = state.input;
  record.nodes = state.status === "running" ? [] : state.plan.order.map((name) => toNodeTrace(name, state, refs[name]));
  return record;
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
