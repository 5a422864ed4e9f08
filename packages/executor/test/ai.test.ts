/**
 * The AI builtins in real workerd, through the executor: a small node:http server speaking
 * the OpenAI API (POST /v1/chat/completions, /v1/embeddings) on a free 127.0.0.1 port, reached
 * through the Worker's fetch and egress check (loopback declared literally in egress).
 * Runs examples/summarize_page.yaml and the ai_extract part of examples/triage_ticket.yaml
 * (its google_sheets_append node needs recipes in the resolver: not on this branch) with
 * base_url pointed at the fake.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parse, stringify } from "yaml";
import { jsonHeaders, startExecutor, yamlHeaders, type TestExecutor } from "@arcrun/local/host/test-executor";

const examples = new URL("../../../examples/", import.meta.url);
const PAGE = "<html><body><h1>Otters</h1><p>Sea otters hold hands while they sleep.</p></body></html>";

interface Seen { method?: string; path?: string; headers: IncomingMessage["headers"]; body: any }
const seen: Seen[] = [];
/** what the next chat completions answer (a queue; then a default) */
const chatAnswers: ((body: any) => { status: number; headers?: Record<string, string>; body: string })[] = [];
const completion = (content: string) => ({
  status: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ id: "chatcmpl-1", object: "chat.completion", model: "llama3.2:latest", choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }], usage: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 } }),
});

let server: Server;
let base = "";
let ex: TestExecutor;

before(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const body = raw ? JSON.parse(raw) : null;
      seen.push({ method: req.method, path: req.url, headers: req.headers, body });
      if (req.url === "/page") return void res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
      if (req.method === "POST" && req.url === "/v1/chat/completions") {
        const answer = (chatAnswers.shift() ?? (() => completion("A default answer.")))(body);
        return void res.writeHead(answer.status, answer.headers ?? {}).end(answer.body);
      }
      if (req.method === "POST" && req.url === "/v1/embeddings") {
        const data = (body.input as string[]).map((text, index) => ({ object: "embedding", index, embedding: [text.length, index, 0.5] }));
        return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", model: body.model, data, usage: { prompt_tokens: 3, total_tokens: 3 } }));
      }
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ex = await startExecutor();
});
after(async () => {
  await ex?.stop();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** an example with its model pointed at the fake server */
const example = (file: string) => readFileSync(new URL(file, examples), "utf8").replaceAll("http://127.0.0.1:11434/v1", `${base}/v1`);

async function runWorkflow(source: string, input: unknown) {
  const stored = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: source });
  assert.equal(stored.status, 201, JSON.stringify(stored.body));
  const { status, body } = await ex.json(`/webhooks/named/${stored.body.name}/query`, { method: "POST", headers: jsonHeaders, body: JSON.stringify(input) });
  assert.equal(status, 200, JSON.stringify(body));
  return body;
}
const node = (run: any, name: string) => run.nodes.find((n: any) => n.node === name);

