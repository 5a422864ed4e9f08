/**
 * The AI builtins against a fake fetch: each provider's request checked field by field against
 * its documentation (URL, method, headers, body), the answer mapping, ai_extract's repair
 * round, embeddings, 429/5xx/HTML/size-cap handling, and workers_ai through a fake AiBinding.
 *   OpenAI:    POST {base}/chat/completions, POST {base}/embeddings, Authorization: Bearer
 *   Anthropic: POST https://api.anthropic.com/v1/messages, x-api-key, anthropic-version: 2023-06-01
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createAiComponents, RAW_OUTPUT_CHARS, type AiDeps } from "./ai";
import { testContext } from "./test-context";
import { staticResolver } from "./index";
import { compileWorkflow } from "../workflow/compile";
import { executeWorkflow } from "../run/execute";
import type { Component, NodeOutcome } from "../components/types";
import type { AiBinding } from "../ports/ai-binding";

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** A fetch that answers from a queue and records each request. */
function fakeFetch(answers: (Response | (() => Response))[]) {
  const seen: Seen[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    seen.push({ url: String(input), method: init?.method ?? "GET", headers, body: JSON.parse(String(init?.body ?? "null")) });
    const next = answers.shift();
    if (!next) throw new Error("no more fake answers");
    return typeof next === "function" ? next() : next;
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const completion = (content: string, usage = { prompt_tokens: 11, completion_tokens: 7 }) =>
  json({ id: "chatcmpl-1", object: "chat.completion", model: "gpt-4o-mini-2024-07-18", choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } });

function components(deps: AiDeps = {}) {
  const sleeps: number[] = [];
  const list = createAiComponents({ sleep: async (ms) => void sleeps.push(ms), ...deps });
  const by = Object.fromEntries(list.map((c) => [c.name, c])) as Record<"ai_chat" | "ai_extract" | "ai_embed", Component>;
  return { ...by, sleeps };
}
const ok = (o: NodeOutcome) => (o.success ? (o.data as Record<string, any>) : assert.fail(`failed: ${JSON.stringify(o.error)}`));
const err = (o: NodeOutcome) => (o.success ? assert.fail(`expected failure, got ${JSON.stringify(o.data)}`) : o.error);

describe("ai_chat · openai", () => {
  test("POST /chat/completions with Bearer key, system first, temperature and max_tokens; answer mapped", async () => {
    const { fetch, seen } = fakeFetch([completion("Paris.")]);
    const { ai_chat } = components();
    const d = ok(await ai_chat.run({ provider: "openai", api_key: "sk-test", model: "gpt-4o-mini", system: "Be brief.", prompt: "Capital of France?", temperature: 0.2, max_tokens: 50 }, testContext({ fetch })));
    assert.equal(seen.length, 1);
    assert.equal(seen[0].url, "https://api.openai.com/v1/chat/completions");
    assert.equal(seen[0].method, "POST");
    assert.equal(seen[0].headers.authorization, "Bearer sk-test");
    assert.equal(seen[0].headers["content-type"], "application/json");
    assert.deepEqual(seen[0].body, {
      model: "gpt-4o-mini",
      messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Capital of France?" }],
      temperature: 0.2,
      max_tokens: 50,
    });
    assert.equal(d.text, "Paris.");
    assert.equal(d.finish_reason, "stop");
    assert.deepEqual(d.usage, { input_tokens: 11, output_tokens: 7 });
    assert.equal(d.model, "gpt-4o-mini-2024-07-18");
    assert.equal(d.provider, "openai");
    assert.equal(typeof d.latency_ms, "number");
  });

  test("messages are sent as given, prompt appended; no key → no Authorization (a local Ollama)", async () => {
    const { fetch, seen } = fakeFetch([completion("hi")]);
    const { ai_chat } = components();
    ok(await ai_chat.run({ provider: "openai", base_url: "http://127.0.0.1:11434/v1/", model: "llama3.2", messages: [{ role: "user", content: "a" }, { role: "assistant", content: "b" }], prompt: "c" }, testContext({ fetch, egress: ["127.0.0.1"] })));
    assert.equal(seen[0].url, "http://127.0.0.1:11434/v1/chat/completions");
    assert.equal(seen[0].headers.authorization, undefined);
    assert.deepEqual(seen[0].body.messages, [{ role: "user", content: "a" }, { role: "assistant", content: "b" }, { role: "user", content: "c" }]);
    assert.equal("temperature" in seen[0].body, false);
  });

  test("egress: a public base_url host counts as declared; 127.0.0.1 must be in egress literally", async () => {
    const { fetch, seen } = fakeFetch([completion("ok")]);
    const { ai_chat } = components();
    ok(await ai_chat.run({ provider: "openai", base_url: "https://api.groq.com/openai/v1", model: "m", prompt: "x" }, testContext({ fetch })));
    assert.equal(seen[0].url, "https://api.groq.com/openai/v1/chat/completions");
    const denied = err(await ai_chat.run({ provider: "openai", base_url: "http://127.0.0.1:11434/v1", model: "m", prompt: "x" }, testContext({ fetch })));
    assert.equal(denied.code, "egress_denied");
    assert.match(denied.message, /loopback/);
    assert.equal(seen.length, 1, "nothing sent to an undeclared loopback address");
  });

  test("bad parameters are invalid_input before any call", async () => {
    const { fetch, seen } = fakeFetch([]);
    const { ai_chat } = components();
    assert.match(err(await ai_chat.run({ prompt: "x" }, testContext({ fetch }))).message, /needs a provider/);
    assert.match(err(await ai_chat.run({ provider: "openai", prompt: "x" }, testContext({ fetch }))).message, /needs a model/);
    assert.equal(err(await ai_chat.run({ provider: "gemini", model: "m", prompt: "x" }, testContext({ fetch }))).code, "invalid_input");
    assert.match(err(await ai_chat.run({ provider: "openai", model: "m" }, testContext({ fetch }))).message, /ai_chat needs "prompt" or "messages"/);
    assert.equal(err(await ai_chat.run({ provider: "openai", model: "m", prompt: "x", temperature: 5 }, testContext({ fetch }))).code, "invalid_input");
    assert.equal(seen.length, 0);
  });
});

describe("ai_chat · anthropic", () => {
  test("POST /v1/messages with x-api-key and anthropic-version, system top-level, max_tokens defaulted; answer mapped", async () => {
    const { fetch, seen } = fakeFetch([json({ id: "msg_1", type: "message", role: "assistant", model: "claude-sonnet-4-5-20250929", content: [{ type: "text", text: "Bonjour" }, { type: "text", text: "!" }], stop_reason: "end_turn", usage: { input_tokens: 20, output_tokens: 3 } })]);
    const { ai_chat } = components();
    const d = ok(await ai_chat.run({ provider: "anthropic", api_key: "sk-ant-test", model: "claude-sonnet-4-5", system: "French only.", messages: [{ role: "system", content: "Be polite." }, { role: "user", content: "Hello" }], temperature: 0.5 }, testContext({ fetch })));
    assert.equal(seen[0].url, "https://api.anthropic.com/v1/messages");
    assert.equal(seen[0].method, "POST");
    assert.equal(seen[0].headers["x-api-key"], "sk-ant-test");
    assert.equal(seen[0].headers["anthropic-version"], "2023-06-01");
    assert.equal(seen[0].headers["content-type"], "application/json");
    assert.equal(seen[0].headers.authorization, undefined);
    assert.deepEqual(seen[0].body, { model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content: "Hello" }], system: "French only.\n\nBe polite.", temperature: 0.5 });
    assert.deepEqual({ text: d.text, finish_reason: d.finish_reason, usage: d.usage, model: d.model }, { text: "Bonjour!", finish_reason: "stop", usage: { input_tokens: 20, output_tokens: 3 }, model: "claude-sonnet-4-5-20250929" });
  });

  test("stop_reason max_tokens → length; the provider's error message is kept", async () => {
    const { fetch } = fakeFetch([
      json({ model: "m", content: [{ type: "text", text: "cut" }], stop_reason: "max_tokens", usage: { input_tokens: 1, output_tokens: 5 } }),
      json({ type: "error", error: { type: "invalid_request_error", message: "max_tokens: must be greater than 0" } }, 400),
    ]);
    const { ai_chat } = components();
    assert.equal(ok(await ai_chat.run({ provider: "anthropic", model: "m", prompt: "x", max_tokens: 5 }, testContext({ fetch }))).finish_reason, "length");
    const e = err(await ai_chat.run({ provider: "anthropic", model: "m", prompt: "x" }, testContext({ fetch })));
    assert.equal(e.code, "http_error");
    assert.equal(e.retryable, false);
    assert.match(e.message, /answered 400: max_tokens: must be greater than 0/);
  });

  test("ai_embed with anthropic → ai_unsupported, nothing sent", async () => {
    const { fetch, seen } = fakeFetch([]);
    const { ai_embed } = components();
    assert.equal(err(await ai_embed.run({ provider: "anthropic", model: "m", texts: ["a"] }, testContext({ fetch }))).code, "ai_unsupported");
    assert.equal(seen.length, 0);
  });
});

