/**
 * Workers AI through the `AI` binding (ports/ai-binding.ts), no HTTP:
 *   text generation: AI.run(model, {messages, max_tokens?, temperature?, response_format?})
 *     → {response: string (or the parsed object in JSON mode), usage?: {prompt_tokens, completion_tokens}}
 *     (models that answer in the OpenAI shape, with `choices`, are read as such)
 *   embeddings: AI.run(model, {text: [texts]}) → {shape: [n, dims], data: number[][]}
 * JSON mode: `response_format: {type: "json_schema", json_schema: <schema>}`.
 * A Worker without the binding fails the node with ai_not_configured.
 */
import { count, isVector, readChat } from "./openai";
import { truncate as truncateText } from "./http";
import { failure, type Provider, type ProviderDeps, type Result } from "./types";

export const WORKERS_AI_CHAT_MODEL = "@cf/meta/llama-3.1-8b-instruct";
export const WORKERS_AI_EMBED_MODEL = "@cf/baai/bge-base-en-v1.5";

async function run(deps: ProviderDeps, model: string, inputs: Record<string, unknown>): Promise<Result<unknown>> {
  if (!deps.ai) {
    return failure("ai_not_configured", 'provider workers_ai needs the Workers AI binding: add "ai": {"binding": "AI"} to the executor\'s wrangler.jsonc, or use provider openai or anthropic', false);
  }
  try {
    return { ok: true, value: await deps.ai.run(model, inputs) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // the binding throws for bad input and for capacity errors alike; capacity (3040) and 5xx-like messages retry
    const retryable = /capacity|rate|overloaded|timeout|internal|unavailable/i.test(message);
    return failure(retryable ? "http_error" : "invalid_response", `workers_ai: ${model} failed: ${truncateText(message)}`, retryable);
  }
}

export const workersAiProvider: Provider = {
  async chat(_target, req, deps) {
    const messages = [...(req.system ? [{ role: "system", content: req.system }] : []), ...req.messages];
    const inputs: Record<string, unknown> = { messages };
    if (req.max_tokens !== undefined) inputs.max_tokens = req.max_tokens;
    if (req.temperature !== undefined) inputs.temperature = req.temperature;
    if (req.json_schema) inputs.response_format = { type: "json_schema", json_schema: req.json_schema };
    const answer = await run(deps, req.model, inputs);
    if (!answer.ok) return answer;
    const b = answer.value as { response?: unknown; choices?: unknown; usage?: { prompt_tokens?: unknown; completion_tokens?: unknown }; finish_reason?: unknown };
    if (b && typeof b === "object" && Array.isArray(b.choices)) return readChat(b, req.model);
    if (!b || typeof b !== "object" || b.response === undefined) return failure("invalid_response", `workers_ai: ${req.model} answered without a response field`, false);
    const text = typeof b.response === "string" ? b.response : JSON.stringify(b.response);
    return {
      ok: true,
      value: {
        text,
        finish_reason: typeof b.finish_reason === "string" ? b.finish_reason : null,
        usage: { input_tokens: count(b.usage?.prompt_tokens), output_tokens: count(b.usage?.completion_tokens) },
        model: req.model,
      },
    };
  },
  async embed(_target, req, deps) {
    const answer = await run(deps, req.model, { text: req.texts });
    if (!answer.ok) return answer;
    const b = answer.value as { data?: unknown[]; usage?: { prompt_tokens?: unknown } };
    if (!b || !Array.isArray(b.data) || b.data.length !== req.texts.length || !b.data.every(isVector)) {
      return failure("invalid_response", `workers_ai: ${req.model} answered without data[] holding one vector per text`, false);
    }
    return { ok: true, value: { vectors: b.data as number[][], usage: { input_tokens: count(b.usage?.prompt_tokens) }, model: req.model } };
  },
};
