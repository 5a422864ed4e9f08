/**
 * Anthropic Messages API:
 *   POST https://api.anthropic.com/v1/messages
 *   headers x-api-key: <api_key>, anthropic-version: 2023-06-01, content-type: application/json
 *   body {model, max_tokens (required; default ANTHROPIC_DEFAULT_MAX_TOKENS), system?, messages, temperature?}
 *   → {model, content: [{type: "text", text}], stop_reason, usage: {input_tokens, output_tokens}}
 * `system` is a top-level field, never a message role. Anthropic has no embeddings endpoint.
 */
import { endpoint, count } from "./openai";
import { postJson } from "./http";
import { failure, type Provider } from "./types";

export const ANTHROPIC_BASE_URL = "https://api.anthropic.com/v1";
export const ANTHROPIC_VERSION = "2023-06-01";
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 1024;

const STOP_REASONS: Record<string, string> = { end_turn: "stop", stop_sequence: "stop", max_tokens: "length" };

export const anthropicProvider: Provider = {
  async chat(target, req, deps) {
    const url = endpoint(target, ANTHROPIC_BASE_URL, "/messages");
    if (!url.ok) return url;
    const system = [req.system, ...req.messages.filter((m) => m.role === "system").map((m) => m.content)].filter(Boolean).join("\n\n");
    const body: Record<string, unknown> = {
      model: req.model,
      max_tokens: req.max_tokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
      messages: req.messages.filter((m) => m.role !== "system"),
    };
    if (system) body.system = system;
    if (req.temperature !== undefined) body.temperature = req.temperature;
    const headers: Record<string, string> = { "anthropic-version": ANTHROPIC_VERSION };
    if (target.api_key) headers["x-api-key"] = target.api_key;
    const answer = await postJson({ url: url.value, headers, body, authHeaders: ["x-api-key"], label: "anthropic" }, target, deps);
    if (!answer.ok) return answer;
    const b = answer.value as { model?: unknown; content?: { type?: unknown; text?: unknown }[]; stop_reason?: unknown; usage?: { input_tokens?: unknown; output_tokens?: unknown } };
    if (!Array.isArray(b?.content)) return failure("invalid_response", "anthropic: the answer has no content blocks", false);
    const text = b.content.filter((c) => c?.type === "text" && typeof c.text === "string").map((c) => c.text as string).join("");
    const reason = typeof b.stop_reason === "string" ? (STOP_REASONS[b.stop_reason] ?? b.stop_reason) : null;
    return {
      ok: true,
      value: {
        text,
        finish_reason: reason,
        usage: { input_tokens: count(b.usage?.input_tokens), output_tokens: count(b.usage?.output_tokens) },
        model: typeof b.model === "string" ? b.model : req.model,
      },
    };
  },
  async embed() {
    return failure("ai_unsupported", "anthropic has no embeddings API; use provider openai (an OpenAI-compatible endpoint) or workers_ai for ai_embed", false);
  },
};
