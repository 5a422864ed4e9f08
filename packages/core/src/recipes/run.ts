/**
 * Running a recipe: parameters checked against `inputs`, the request built and sent to
 * declared hosts only, auth placed, retries with Retry-After, pagination, the answer mapped
 * to the node envelope. Platform-free: fetch, clock and credential lookup are passed in.
 * Never throws for a provider's failure; every message is redacted of the injected secrets.
 */
import type { NodeError, NodeOutcome } from "../components/types";
import { inputProblems } from "../components/input-validation";
import { Redactor } from "../redact/redactor";
import { parsePath } from "../templates/parse";
import type { Recipe } from "./schema";
import { applyAuth, type AppliedAuth, type AuthContext } from "./auth";
import { buildRequest, type BuiltRequest, type PageState } from "./build";
import { hostRefused, retryAfterMs, send, where, type HttpAnswer } from "./http";
import { memoryTokenCache, type TokenCache } from "./tokens";
import { UrlValueError } from "./url";
import { lookupPath, ParamError } from "./values";

export interface RecipeClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface RunRecipeOptions {
  /** a stored credential's value by its stored name; undefined when it is not stored */
  credential(name: string): Promise<string | undefined>;
  /** the node's `credentials:` mapping, recipe key → stored name */
  credentialNames?: Record<string, string>;
  /** the executor's egress-checked fetch */
  fetch: typeof fetch;
  clock: RecipeClock;
  /** hosts allowed beside the recipe's own (node `egress` + workflow `egress`) */
  egress?: readonly string[];
  /** where access tokens are kept between calls (default: this call only) */
  tokenCache?: TokenCache;
  signal?: AbortSignal;
  /** node name, for messages */
  node?: string;
  /** called with every injected secret as soon as it is known (feed the run's redactor) */
  onSecret?(name: string, value: string): void;
}

export interface RecipeRunResult {
  outcome: NodeOutcome;
  /** every secret injected or obtained (credential values, access tokens), by name: redact them */
  secrets: Record<string, string>;
  /** HTTP requests sent to the API (token requests not counted) */
  calls: number;
}

const SNIPPET = 300;

export async function runRecipe(recipe: Recipe, params: Record<string, unknown>, options: RunRecipeOptions): Promise<RecipeRunResult> {
  const secrets: Record<string, string> = {};
  const redactor = new Redactor();
  const secret = (name: string, value: string) => {
    if (secrets[name] === value) return;
    secrets[name] = value;
    redactor.add(name, value);
    options.onSecret?.(name, value);
  };
  const run = new RecipeRun(recipe, options, secret);
  let outcome: NodeOutcome;
  try {
    outcome = await run.execute(params);
  } catch (error) {
    // a bug here must still not leak a secret or escape as an executor 500
    outcome = fail("internal_error", `recipe "${recipe.name}" failed unexpectedly: ${(error as Error).message}`, false);
  }
  return { outcome: redactor.value(outcome), secrets, calls: run.calls };
}

function fail(code: string, message: string, retryable: boolean, details?: unknown): NodeOutcome {
  const error: NodeError = { code, message, retryable };
  if (details !== undefined) error.details = details;
  return { success: false, error };
}

/** Top-level `default`s of `inputs.properties`, applied before validation (JSON Schema does not). */
export function withDefaults(inputs: Record<string, unknown>, params: Record<string, unknown>): Record<string, unknown> {
  const out = { ...params };
  const properties = inputs.properties && typeof inputs.properties === "object" ? (inputs.properties as Record<string, Record<string, unknown>>) : {};
  for (const [key, schema] of Object.entries(properties)) {
    if (out[key] === undefined && schema && typeof schema === "object" && "default" in schema) out[key] = schema.default;
  }
  return out;
}

class RecipeRun {
  calls = 0;
  private readonly allowed: string[];
  private readonly authContext: AuthContext;
  private renewed = false;

  constructor(private readonly recipe: Recipe, private readonly options: RunRecipeOptions, secret: (name: string, value: string) => void) {
    this.allowed = [...recipe.hosts, ...(options.egress ?? [])];
    const guarded: typeof fetch = async (input, init) => {
      const refused = hostRefused(new URL(String(input)), this.allowed, false);
      if (refused) throw new Error(refused.message);
      return options.fetch(input, { ...init, signal: options.signal });
    };
    this.authContext = {
      lookup: options.credential,
      names: options.credentialNames ?? {},
      node: options.node,
      fetch: guarded,
      now: () => options.clock.now(),
      cache: options.tokenCache ?? memoryTokenCache(),
      secret,
    };
  }