describe("provider failures are node failures, never throws", () => {
  test("429 with Retry-After waits that long and tries again", async () => {
    const { fetch, seen } = fakeFetch([json({ error: { message: "Rate limit reached" } }, 429, { "retry-after": "2" }), completion("done")]);
    const { ai_chat, sleeps } = components();
    assert.equal(ok(await ai_chat.run({ provider: "openai", model: "m", prompt: "x" }, testContext({ fetch }))).text, "done");
    assert.equal(seen.length, 2);
    assert.deepEqual(sleeps, [2000]);
  });

  test("429 every time → http_error, retryable, status and message; a Retry-After over the cap is not waited", async () => {
    const { fetch, seen } = fakeFetch([429, 429, 429].map(() => () => json({ error: { message: "Rate limit reached" } }, 429)));
    const { ai_chat, sleeps } = components();
    const e = err(await ai_chat.run({ provider: "openai", model: "m", prompt: "x" }, testContext({ fetch })));
    assert.equal(e.code, "http_error");
    assert.equal(e.retryable, true);
    assert.match(e.message, /answered 429: Rate limit reached/);
    assert.deepEqual(e.details, { status: 429, attempts: 3, message: "Rate limit reached" });
    assert.equal(seen.length, 3);
    assert.deepEqual(sleeps, [500, 1000]);

    const long = fakeFetch([json({ error: { message: "slow down" } }, 429, { "retry-after": "3600" })]);
    const e2 = err(await ai_chat.run({ provider: "openai", model: "m", prompt: "x" }, testContext({ fetch: long.fetch })));
    assert.equal(long.seen.length, 1);
    assert.match(e2.message, /asked to wait 3600 s/);
    assert.equal((e2.details as { retry_after_ms: number }).retry_after_ms, 3_600_000);
  });

  test("500 is retried, then fails with the status", async () => {
    const { fetch, seen } = fakeFetch([0, 0, 0].map(() => () => json({ error: { message: "The server had an error" } }, 500)));
    const e = err(await components().ai_chat.run({ provider: "openai", model: "m", prompt: "x" }, testContext({ fetch })));
    assert.equal(seen.length, 3);
    assert.equal(e.code, "http_error");
    assert.equal((e.details as { status: number }).status, 500);
    assert.match(e.message, /The server had an error/);
  });

  test("HTML instead of JSON: invalid_response on 200, a readable http_error on 502", async () => {
    const html = () => new Response("<!DOCTYPE html><html><body>Bad gateway</body></html>", { status: 200, headers: { "content-type": "text/html" } });
    const { fetch } = fakeFetch([html, () => new Response("<html>502</html>", { status: 502, headers: { "content-type": "text/html" } }), () => new Response("<html>502</html>", { status: 502 }), () => new Response("<html>502</html>", { status: 502 })]);
    const { ai_chat } = components();
    const e = err(await ai_chat.run({ provider: "openai", model: "m", prompt: "x" }, testContext({ fetch })));
    assert.equal(e.code, "invalid_response");
    assert.match(e.message, /HTML page instead of JSON/);
    const e2 = err(await ai_chat.run({ provider: "openai", model: "m", prompt: "x" }, testContext({ fetch })));
    assert.equal(e2.code, "http_error");
    assert.match(e2.message, /answered 502: an HTML page instead of JSON/);
  });

  test("a body over max_response_bytes → response_too_large", async () => {
    const { fetch } = fakeFetch([completion("x".repeat(5000))]);
    const e = err(await components().ai_chat.run({ provider: "openai", model: "m", prompt: "x", max_response_bytes: 1000 }, testContext({ fetch })));
    assert.equal(e.code, "response_too_large");
  });

  test("an answer without choices is invalid_response", async () => {
    const { fetch } = fakeFetch([json({ object: "list" })]);
    assert.equal(err(await components().ai_chat.run({ provider: "openai", model: "m", prompt: "x" }, testContext({ fetch }))).code, "invalid_response");
  });

  test("a fetch that throws is network_error after retries", async () => {
    const fetch = (async () => { throw new TypeError("connection refused"); }) as typeof globalThis.fetch;
    const e = err(await components().ai_chat.run({ provider: "openai", model: "m", prompt: "x" }, testContext({ fetch })));
    assert.equal(e.code, "network_error");
    assert.match(e.message, /connection refused/);
  });
});

