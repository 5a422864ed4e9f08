/**
 * Runs one node to its final outcome: credentials, templates, limits, attempts with backoff,
 * the time limit, the output cap, and redaction. Never throws for a node failure.
 */
import type { Component, ComponentResolver, NodeContext, NodeError, NodeOutcome, ResolvedLimits, WaitRequest } from "../components/types";
import { closest, errorSpec } from "../errors";
import { resolveTemplates, resolveUrlTemplate, type TemplateScope } from "../templates/index";
import { setOwn } from "../json/own";
import { injectCredentials } from "../credentials/inject";
import { egressFetch, type EgressDenial } from "../net/egress-fetch";
import { loadNodeCredentials, type NodeCredentials } from "../credentials/load";
import { nodeCredentialNeeds, type NodeCredentialNeeds } from "../credentials/needs";
import { nodeParams, type NodeConfig } from "../workflow/schema";
import { backoffDelay, jsonBytesOver, resolveLimits } from "./limits";
import type { RedactFn } from "./redact";
import type { FinishedNode } from "./step";
import type { SecretSource } from "../ports/secret-source";

export type { SecretSource } from "../ports/secret-source";

export interface NodeRunRequest {
  runId: string;
  node: string;
  config: NodeConfig;
  resolver: ComponentResolver;
  /** the trigger payload and every settled node; credentials are added here */
  scope: Omit<TemplateScope, "credential">;
  upstream: NodeContext["upstream"];
  workflowEgress: string[];
  /** workflow-level parameter defaults (`ai`), used by components that name the block (Component.workflowDefaults) */
  workflowDefaults?: { ai?: Record<string, unknown> };
  fetch: typeof fetch;
  secrets?: SecretSource;
  sleep(ms: number): Promise<void>;
  now(): number;
  redact: RedactFn;
  defaultLimits?: Partial<ResolvedLimits>;
  /**
   * One attempt only, numbered `number` (a durable run: the Workflows step retries, see
   * run/execute.ts `DurableSteps`); `last` when no retry may follow. Default: every attempt here.
   */
  attempt?: { number: number; last: boolean };
  /** W3C traceparent of this node's span: sent on every outbound request that has none */
  traceparent?: string;
}

/** A node's outcome as runNode returns it: the trace fields, plus what the driver acts on. */
export type NodeRunResult = FinishedNode & {
  /** single-attempt mode: the attempt failed and may be retried */
  retry?: boolean;
  /** a waiting builtin succeeded: the driver waits before the node settles (`until`: when a time wait ends) */
  wait?: WaitRequest & { until: string };
};

const MAX_LOG_LINES = 1000;
const MAX_LOG_LINE = 8 * 1024;
/** what loadNodeCredentials answers for a node that needs no credential (shared: only ever read) */
const NO_CREDENTIALS: NodeCredentials = { ok: true, values: {}, injections: [] };

