/**
 * The AI builtins: `ai_chat`, `ai_extract`, `ai_embed`, over three providers (ai/*.ts).
 *
 *   summarize:
 *     component: ai_chat
 *     provider: openai                     # workers_ai | openai | anthropic; default: the workflow's `ai`
 *     base_url: http://127.0.0.1:11434/v1  # openai only; default https://api.openai.com/v1 (Ollama, vLLM, Groq, …)
 *     api_key: "{{credential.openai}}"     # openai, anthropic; redacted like every credential
 *     model: gpt-4o-mini                   # required for openai and anthropic
 *     system: "Answer in one sentence."
 *     prompt: "Summarize: {{fetch.data.body}}"   # or messages: [{role, content}, …]
 *     temperature: 0.2
 *     max_tokens: 200                      # anthropic requires one: default 1024
 *
 * ai_chat    → {text, finish_reason, usage: {input_tokens, output_tokens}, model, provider, latency_ms}
 * ai_extract → {data, …same}: `schema` (JSON Schema) plus `text` and/or `prompt`; the answer is
 *              parsed and validated with core's validator (@cfworker/json-schema); one repair
 *              round when it is not JSON or fails the schema, then invalid_model_output.
 * ai_embed   → {vectors, dimensions, usage: {input_tokens}, model, provider, latency_ms}: `texts`.
 *
 * Model, usage and latency are part of the node's output, so the run trace keeps them; the
 * node runner redacts prompts, answers and errors like every trace (the api_key is a credential).
 */
import { Validator, type Schema } from "@cfworker/json-schema";
import type { Component, NodeContext, NodeOutcome } from "../components/types";
import type { Contract } from "../components/contract";
import { validateInput, inputProblems } from "../components/input-validation";
import type { AiBinding } from "../ports/ai-binding";
import { abortableSleep, truncate } from "../ai/http";
import { openaiProvider } from "../ai/openai";
import { anthropicProvider } from "../ai/anthropic";
import { workersAiProvider, WORKERS_AI_CHAT_MODEL, WORKERS_AI_EMBED_MODEL } from "../ai/workers-ai";
import { AI_COMMON_PROPERTIES, CHAT_PROPERTIES, readMessages, readTarget } from "../ai/params";
import type { AiProvider, ChatAnswer, ChatMessage, Provider, ProviderDeps, ProviderTarget, Usage } from "../ai/types";

