/**
 * The parameters every AI node shares, read and checked: `provider` (node, else the workflow's
 * `ai`, merged in by the node runner), `model`, `base_url`, `api_key`, `timeout_ms`,
 * `max_response_bytes`.
 */
import type { NodeError } from "../components/types";
import { AI_DEFAULT_MAX_RESPONSE_BYTES } from "./http";
import { AI_PROVIDERS, type AiProvider, type ChatMessage, type ProviderTarget } from "./types";

export const AI_COMMON_PROPERTIES = {
  provider: { enum: [...AI_PROVIDERS], description: "workers_ai (the AI binding), openai (any OpenAI-compatible endpoint) or anthropic; default: the workflow's ai.provider" },
  model: { type: "string", minLength: 1 },
  base_url: { type: "string", minLength: 1, description: "openai: default https://api.openai.com/v1; anthropic: default https://api.anthropic.com/v1" },
  api_key: { type: "string", description: 'e.g. "{{credential.openai}}"' },
  timeout_ms: { type: "integer", minimum: 1 },
  max_response_bytes: { type: "integer", minimum: 1 },
} as const;

export const CHAT_PROPERTIES = {
  prompt: { type: "string" },
  messages: {
    type: "array",
    minItems: 1,
    items: { type: "object", required: ["role", "content"], properties: { role: { enum: ["system", "user", "assistant"] }, content: { type: "string" } } },
  },
  system: { type: "string" },
  temperature: { type: "number", minimum: 0, maximum: 2 },
  max_tokens: { type: "integer", minimum: 1 },
} as const;

const invalid = (message: string): { error: NodeError } => ({ error: { code: "invalid_input", message, retryable: false } });

export function readTarget(component: string, p: Record<string, unknown>): { target: ProviderTarget; model?: string } | { error: NodeError } {
  const provider = p.provider;
  if (provider === undefined) {
    return invalid(`${component} needs a provider: set provider: workers_ai | openai | anthropic on the node, or ai: {provider: ...} at the top of the workflow`);
  }
  if (!AI_PROVIDERS.includes(provider as AiProvider)) return invalid(`provider "${String(provider)}" is not one of ${AI_PROVIDERS.join(", ")}`);
  for (const key of ["model", "base_url", "api_key"]) {
    if (p[key] !== undefined && typeof p[key] !== "string") return invalid(`"${key}" must be text`);
  }
  if (provider === "workers_ai" && p.base_url !== undefined) return invalid("provider workers_ai uses the AI binding, not base_url; remove base_url or use provider openai");
  return {
    target: {
      provider: provider as AiProvider,
      base_url: p.base_url as string | undefined,
      api_key: p.api_key === "" ? undefined : (p.api_key as string | undefined),
      timeout_ms: typeof p.timeout_ms === "number" && p.timeout_ms > 0 ? p.timeout_ms : undefined,
      max_response_bytes: typeof p.max_response_bytes === "number" && p.max_response_bytes > 0 ? p.max_response_bytes : AI_DEFAULT_MAX_RESPONSE_BYTES,
    },
    model: p.model as string | undefined,
  };
}

/** `messages` as given, then `prompt` as the last user message. */
export function readMessages(p: Record<string, unknown>): ChatMessage[] {
  const messages = Array.isArray(p.messages) ? (p.messages as ChatMessage[]).map((m) => ({ role: m.role, content: m.content })) : [];
  if (typeof p.prompt === "string") messages.push({ role: "user", content: p.prompt });
  return messages;
}