export async function runNode(req: NodeRunRequest): Promise<NodeRunResult> {
  const started = req.now();
  const logs: string[] = [];
  const secrets: Record<string, string> = {};
  // results are built field by field: spreads with several sources take V8's slow path (every node pays it)
  const finish = (outcome: Omit<FinishedNode, "duration_ms" | "logs">): NodeRunResult => {
    const traced = { input: outcome.input, output: outcome.output, error: outcome.error, logs };
    const clean = req.redact(traced, secrets) as typeof traced;
    const done: NodeRunResult = { status: outcome.status, input: clean.input, output: clean.output, error: clean.error, attempts: outcome.attempts, duration_ms: Math.max(0, req.now() - started) };
    if (outcome.branch !== undefined) done.branch = outcome.branch;
    if (clean.logs.length) done.logs = clean.logs;
    return done;
  };
  const fail = (error: NodeError, attempts = 0, input: unknown = null) =>
    finish({ status: "failed", input, output: null, error: traceError(error), attempts });

  const component = await req.resolver.resolve(req.config.component);
  if (!component) {
    const suggestion = closest(req.config.component, await req.resolver.list());
    // the loader chain (builtins → bundled → published) does not know it: removed after the
    // workflow was stored, or the workflow came in without the graph checks
    return fail({
      code: "component_not_found",
      message: `node "${req.node}" uses component "${req.config.component}", which is not installed${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`,
      details: { component: req.config.component, hint: `publish it with \`acr parts publish components/${req.config.component}\`, push a recipe with \`acr recipe push recipes/${req.config.component}.yaml\`, or pick one from \`acr parts\` or \`acr recipe list\`` },
    });
  }

  const { raw, needs, limits, egress, urlParams } = prepare(req, component);
  // templates and the contract's credentials_required; injected after templates resolve (a value is never read as a template).
  // Most nodes need none: no store look-up, nothing to await (prepared once per node)
  const credentials = needs.templates.length === 0 && needs.injections.length === 0
    ? NO_CREDENTIALS
    : await loadNodeCredentials({ node: req.node, params: raw, contract: component.contract, source: req.secrets, needs });
  if (!credentials.ok) return fail(credentials.error);
  Object.assign(secrets, credentials.values);

  let params: Record<string, unknown>;
  try {
    params = injectCredentials(resolveParams(raw, urlParams, { ...req.scope, credential: secrets }), credentials.injections);
  } catch (error) {
    const expression = (error as { expression?: string }).expression;
    return fail({
      code: "template_error",
      message: `node "${req.node}": ${(error as Error).message}`,
      details: expression === undefined ? undefined : { template: `{{${expression}}}` },
    });
  }

  let denial: EgressDenial | undefined;
  const fetch = egressFetch(withTraceparent(req.fetch, req.traceparent), egress, (d) => (denial ??= d));
  let attempt = req.attempt ? req.attempt.number - 1 : 0;
  let outcome: NodeOutcome;
  let retry = false;
  for (;;) {
    attempt++;
    denial = undefined;
    outcome = await attemptOnce(component, params, new CallContext(req, attempt, limits, egress, fetch, secrets, logs));
    const refused = denial as EgressDenial | undefined; // set by the fetch callback during the attempt
    if (refused) {
      // the host refused the connection: the node failed, whatever it made of the refusal
      outcome = { success: false, error: { code: "egress_denied", message: `node "${req.node}": ${refused.message}`, retryable: false, details: { host: refused.host, address: refused.address, hint: `If you really mean to call it (a local test), add "${refused.address}" literally to the node's or the workflow's \`egress\` list.` } } };
      break;
    }
    if (outcome.success) break;
    if (attempt > limits.retries || !isRetryable(outcome.error)) break;
    if (req.attempt) {
      // the durable driver's step retries (with the same backoff), unless this was its last attempt
      retry = !req.attempt.last;
      break;
    }
    await req.sleep(backoffDelay(limits, attempt));
  }

  const traced = tracedInput(params, component);
  if (!outcome.success) return retry ? { ...fail(outcome.error, attempt, traced), retry: true } : fail(outcome.error, attempt, traced);
  const data = outcome.data === undefined ? null : outcome.data;
  let oversize: number | undefined;
  try {
    oversize = jsonBytesOver(data, limits.max_output_bytes);
  } catch (error) {
    return fail({ code: "invalid_output", message: `node "${req.node}" returned data that is not JSON: ${(error as Error).message}` }, attempt, traced);
  }
  if (oversize !== undefined) {
    return fail({
      code: "output_too_large",
      message: `node "${req.node}" returned ${oversize} bytes of JSON, over its limit of ${limits.max_output_bytes}; raise limits.max_output_bytes or return less data`,
      details: { bytes: oversize, limit: limits.max_output_bytes },
    }, attempt, traced);
  }
  const done = finish({
    status: "succeeded",
    input: traced,
    output: data,
    error: null,
    attempts: attempt,
    branch: outcome.branch,
  });
  if (!outcome.wait) return done;
  const until = new Date(started + (outcome.wait.kind === "time" ? outcome.wait.ms : outcome.wait.timeout_ms)).toISOString();
  done.wait = { ...outcome.wait, until };
  return done;
}