  async execute(raw: Record<string, unknown>): Promise<NodeOutcome> {
    const recipe = this.recipe;
    const params = withDefaults(recipe.inputs, raw);
    const problems = inputProblems(recipe.inputs, params);
    if (problems.length > 0) {
      const listed = problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join("; ");
      return fail("invalid_input", `Invalid input for recipe "${recipe.name}": ${listed}.`, false, problems);
    }
    const applied = await applyAuth(recipe, this.authContext);
    if (!applied.ok) return { success: false, error: applied.error };
    let auth = applied.auth;

    const pagination = recipe.pagination;
    const items: unknown[] = [];
    let page: PageState = {};
    let nextUrl: URL | undefined;
    for (let pageNo = 1; ; pageNo++) {
      const answer = await this.call(params, auth, page, nextUrl, (renewed) => (auth = renewed));
      if ("error" in answer) return { success: false, error: answer.error };
      const mapped = this.interpret(answer.answer);
      if (!mapped.success) return mapped;
      if (!pagination) return mapped;
      const body = mapped.data;
      const pageItems = pagination.items_path ? lookupPath(body, parsePath(pagination.items_path)) : body;
      if (!Array.isArray(pageItems)) {
        return fail("invalid_response", `${where(answer.answer.url)} answered a page without a list ${pagination.items_path ? `at ${pagination.items_path}` : "as its body"}`, false, { status: answer.answer.status });
      }
      items.push(...pageItems);
      let more: boolean;
      if (pagination.kind === "cursor") {
        const cursor = lookupPath(body, parsePath(pagination.cursor_path));
        more = cursor !== undefined && cursor !== null && cursor !== "";
        page = { cursor: more ? String(cursor) : undefined };
      } else {
        const link = pagination.from === "link_header"
          ? nextFromLinkHeader(answer.answer.headers.get("link"))
          : (lookupPath(body, parsePath(pagination.next_path!)) as string | undefined);
        more = typeof link === "string" && link !== "";
        if (more) {
          try {
            nextUrl = new URL(link as string, answer.answer.url);
          } catch {
            return fail("invalid_response", `${where(answer.answer.url)} gave a next link that is not a URL`, false);
          }
        }
      }
      if (!more) return { success: true, data: { items, pages: pageNo, has_more: false } };
      if (pageNo >= pagination.max_pages) return { success: true, data: { items, pages: pageNo, has_more: true } };
    }
  }

  /** One logical call: retries, and one renewal of the access token on 401. */
  private async call(
    params: Record<string, unknown>,
    auth: AppliedAuth,
    page: PageState,
    nextUrl: URL | undefined,
    onRenewed: (auth: AppliedAuth) => void,
  ): Promise<{ answer: HttpAnswer } | { error: NodeError }> {
    const { retry, max_response_bytes } = this.recipe;
    for (let attempt = 1; ; attempt++) {
      let request: BuiltRequest;
      try {
        request = buildRequest(this.recipe, params, auth, page);
        if (nextUrl) request = { ...request, url: nextUrl, method: "GET", body: undefined };
      } catch (error) {
        if (error instanceof ParamError || error instanceof UrlValueError) {
          return { error: { code: "invalid_input", message: `Invalid input for recipe "${this.recipe.name}": ${error.message}.`, retryable: false } };
        }
        throw error;
      }
      this.calls++;
      const sent = await send(request, { fetch: this.options.fetch, allowed: this.allowed, maxBytes: max_response_bytes, signal: this.options.signal });
      let delay: number | undefined;
      if (sent.ok) {
        const { answer } = sent;
        if (answer.status === 401 && auth.renewable && !this.renewed) {
          this.renewed = true;
          const renewed = await applyAuth(this.recipe, this.authContext, true);
          if (!renewed.ok) return { error: renewed.error };
          auth = renewed.auth;
          onRenewed(auth);
          attempt--; // the renewal is not a retry
          continue;
        }
        if (!retry.statuses.includes(answer.status) || attempt >= retry.max_attempts) return { answer };
        delay = this.providerDelay(answer) ?? retry.backoff_ms * 2 ** (attempt - 1);
        if (delay > retry.max_wait_ms) {
          const outcome = this.interpret(answer);
          const error = outcome.success ? { code: "http_error", message: `${where(answer.url, request.method)} answered ${answer.status}`, retryable: true } : outcome.error;
          return { error: { ...error, message: `${error.message} (asked to wait ${Math.ceil(delay / 1000)} s, longer than this recipe waits)`, details: { ...(error.details as object), retry_after_ms: delay }, retryable: true } };
        }
      } else {
        if (!sent.error.retryable || attempt >= retry.max_attempts || this.options.signal?.aborted) return { error: sent.error };
        delay = retry.backoff_ms * 2 ** (attempt - 1);
      }
      await this.options.clock.sleep(delay);
      if (this.options.signal?.aborted) return { error: { code: "timeout", message: `${where(request.url, request.method)} did not succeed before the node's time limit`, retryable: true } };
    }
  }