const TICKET = { type: "object", required: ["title", "priority"], properties: { title: { type: "string" }, priority: { enum: ["low", "normal", "urgent"] } }, additionalProperties: false };

describe("ai_extract", () => {
  test("openai: response_format json_schema, schema in the system prompt; valid JSON on the first answer", async () => {
    const { fetch, seen } = fakeFetch([completion('{"title":"Login broken","priority":"urgent"}')]);
    const d = ok(await components().ai_extract.run({ provider: "openai", model: "m", schema: TICKET, text: "I can't log in!!! fix now" }, testContext({ fetch })));
    assert.deepEqual(d.data, { title: "Login broken", priority: "urgent" });
    assert.equal(d.repaired, false);
    assert.deepEqual(seen[0].body.response_format, { type: "json_schema", json_schema: { name: "extract", schema: TICKET } });
    const messages = seen[0].body.messages as { role: string; content: string }[];
    assert.equal(messages[0].role, "system");
    assert.ok(messages[0].content.includes(JSON.stringify(TICKET)));
    assert.deepEqual(messages[1], { role: "user", content: "Extract the data from this text:\nI can't log in!!! fix now" });
  });

  test("first answer invalid, second valid: one repair round with the problems; usage summed", async () => {
    const { fetch, seen } = fakeFetch([completion("Sure! Here it is: {title: Login}"), completion('```json\n{"title":"Login","priority":"normal"}\n```')]);
    const d = ok(await components().ai_extract.run({ provider: "openai", model: "m", schema: TICKET, prompt: "Make a ticket", text: "login fails", structured_output: false }, testContext({ fetch })));
    assert.deepEqual(d.data, { title: "Login", priority: "normal" });
    assert.equal(d.repaired, true);
    assert.deepEqual(d.usage, { input_tokens: 22, output_tokens: 14 });
    assert.equal("response_format" in seen[0].body, false, "structured_output: false sends no response_format");
    const second = seen[1].body.messages as { role: string; content: string }[];
    assert.deepEqual(second.slice(1, 3), [{ role: "user", content: "Make a ticket\n\nText:\nlogin fails" }, { role: "assistant", content: "Sure! Here it is: {title: Login}" }]);
    assert.match(second[3].content, /^That answer is not valid: not JSON/);
  });

  test("valid JSON failing the schema is repaired too; both invalid → invalid_model_output with the truncated raw text", async () => {
    const long = JSON.stringify({ title: "x".repeat(3000), priority: "whenever" });
    const { fetch, seen } = fakeFetch([completion('{"title":"a"}'), completion(long)]);
    const e = err(await components().ai_extract.run({ provider: "openai", model: "m", schema: TICKET, text: "t" }, testContext({ fetch })));
    assert.equal(seen.length, 2);
    assert.match((seen[1].body.messages as { content: string }[]).at(-1)!.content, /priority/);
    assert.equal(e.code, "invalid_model_output");
    const details = e.details as { raw: string; problems: string[] };
    assert.ok(details.raw.startsWith(long.slice(0, RAW_OUTPUT_CHARS)));
    assert.ok(details.raw.length < RAW_OUTPUT_CHARS + 40, `raw kept ${details.raw.length} chars`);
    assert.match(details.problems.join(" "), /priority/);
  });

  test("a schema the validator cannot read is invalid_input", async () => {
    const { fetch } = fakeFetch([]);
    const e = err(await components().ai_extract.run({ provider: "openai", model: "m", schema: { $ref: "#/nowhere" }, text: "t" }, testContext({ fetch })));
    assert.equal(e.code, "invalid_input");
  });
});