describe("AI builtins in workerd against a fake OpenAI-compatible server", () => {
  test("examples/summarize_page.yaml: http_request → ai_chat; the request is the documented one", async () => {
    seen.length = 0;
    chatAnswers.push(() => completion("Sea otters hold hands while sleeping."));
    const run = await runWorkflow(example("summarize_page.yaml"), { url: `${base}/page` });
    assert.equal(run.status, "succeeded", JSON.stringify(run.nodes));
    assert.deepEqual(run.result, { summary: "Sea otters hold hands while sleeping.", model: "llama3.2:latest", tokens: 52 });
    const call = seen.find((s) => s.path === "/v1/chat/completions")!;
    assert.equal(call.method, "POST");
    assert.match(String(call.headers["content-type"]), /^application\/json/);
    assert.equal(call.headers.authorization, undefined, "no api_key, no Authorization");
    assert.equal(call.body.model, "llama3.2");
    assert.equal(call.body.temperature, 0.2);
    assert.equal(call.body.max_tokens, 300);
    assert.equal(call.body.messages[0].role, "system");
    assert.equal(call.body.messages[1].role, "user");
    assert.ok(call.body.messages[1].content.includes("Sea otters hold hands while they sleep."), call.body.messages[1].content);
    const trace = node(run, "summarize");
    assert.equal(trace.output.provider, "openai");
    assert.deepEqual(trace.output.usage, { input_tokens: 40, output_tokens: 12 });
    assert.equal(typeof trace.output.latency_ms, "number");
  });

  test("the ai_extract part of examples/triage_ticket.yaml: a repair round, then data valid against the schema", async () => {
    const wf = parse(example("triage_ticket.yaml"));
    delete wf.config.append;
    wf.flow = wf.flow.filter((edge: string) => !edge.includes("append"));
    seen.length = 0;
    chatAnswers.push(() => completion("Here is your ticket: title=Charged twice"));
    chatAnswers.push(() => completion('{"title":"Charged twice","category":"billing","priority":"urgent","summary":"The customer was billed twice this month."}'));
    const run = await runWorkflow(stringify(wf), { from: "ada@example.com", message: "I was charged twice this month!" });
    assert.equal(run.status, "succeeded", JSON.stringify(run.nodes));
    assert.deepEqual(run.result.data, { title: "Charged twice", category: "billing", priority: "urgent", summary: "The customer was billed twice this month." });
    assert.equal(run.result.repaired, true);
    const calls = seen.filter((s) => s.path === "/v1/chat/completions");
    assert.equal(calls.length, 2);
    assert.equal(calls[0].body.response_format.type, "json_schema");
    assert.deepEqual(calls[0].body.response_format.json_schema.schema, wf.config.triage.schema);
    assert.equal(calls[0].body.temperature, 0);
    assert.equal(calls[1].body.messages.at(-2).content, "Here is your ticket: title=Charged twice");
  });

  test("both answers invalid → the node fails with invalid_model_output and the raw text; the run answers 200", async () => {
    chatAnswers.push(() => completion("no"), () => completion('{"title": 3}'));
    const source = ["name: ai_bad_extract", `egress: ["127.0.0.1"]`, "flow: ['input >> ON_SUCCESS >> x']", "config:",
      `  x: {component: ai_extract, provider: openai, base_url: "${base}/v1", model: m, text: hi, schema: {type: object, required: [title], properties: {title: {type: string}}}}`].join("\n");
    const run = await runWorkflow(source, {});
    assert.equal(run.status, "failed");
    assert.equal(node(run, "x").error.code, "invalid_model_output");
    assert.equal(node(run, "x").error.details.raw, '{"title": 3}');
  });

  test("ai_embed: POST /v1/embeddings, one vector per text", async () => {
    seen.length = 0;
    const source = ["name: ai_embed_local", `egress: ["127.0.0.1"]`, `ai: {provider: openai, base_url: "${base}/v1", model: nomic-embed-text}`, "flow: ['input >> ON_SUCCESS >> e']", "config:",
      "  e: {component: ai_embed, texts: ['{{input.a}}', 'bb']}"].join("\n");
    const run = await runWorkflow(source, { a: "aaaa" });
    assert.equal(run.status, "succeeded", JSON.stringify(run.nodes));
    assert.deepEqual(run.result.vectors, [[4, 0, 0.5], [2, 1, 0.5]]);
    assert.equal(run.result.dimensions, 3);
    assert.deepEqual(seen[0].body, { model: "nomic-embed-text", input: ["aaaa", "bb"] });
  });

  test("provider failures are node failures: 429 with Retry-After honoured, 500 HTML, undeclared loopback, no AI binding", async () => {
    let first = 0;
    chatAnswers.push(() => ((first = Date.now()), { status: 429, headers: { "content-type": "application/json", "retry-after": "1" }, body: JSON.stringify({ error: { message: "Rate limit reached" } }) }));
    chatAnswers.push(() => ({ ...completion("after the wait"), body: completion(`after ${Date.now() - first} ms`).body }));
    const ok = await runWorkflow(["name: ai_429", `egress: ["127.0.0.1"]`, "flow: ['input >> ON_SUCCESS >> c']", "config:", `  c: {component: ai_chat, provider: openai, base_url: "${base}/v1", model: m, prompt: hi}`].join("\n"), {});
    assert.equal(ok.status, "succeeded", JSON.stringify(ok.nodes));
    assert.ok(Number(/after (\d+) ms/.exec(ok.result.text)?.[1]) >= 900, ok.result.text);

    for (let i = 0; i < 3; i++) chatAnswers.push(() => ({ status: 500, headers: { "content-type": "text/html" }, body: "<html><body>Internal Server Error</body></html>" }));
    const html = await runWorkflow(["name: ai_500", `egress: ["127.0.0.1"]`, "flow: ['input >> ON_SUCCESS >> c']", "config:", `  c: {component: ai_chat, provider: openai, base_url: "${base}/v1", model: m, prompt: hi}`].join("\n"), {});
    assert.equal(html.status, "failed");
    assert.equal(node(html, "c").error.code, "http_error");
    assert.match(node(html, "c").error.message, /answered 500: an HTML page instead of JSON/);

    const denied = await runWorkflow(["name: ai_denied", "flow: ['input >> ON_SUCCESS >> c']", "config:", `  c: {component: ai_chat, provider: openai, base_url: "${base}/v1", model: m, prompt: hi}`].join("\n"), {});
    assert.equal(node(denied, "c").error.code, "egress_denied");

    const unbound = await runWorkflow(["name: ai_unbound", "flow: ['input >> ON_SUCCESS >> c']", "config:", "  c: {component: ai_chat, provider: workers_ai, prompt: hi}"].join("\n"), {});
    assert.equal(node(unbound, "c").error.code, "ai_not_configured");
  });

  test("GET /components lists the AI builtins; a bad provider is refused at POST /workflows", async () => {
    const { body } = await ex.json("/components");
    for (const name of ["ai_chat", "ai_extract", "ai_embed"]) assert.equal(body.components.find((c: any) => c.name === name)?.source, "builtin", name);
    const bad = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: ["name: ai_bad", "flow: ['input >> ON_SUCCESS >> c']", "config:", "  c: {component: ai_chat, provider: gemini, prompt: hi}"].join("\n") });
    assert.equal(bad.status, 422);
    assert.match(JSON.stringify(bad.body), /provider/);
  });
});