/** The parameters as the trace shows them: without the component's program (Component.untracedParams). */
function tracedInput(params: Record<string, unknown>, component: Component): Record<string, unknown> {
  const untraced = component.untracedParams;
  if (!untraced?.length) return params;
  const traced: Record<string, unknown> = {};
  for (const key in params) if (Object.hasOwn(params, key) && !untraced.includes(key)) setOwn(traced, key, params[key]); // no delete: it would leave a slow dictionary object
  return traced;
}

/** Adds `traceparent` to every request that has none (DESIGN § Run guarantees). */
function withTraceparent(fetch: typeof globalThis.fetch, traceparent: string | undefined): typeof globalThis.fetch {
  if (!traceparent) return fetch;
  return (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (!headers.has("traceparent")) headers.set("traceparent", traceparent);
    return fetch(input, { ...init, headers });
  };
}

/** What a node's config and its component decide before any run: worked out once, not per run. */
interface PreparedNode {
  /** the parameters, templates unresolved (workflow defaults under the node's own); only ever read */
  raw: Record<string, unknown>;
  needs: NodeCredentialNeeds;
  limits: ResolvedLimits;
  egress: string[];
  urlParams: ReadonlySet<string>;
}

/** By node config (an object of a compiled workflow, kept while the workflow is cached), for the inputs it was made from. */
const preparedNodes = new WeakMap<NodeConfig, { component: Component; defaults: unknown; workflowEgress: string[]; defaultLimits: unknown; node: PreparedNode }>();

function prepare(req: NodeRunRequest, component: Component): PreparedNode {
  const defaults = component.workflowDefaults ? req.workflowDefaults?.[component.workflowDefaults] : undefined;
  const known = preparedNodes.get(req.config);
  if (known && known.component === component && known.defaults === defaults && known.workflowEgress === req.workflowEgress && known.defaultLimits === req.defaultLimits) {
    return known.node;
  }
  const raw = defaults ? { ...defaults, ...nodeParams(req.config) } : nodeParams(req.config);
  const node: PreparedNode = {
    raw,
    needs: nodeCredentialNeeds(raw, component.contract),
    limits: Object.freeze(resolveLimits(req.defaultLimits, component.contract?.limits, req.config.limits)), // shared by every run: frozen
    egress: [...new Set([...req.workflowEgress, ...(req.config.egress ?? []), ...(component.contract?.egress ?? [])])],
    urlParams: new Set(component.urlParams ?? []),
  };
  preparedNodes.set(req.config, { component, defaults, workflowEgress: req.workflowEgress, defaultLimits: req.defaultLimits, node });
  return node;
}

/** Every parameter's templates resolved; the component's URL parameters percent-encode what they place. */
function resolveParams(raw: Record<string, unknown>, urls: ReadonlySet<string>, scope: TemplateScope): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const key in raw) {
    if (!Object.hasOwn(raw, key)) continue;
    const value = raw[key];
    setOwn(params, key, urls.has(key) ? resolveUrlTemplate(value, scope) : resolveTemplates(value, scope));
  }
  return params;
}

/**
 * One call of the component, raced against the node's time limit. A component still running
 * when the limit passes is abandoned: its signal is aborted and its late result ignored.
 * (This clock race stops async work only; synchronous sandboxes must stop themselves.)
 */
async function attemptOnce(component: Component, params: Record<string, unknown>, base: CallContext): Promise<NodeOutcome> {
  if (component.selfLimited) return callComponent(component, params, base);
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<NodeOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new DOMException(`node "${base.node}" timed out`, "TimeoutError"));
      resolve({
        success: false,
        error: { code: "timeout", message: `node "${base.node}" did not finish within ${base.limits.timeout_ms} ms (limits.timeout_ms)`, retryable: true },
      });
    }, base.limits.timeout_ms);
  });
  base.abortWith(controller.signal);
  const call = callComponent(component, params, base);
  try {
    return await Promise.race([call, timeout]);
  } finally {
    if (timer !== undefined) clearTimeout(timer); // workers-types: clearTimeout(number | null)
  }
}