describe("ai_embed · openai", () => {
  test("POST /embeddings {model, input}; vectors in input order", async () => {
    const { fetch, seen } = fakeFetch([json({ object: "list", model: "text-embedding-3-small", data: [{ object: "embedding", index: 1, embedding: [0.3, 0.4] }, { object: "embedding", index: 0, embedding: [0.1, 0.2] }], usage: { prompt_tokens: 4, total_tokens: 4 } })]);
    const d = ok(await components().ai_embed.run({ provider: "openai", api_key: "k", model: "text-embedding-3-small", texts: ["a", "b"] }, testContext({ fetch })));
    assert.equal(seen[0].url, "https://api.openai.com/v1/embeddings");
    assert.equal(seen[0].headers.authorization, "Bearer k");
    assert.deepEqual(seen[0].body, { model: "text-embedding-3-small", input: ["a", "b"] });
    assert.deepEqual(d.vectors, [[0.1, 0.2], [0.3, 0.4]]);
    assert.equal(d.dimensions, 2);
    assert.deepEqual(d.usage, { input_tokens: 4 });
  });

  test("a vector count that does not match the texts is invalid_response", async () => {
    const { fetch } = fakeFetch([json({ data: [{ index: 0, embedding: [1] }] })]);
    assert.equal(err(await components().ai_embed.run({ provider: "openai", model: "m", texts: ["a", "b"] }, testContext({ fetch }))).code, "invalid_response");
  });
});

