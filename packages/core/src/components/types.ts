import type { Contract } from "./contract";
import type { NodeError } from "../run/schema";

export type { NodeError } from "../run/schema";

/** What every node produces: the result envelope of DESIGN § Workflow file. */
export type NodeOutcome =
  | { success: true; data: unknown; /** branch label a logic node emits, e.g. ON_TRUE or a switch case */ branch?: string; /** the node waits before it settles (builtins wait, wait_for_event) */ wait?: WaitRequest }
  | { success: false; error: NodeError };

/**
 * What a waiting builtin asks the driver for (run/execute.ts): a time, or an event with a
 * timeout. Only a durable run can wait (a Workflows instance: `step.sleep` / `step.waitForEvent`);
 * elsewhere the node fails with `wait_not_durable`.
 */
export type WaitRequest =
  | { kind: "time"; /** how long, from the moment the node ran */ ms: number }
  | { kind: "event"; event: string; timeout_ms: number };

export interface ResolvedLimits {
  /** wall-clock limit of one attempt (what async work such as http_request waits for) */
  timeout_ms: number;
  /** work budget of a synchronous sandbox (code, WASM), see run/limits.ts `workBudgetMs` */
  cpu_ms?: number;
  max_output_bytes: number;
  retries: number;
  backoff_ms: number;
  /** WASM linear memory cap, in 64 KiB pages */
  memory_pages?: number;
}

/** Everything a component may use while it runs. No store, no secrets, no bindings. */
export interface NodeContext {
  runId: string;
  node: string;
  /** 1-based attempt number */
  attempt: number;
  limits: ResolvedLimits;
  /** Aborted when the node's time limit passes (a clock deadline: fine across awaits only). */
  signal: AbortSignal;
  /** Hosts this node may call: node `egress` + workflow `egress` + the component's own. */
  egress: string[];
  /** The fetch to use for outbound calls (injected so local tests and the Worker decide). */
  fetch: typeof fetch;
  /** Settled upstream nodes whose edge into this node fired (what `merge` combines), by node name. */
  upstream: Record<string, { status: "succeeded" | "failed"; data?: unknown; error?: NodeError }>;
  /** A line for the node's log (component stderr, code console.log). Redacted before storing. */
  log(line: string): void;
  /**
   * A stored credential by name, decrypted now (recipes); every value read is redacted from
   * the node's trace. Undefined when not stored. Absent where the host has no secret source.
   */
  credential?(name: string): Promise<string | undefined>;
  /** the node's `credentials:` mapping (recipe key → stored name) */
  credentialNames?: Record<string, string>;
  /** teaches the node's redactor a secret obtained while running (an OAuth access token) */
  secret?(name: string, value: string): void;
  /** W3C `traceparent` of this node's span (the run's trace id, a span id of its own): outbound calls send it */
  traceparent?: string;
  /** wall clock (ms since the epoch) of the run's driver */
  now?(): number;
}

/**
 * A component the scheduler can run: a builtin, a WASM module, or a recipe.
 * `run` never throws for a node failure; it returns `{success: false, error}`.
 */
export interface Component {
  name: string;
  kind: "builtin" | "wasm" | "recipe";
  contract?: Contract;
  /** Parameters that are URLs: templates in them are percent-encoded by position (templates/url.ts). */
  urlParams?: readonly string[];
  /** Branch labels this node may emit given its config (for `if`: ON_TRUE/ON_FALSE; `switch`: its cases). */
  branches?(params: Record<string, unknown>): string[];
  /** A workflow-level block whose keys are defaults for this node's parameters (`ai`: provider, model, base_url, api_key). */
  workflowDefaults?: "ai";
  /**
   * The component bounds its own work (a counted work budget, or work too small to need one) and
   * waits on nothing outside the isolate: no time-limit race (a timer and an abort signal per
   * attempt) is set up around its calls. Its `signal` never aborts.
   */
  selfLimited?: true;
  /**
   * Parameters that are the node's program, not its data (the code node's source): left out of
   * its traced input, so a run record does not repeat them; the workflow version the run names
   * (`workflow_hash`, `GET /workflows/:name`) holds them.
   */
  untracedParams?: readonly string[];
  run(params: Record<string, unknown>, ctx: NodeContext): Promise<NodeOutcome>;
}

/** The loader chain seen from core; declared with the other ports. */
export type { ComponentResolver } from "../ports/component-resolver";