/** The component's outcome, checked; a throw or a malformed answer is its `internal_error`. */
function callComponent(component: Component, params: Record<string, unknown>, ctx: NodeContext): Promise<NodeOutcome> {
  return Promise.resolve()
    .then(() => component.run(params, ctx))
    .then(checkOutcome, (error: unknown): NodeOutcome => ({
      success: false,
      error: { code: "internal_error", message: `component "${component.name}" crashed: ${error instanceof Error ? error.message : String(error)}` },
    }));
}

/**
 * One attempt's NodeContext, a class so that every node's context has one shape. Its signal is
 * the time limit's (`abortWith`) or, for a self-limited component, one that never aborts, made
 * only if read (one per call: workerd ties an AbortSignal to the request that made it, so none
 * can be shared).
 */
class CallContext implements NodeContext {
  readonly runId: string;
  readonly node: string;
  readonly attempt: number;
  readonly limits: ResolvedLimits;
  readonly egress: string[];
  readonly fetch: typeof fetch;
  readonly upstream: NodeContext["upstream"];
  readonly credentialNames: Record<string, string> | undefined;
  readonly traceparent: string | undefined;
  readonly now: () => number;
  // own functions, not methods: components pass them on detached (a recipe's OAuth hands `secret` to the token fetch)
  readonly log: (line: string) => void;
  readonly credential: (name: string) => Promise<string | undefined>;
  readonly secret: (name: string, value: string) => void;
  #signal: AbortSignal | undefined;

  constructor(req: NodeRunRequest, attempt: number, limits: ResolvedLimits, egress: string[], fetch: typeof globalThis.fetch, secrets: Record<string, string>, logs: string[]) {
    this.runId = req.runId;
    this.node = req.node;
    this.attempt = attempt;
    this.limits = limits;
    this.egress = egress;
    this.fetch = fetch;
    this.upstream = req.upstream;
    this.credentialNames = req.config.credentials;
    this.traceparent = req.traceparent;
    this.now = req.now;
    this.log = (line) => {
      if (logs.length < MAX_LOG_LINES) logs.push(line.length > MAX_LOG_LINE ? `${line.slice(0, MAX_LOG_LINE)}… (truncated)` : line);
    };
    // Captures the secret source, not `req`: a closure made here that captures the whole request
    // made workerd's young-generation GC keep every run's objects (and its HTTP request's) alive
    // until the next full GC — 12 ms scavenges and 4× the promoted bytes for a 1-node run
    // (measured with --trace-gc; issue 12's closing note).
    const source = req.secrets;
    this.credential = async (name) => {
      const value = await source?.get(name);
      if (value !== undefined) secrets[name] = value;
      return value;
    };
    this.secret = (name, value) => {
      secrets[name] = value;
    };
  }

  get signal(): AbortSignal {
    return (this.#signal ??= new AbortController().signal);
  }

  abortWith(signal: AbortSignal): void {
    this.#signal = signal;
  }
}

function checkOutcome(outcome: unknown): NodeOutcome {
  if (outcome && typeof outcome === "object" && "success" in outcome) {
    const o = outcome as NodeOutcome;
    if (o.success === true) return o;
    if (o.success === false && o.error && typeof o.error.code === "string") return o;
  }
  return { success: false, error: { code: "internal_error", message: "component returned something other than {success, data} or {success: false, error}" } };
}

/**
 * The error table decides: a user mistake (kind user) never retries, whatever the failure
 * says; otherwise the failure's own `retryable` wins (http_error: 5xx and 429), and the
 * table's `retryable` is the default (timeout). A code the table lacks (a third-party
 * component's) retries only when the failure says so.
 */
export function isRetryable(error: NodeError): boolean {
  const spec = errorSpec(error.code);
  if (spec?.kind === "user") return false;
  return error.retryable ?? spec?.retryable ?? false;
}

function traceError(error: NodeError): FinishedNode["error"] {
  return error.details === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, details: error.details };
}