  private providerDelay(answer: HttpAnswer): number | undefined {
    const header = retryAfterMs(answer.headers.get("retry-after"), this.options.clock.now());
    if (header !== undefined) return header;
    const path = this.recipe.retry.retry_after_path;
    if (!path) return undefined;
    try {
      const seconds = lookupPath(JSON.parse(answer.text), parsePath(path));
      return typeof seconds === "number" && seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The answer as the node's envelope: the success rule, the output path, the provider's message. */
  private interpret(answer: HttpAnswer): NodeOutcome {
    const { response } = this.recipe;
    const at = where(answer.url);
    const statusOk = response.success.status === "2xx" ? answer.status >= 200 && answer.status < 300 : response.success.status.includes(answer.status);
    let body: unknown = answer.text;
    let json = true;
    if (response.format === "json") {
      if (answer.text.trim() === "") body = null;
      else {
        try {
          body = JSON.parse(answer.text);
        } catch {
          json = false;
        }
      }
    }
    const retryable = answer.status === 429 || answer.status >= 500;
    const contentType = answer.headers.get("content-type")?.split(";")[0] ?? "no content type";
    if (!statusOk) {
      const message = json ? this.providerMessage(body) : undefined;
      const code = json && response.error_code ? lookupPath(body, parsePath(response.error_code)) : undefined;
      const said = message ?? (json ? undefined : `${contentType}: ${snippet(answer.text)}`);
      return fail("http_error", `${at} answered ${answer.status}${said ? `: ${said}` : ""}`, retryable, {
        status: answer.status,
        ...(code !== undefined ? { provider_code: code } : {}),
        ...(message !== undefined ? { provider_message: message } : {}),
      });
    }
    if (!json) {
      return fail("invalid_response", `${at} answered ${answer.status} with ${contentType}, not JSON: ${snippet(answer.text)}`, false, { status: answer.status, content_type: contentType });
    }
    const field = response.success.field;
    if (field && lookupPath(body, parsePath(field.path)) !== field.equals) {
      const message = this.providerMessage(body);
      const code = response.error_code ? lookupPath(body, parsePath(response.error_code)) : undefined;
      return fail("http_error", `${at} answered ${answer.status} but ${field.path} is not ${JSON.stringify(field.equals)}${message ? `: ${message}` : ""}`, false, {
        status: answer.status,
        ...(code !== undefined ? { provider_code: code } : {}),
        ...(message !== undefined ? { provider_message: message } : {}),
      });
    }
    if (!response.output || body === null) return { success: true, data: body };
    const data = lookupPath(body, parsePath(response.output));
    if (data === undefined) return fail("invalid_response", `${at} answered ${answer.status} without ${response.output}`, false, { status: answer.status });
    return { success: true, data };
  }

  private providerMessage(body: unknown): string | undefined {
    const path = this.recipe.response.error_message;
    if (!path) return undefined;
    const value = lookupPath(body, parsePath(path));
    if (value === undefined || value === null) return undefined;
    return snippet(typeof value === "string" ? value : JSON.stringify(value));
  }
}

function snippet(text: string): string {
  const plain = text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return plain.length > SNIPPET ? `${plain.slice(0, SNIPPET)}…` : plain;
}

/** RFC 8288: the URL of the link with rel="next". */
export function nextFromLinkHeader(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match && /;\s*rel="?(?:[^";]*\s)?next(?:\s[^";]*)?"?/i.test(match[2])) return match[1];
  }
  return undefined;
}
