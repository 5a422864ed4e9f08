/** Shapes shared by the AI builtins and their providers (builtins/ai.ts, ai/*.ts). */
import type { NodeContext, NodeError } from "../components/types";
import type { AiBinding } from "../ports/ai-binding";

export const AI_PROVIDERS = ["workers_ai", "openai", "anthropic"] as const;
export type AiProvider = (typeof AI_PROVIDERS)[number];

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  system?: string;
  temperature?: number;
  max_tokens?: number;
  /** ai_extract: ask for JSON that matches this schema (response_format where the provider has it) */
  json_schema?: Record<string, unknown>;
}

export interface Usage {
  input_tokens: number;
  output_tokens: number;
}

export interface ChatAnswer {
  text: string;
  /** stop | length | the provider's own word; null when it gives none */
  finish_reason: string | null;
  usage: Usage;
  /** the model that answered, as the provider names it */
  model: string;
}

export interface EmbedAnswer {
  vectors: number[][];
  usage: { input_tokens: number };
  model: string;
}

/** Where and how a provider is reached: from the node's parameters (or the workflow's `ai`). */
export interface ProviderTarget {
  provider: AiProvider;
  base_url?: string;
  api_key?: string;
  timeout_ms?: number;
  max_response_bytes: number;
}

export interface ProviderDeps {
  ctx: NodeContext;
  ai?: AiBinding;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: NodeError };

export interface Provider {
  chat(target: ProviderTarget, req: ChatRequest, deps: ProviderDeps): Promise<Result<ChatAnswer>>;
  embed(target: ProviderTarget, req: { model: string; texts: string[] }, deps: ProviderDeps): Promise<Result<EmbedAnswer>>;
}

export function failure(code: string, message: string, retryable: boolean, details?: unknown): { ok: false; error: NodeError } {
  return { ok: false, error: { code, message, retryable, ...(details === undefined ? {} : { details }) } };
}