describe("workers_ai through the AI binding", () => {
  function fakeAi(answers: unknown[]): AiBinding & { calls: [string, Record<string, unknown>][] } {
    const calls: [string, Record<string, unknown>][] = [];
    return { calls, run: async (model, inputs) => { calls.push([model, inputs]); const next = answers.shift(); if (next instanceof Error) throw next; return next; } };
  }

  test("chat: run(model, {messages, max_tokens, temperature}); response and usage mapped; default model", async () => {
    const ai = fakeAi([{ response: "Hello", usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }]);
    const fetch = fakeFetch([]);
    const d = ok(await components({ ai }).ai_chat.run({ provider: "workers_ai", system: "s", prompt: "p", max_tokens: 9, temperature: 0.1 }, testContext({ fetch: fetch.fetch })));
    assert.deepEqual(ai.calls, [["@cf/meta/llama-3.1-8b-instruct", { messages: [{ role: "system", content: "s" }, { role: "user", content: "p" }], max_tokens: 9, temperature: 0.1 }]]);
    assert.deepEqual({ text: d.text, usage: d.usage, model: d.model, provider: d.provider }, { text: "Hello", usage: { input_tokens: 5, output_tokens: 1 }, model: "@cf/meta/llama-3.1-8b-instruct", provider: "workers_ai" });
    assert.equal(fetch.seen.length, 0, "no HTTP");
  });

  test("extract: response_format json_schema; an object response is accepted", async () => {
    const ai = fakeAi([{ response: { title: "T", priority: "low" } }]);
    const d = ok(await components({ ai }).ai_extract.run({ provider: "workers_ai", model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast", schema: TICKET, text: "t" }, testContext()));
    assert.deepEqual(ai.calls[0][1].response_format, { type: "json_schema", json_schema: TICKET });
    assert.deepEqual(d.data, { title: "T", priority: "low" });
  });

  test("embed: run(model, {text}) → data", async () => {
    const ai = fakeAi([{ shape: [2, 3], data: [[1, 2, 3], [4, 5, 6]] }]);
    const d = ok(await components({ ai }).ai_embed.run({ provider: "workers_ai", texts: ["a", "b"] }, testContext()));
    assert.deepEqual(ai.calls, [["@cf/baai/bge-base-en-v1.5", { text: ["a", "b"] }]]);
    assert.deepEqual(d.vectors, [[1, 2, 3], [4, 5, 6]]);
    assert.equal(d.dimensions, 3);
  });

  test("no binding → ai_not_configured; a binding that throws → a node failure", async () => {
    const e = err(await components().ai_chat.run({ provider: "workers_ai", prompt: "p" }, testContext()));
    assert.equal(e.code, "ai_not_configured");
    assert.match(e.message, /"ai": \{"binding": "AI"\}/);
    const ai = fakeAi([new Error("3040: Capacity temporarily exceeded")]);
    const e2 = err(await components({ ai }).ai_chat.run({ provider: "workers_ai", prompt: "p" }, testContext()));
    assert.equal(e2.code, "http_error");
    assert.equal(e2.retryable, true);
  });
});

describe("through the engine", () => {
  test("workflow-level ai defaults; the api_key is redacted in input, output and the provider's echoed error", async () => {
    const source = [
      "name: ai_defaults",
      "ai: {provider: openai, model: gpt-4o-mini, api_key: '{{credential.openai}}'}",
      "flow: ['input >> ON_SUCCESS >> ask', 'ask >> ON_SUCCESS >> again']",
      "config:",
      "  ask: {component: ai_chat, prompt: 'Say {{input.word}}'}",
      "  again: {component: ai_chat, model: gpt-4.1, prompt: 'Again'}",
    ].join("\n");
    const resolver = staticResolver(createAiComponents({ sleep: async () => {} }));
    const compiled = await compileWorkflow(source, { resolver });
    assert.ok(compiled.ok, JSON.stringify(!compiled.ok && compiled.issues));
    assert.deepEqual(compiled.workflow.ai, { provider: "openai", model: "gpt-4o-mini", api_key: "{{credential.openai}}" });
    const { fetch, seen } = fakeFetch([completion("hello sk-SECRET-123"), json({ error: { message: "Incorrect API key provided: sk-SECRET-123" } }, 401)]);
    const record = await executeWorkflow(compiled.workflow, { resolver, fetch, input: { word: "hello" }, secrets: { get: async (name) => (name === "openai" ? "sk-SECRET-123" : undefined) } });
    assert.equal(seen[0].headers.authorization, "Bearer sk-SECRET-123");
    assert.equal(seen[0].body.model, "gpt-4o-mini");
    assert.equal(seen[1].body.model, "gpt-4.1", "the node's own model wins");
    const nodes = Object.fromEntries(record.nodes.map((n) => [n.node, n]));
    assert.equal(nodes.ask.status, "succeeded");
    assert.equal((nodes.ask.input as Record<string, unknown>).api_key, "[redacted:openai]");
    assert.equal((nodes.ask.output as Record<string, unknown>).text, "hello [redacted:openai]");
    assert.equal(nodes.again.status, "failed");
    assert.equal(nodes.again.error?.code, "http_error");
    assert.match(nodes.again.error?.message ?? "", /401: Incorrect API key provided: \[redacted:openai\]/);
    assert.ok(!JSON.stringify(record).includes("sk-SECRET-123"));
  });

  test("acr validate's checks: a bad provider and a missing prompt are workflow issues", async () => {
    const resolver = staticResolver(createAiComponents());
    const bad = await compileWorkflow(["name: bad_ai", "flow: ['input >> ON_SUCCESS >> ask']", "config:", "  ask: {component: ai_chat, provider: gemini, prompt: hi}"].join("\n"), { resolver });
    assert.equal(bad.ok, false);
    assert.match(JSON.stringify(!bad.ok && bad.issues), /provider/);
    const noPrompt = await compileWorkflow(["name: bad_ai", "flow: ['input >> ON_SUCCESS >> ask']", "config:", "  ask: {component: ai_chat, provider: openai}"].join("\n"), { resolver });
    assert.equal(noPrompt.ok, false);
    const noSchema = await compileWorkflow(["name: bad_ai", "flow: ['input >> ON_SUCCESS >> ask']", "config:", "  ask: {component: ai_extract, provider: openai, text: hi}"].join("\n"), { resolver });
    assert.match(JSON.stringify(!noSchema.ok && noSchema.issues), /missing required input \\"schema\\"/);
    const badTop = await compileWorkflow(["name: bad_ai", "ai: {provider: gemini}", "flow: ['input >> ON_SUCCESS >> ask']", "config:", "  ask: {component: ai_chat, prompt: hi}"].join("\n"), { resolver });
    assert.equal(badTop.ok, false);
  });
});
