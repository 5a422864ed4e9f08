/**
 * Any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, OpenRouter, Groq, LM Studio):
 *   POST {base_url}/chat/completions  {model, messages, temperature?, max_tokens?, response_format?}
 *        → {model, choices: [{message: {content}, finish_reason}], usage: {prompt_tokens, completion_tokens}}
 *   POST {base_url}/embeddings        {model, input: [texts]}
 *        → {model, data: [{index, embedding}], usage: {prompt_tokens}}
 * Authorization: Bearer <api_key> (left out when no key is given: a local Ollama needs none).
 * ai_extract sends `response_format: {type: "json_schema", json_schema: {name, schema}}`
 * unless the node says `structured_output: false` (endpoints that reject it).
 */
import { postJson } from "./http";
import { failure, type ChatAnswer, type EmbedAnswer, type Provider, type ProviderTarget, type Result } from "./types";

export const OPENAI_BASE_URL = "https://api.openai.com/v1";

export function endpoint(target: ProviderTarget, base: string, path: string): Result<URL> {
  const text = (target.base_url ?? base).replace(/\/+$/, "");
  try {
    return { ok: true, value: new URL(`${text}${path}`) };
  } catch {
    return failure("invalid_input", `base_url "${target.base_url}" is not a full URL; write it with its scheme, e.g. ${base}`, false);
  }
}

function authHeaders(target: ProviderTarget): Record<string, string> {
  return target.api_key ? { authorization: `Bearer ${target.api_key}` } : {};
}

export const openaiProvider: Provider = {
  async chat(target, req, deps) {
    const url = endpoint(target, OPENAI_BASE_URL, "/chat/completions");
    if (!url.ok) return url;
    const messages = [...(req.system ? [{ role: "system", content: req.system }] : []), ...req.messages];
    const body: Record<string, unknown> = { model: req.model, messages };
    if (req.temperature !== undefined) body.temperature = req.temperature;
    if (req.max_tokens !== undefined) body.max_tokens = req.max_tokens;
    if (req.json_schema) body.response_format = { type: "json_schema", json_schema: { name: "extract", schema: req.json_schema } };
    const answer = await postJson({ url: url.value, headers: authHeaders(target), body, authHeaders: ["authorization"], label: "openai" }, target, deps);
    if (!answer.ok) return answer;
    return readChat(answer.value, req.model);
  },
  async embed(target, req, deps) {
    const url = endpoint(target, OPENAI_BASE_URL, "/embeddings");
    if (!url.ok) return url;
    const answer = await postJson({ url: url.value, headers: authHeaders(target), body: { model: req.model, input: req.texts }, authHeaders: ["authorization"], label: "openai" }, target, deps);
    if (!answer.ok) return answer;
    return readEmbeddings(answer.value, req.model, req.texts.length);
  },
};

/** An OpenAI chat completion (also what newer Workers AI models answer). */
export function readChat(body: unknown, model: string): Result<ChatAnswer> {
  const b = body as { model?: unknown; choices?: { message?: { content?: unknown }; finish_reason?: unknown }[]; usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } };
  const choice = Array.isArray(b?.choices) ? b.choices[0] : undefined;
  const content = choice?.message?.content;
  if (!choice || (typeof content !== "string" && content !== null)) {
    return failure("invalid_response", "openai: the answer has no choices[0].message.content", false);
  }
  return {
    ok: true,
    value: {
      text: content ?? "",
      finish_reason: typeof choice.finish_reason === "string" ? choice.finish_reason : null,
      usage: { input_tokens: count(b.usage?.prompt_tokens), output_tokens: count(b.usage?.completion_tokens) },
      model: typeof b.model === "string" ? b.model : model,
    },
  };
}

function readEmbeddings(body: unknown, model: string, expected: number): Result<EmbedAnswer> {
  const b = body as { model?: unknown; data?: { index?: unknown; embedding?: unknown }[]; usage?: { prompt_tokens?: unknown } };
  if (!Array.isArray(b?.data) || b.data.length !== expected || !b.data.every((d) => isVector(d?.embedding))) {
    return failure("invalid_response", `openai: the answer has no data[].embedding for each of the ${expected} texts`, false);
  }
  const sorted = [...b.data].sort((x, y) => Number(x.index ?? 0) - Number(y.index ?? 0));
  return { ok: true, value: { vectors: sorted.map((d) => d.embedding as number[]), usage: { input_tokens: count(b.usage?.prompt_tokens) }, model: typeof b.model === "string" ? b.model : model } };
}

export function isVector(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((n) => typeof n === "number");
}

export function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : 0;
}