export interface AiDeps {
  /** the Workers AI binding (`env.AI`), when the Worker has one */
  ai?: AiBinding;
  /** waits between provider retries (tests pass a fake) */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** how much of a model's raw answer an invalid_model_output error keeps */
export const RAW_OUTPUT_CHARS = 1000;

const PROVIDERS: Record<AiProvider, Provider> = { openai: openaiProvider, anthropic: anthropicProvider, workers_ai: workersAiProvider };
const DEFAULT_MODELS: Partial<Record<AiProvider, { chat: string; embed: string }>> = { workers_ai: { chat: WORKERS_AI_CHAT_MODEL, embed: WORKERS_AI_EMBED_MODEL } };

function contract(name: string, description: string, input_schema: Record<string, unknown>): Contract {
  return { name, version: "1.0.0", description, category: "ai", input_schema } as Contract;
}

const CHAT_SCHEMA = {
  type: "object",
  properties: { ...AI_COMMON_PROPERTIES, ...CHAT_PROPERTIES },
  anyOf: [{ required: ["prompt"] }, { required: ["messages"] }],
};
const EXTRACT_SCHEMA = {
  type: "object",
  required: ["schema"],
  properties: { ...AI_COMMON_PROPERTIES, ...CHAT_PROPERTIES, schema: { type: "object" }, text: { type: "string" }, structured_output: { type: "boolean" } },
  anyOf: [{ required: ["text"] }, { required: ["prompt"] }, { required: ["messages"] }],
};
const EMBED_SCHEMA = {
  type: "object",
  required: ["texts"],
  properties: { ...AI_COMMON_PROPERTIES, texts: { type: "array", minItems: 1, items: { type: "string" } } },
};

interface Prepared {
  provider: Provider;
  target: ProviderTarget;
  model: string;
  deps: ProviderDeps;
}

function prepare(name: string, schema: Record<string, unknown>, kind: "chat" | "embed", params: Record<string, unknown>, ctx: NodeContext, deps: AiDeps): Prepared | { error: NodeOutcome } {
  const needs = name === "ai_chat" ? ["prompt", "messages"] : name === "ai_extract" ? ["text", "prompt", "messages"] : [];
  if (needs.length && needs.every((key) => params[key] === undefined)) {
    return { error: { success: false, error: { code: "invalid_input", message: `${name} needs ${needs.map((k) => `"${k}"`).join(" or ")}, e.g. prompt: "Summarize {{fetch.data.body}}"`, retryable: false } } };
  }
  const invalid = validateInput(name, schema, params);
  if (invalid) return { error: { success: false, error: invalid } };
  const read = readTarget(name, params);
  if ("error" in read) return { error: { success: false, error: read.error } };
  const model = read.model ?? DEFAULT_MODELS[read.target.provider]?.[kind];
  if (!model) {
    const example = read.target.provider === "anthropic" ? "claude-sonnet-4-5" : kind === "embed" ? "text-embedding-3-small" : "gpt-4o-mini (llama3.2 on Ollama)";
    return { error: { success: false, error: { code: "invalid_input", message: `${name} with provider ${read.target.provider} needs a model, e.g. model: ${example}`, retryable: false } } };
  }
  return { provider: PROVIDERS[read.target.provider], target: read.target, model, deps: { ctx, ai: deps.ai, sleep: deps.sleep ?? abortableSleep } };
}

function chatRequest(params: Record<string, unknown>, model: string, messages: ChatMessage[]) {
  return {
    model,
    messages,
    system: typeof params.system === "string" ? params.system : undefined,
    temperature: typeof params.temperature === "number" ? params.temperature : undefined,
    max_tokens: typeof params.max_tokens === "number" ? params.max_tokens : undefined,
  };
}

export function createAiChat(deps: AiDeps = {}): Component {
  return {
    name: "ai_chat",
    kind: "builtin",
    urlParams: ["base_url"],
    workflowDefaults: "ai",
    contract: contract("ai_chat", "Ask a model (Workers AI, any OpenAI-compatible endpoint, Anthropic) and get its answer", CHAT_SCHEMA),
    async run(params, ctx) {
      const p = prepare("ai_chat", CHAT_SCHEMA, "chat", params, ctx, deps);
      if ("error" in p) return p.error;
      const started = Date.now();
      const answer = await p.provider.chat(p.target, chatRequest(params, p.model, readMessages(params)), p.deps);
      if (!answer.ok) return { success: false, error: answer.error };
      return { success: true, data: { ...answer.value, provider: p.target.provider, latency_ms: Date.now() - started } };
    },
  };
}

export function createAiExtract(deps: AiDeps = {}): Component {
  return {
    name: "ai_extract",
    kind: "builtin",
    urlParams: ["base_url"],
    workflowDefaults: "ai",
    contract: contract("ai_extract", "Extract data that matches a JSON Schema from text, with a model", EXTRACT_SCHEMA),
    async run(params, ctx) {
      const p = prepare("ai_extract", EXTRACT_SCHEMA, "chat", params, ctx, deps);
      if ("error" in p) return p.error;
      const schema = params.schema as Record<string, unknown>;
      try {
        new Validator(schema as Schema, "2020-12", false).validate(null);
      } catch (error) {
        return { success: false, error: { code: "invalid_input", message: `"schema" is not a JSON Schema the validator can read: ${(error as Error).message}`, retryable: false } };
      }
      const messages = extractMessages(params, schema);
      const request = { ...chatRequest(params, p.model, messages), system: extractSystem(params, schema) };
      if (params.structured_output !== false) Object.assign(request, { json_schema: schema });
      const started = Date.now();
      const usage: Usage = { input_tokens: 0, output_tokens: 0 };
      let last: { answer: ChatAnswer; problems: string[] } | undefined;
      for (let round = 1; round <= 2; round++) {
        const history: ChatMessage[] = last
          ? [...messages, { role: "assistant", content: last.answer.text }, { role: "user", content: repairPrompt(last.problems) }]
          : messages;
        const sent = await p.provider.chat(p.target, { ...request, messages: history }, p.deps);
        if (!sent.ok) return { success: false, error: sent.error };
        usage.input_tokens += sent.value.usage.input_tokens;
        usage.output_tokens += sent.value.usage.output_tokens;
        const judged = judge(sent.value.text, schema);
        if (judged.ok) {
          return {
            success: true,
            data: { data: judged.data, finish_reason: sent.value.finish_reason, usage, model: sent.value.model, provider: p.target.provider, latency_ms: Date.now() - started, repaired: round > 1 },
          };
        }
        last = { answer: sent.value, problems: judged.problems };
      }
      return {
        success: false,
        error: {
          code: "invalid_model_output",
          message: `ai_extract: the model's answer is not JSON matching the schema, also after one repair round: ${last!.problems.join("; ")}`,
          retryable: false,
          details: { raw: truncate(last!.answer.text, RAW_OUTPUT_CHARS), problems: last!.problems, usage, model: last!.answer.model },
        },
      };
    },
  };
}

export function createAiEmbed(deps: AiDeps = {}): Component {
  return {
    name: "ai_embed",
    kind: "builtin",
    urlParams: ["base_url"],
    workflowDefaults: "ai",
    contract: contract("ai_embed", "Turn texts into embedding vectors (Workers AI or an OpenAI-compatible endpoint)", EMBED_SCHEMA),
    async run(params, ctx) {
      const p = prepare("ai_embed", EMBED_SCHEMA, "embed", params, ctx, deps);
      if ("error" in p) return p.error;
      const started = Date.now();
      const answer = await p.provider.embed(p.target, { model: p.model, texts: params.texts as string[] }, p.deps);
      if (!answer.ok) return { success: false, error: answer.error };
      const { vectors, usage, model } = answer.value;
      return { success: true, data: { vectors, dimensions: vectors[0]?.length ?? 0, usage, model, provider: p.target.provider, latency_ms: Date.now() - started } };
    },
  };
}

export function createAiComponents(deps: AiDeps = {}): Component[] {
  return [createAiChat(deps), createAiExtract(deps), createAiEmbed(deps)];
}

function extractSystem(params: Record<string, unknown>, schema: Record<string, unknown>): string {
  const own = typeof params.system === "string" ? `${params.system}\n\n` : "";
  return `${own}Answer with one JSON value that matches this JSON Schema and nothing else: no prose, no code fences.\n${JSON.stringify(schema)}`;
}

function extractMessages(params: Record<string, unknown>, _schema: Record<string, unknown>): ChatMessage[] {
  const messages = Array.isArray(params.messages) ? readMessages({ messages: params.messages }) : [];
  const parts: string[] = [];
  if (typeof params.prompt === "string") parts.push(params.prompt);
  if (typeof params.text === "string") parts.push(`${parts.length ? "Text:\n" : "Extract the data from this text:\n"}${params.text}`);
  if (parts.length) messages.push({ role: "user", content: parts.join("\n\n") });
  return messages;
}

function repairPrompt(problems: string[]): string {
  return `That answer is not valid: ${problems.join("; ")}. Reply with only the corrected JSON value that matches the schema.`;
}

/** The model's text as JSON (a ```json fence around it is tolerated), checked against the schema. */
export function judge(text: string, schema: Record<string, unknown>): { ok: true; data: unknown } | { ok: false; problems: string[] } {
  const fenced = /^\s*```(?:json)?\s*\n?([\s\S]*?)\n?```\s*$/i.exec(text);
  const body = (fenced ? fenced[1] : text).trim();
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    return { ok: false, problems: [`not JSON (${(error as Error).message})`] };
  }
  const problems = inputProblems(schema, data).map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
  return problems.length ? { ok: false, problems } : { ok: true, data };
}
