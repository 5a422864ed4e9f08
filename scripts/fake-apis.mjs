#!/usr/bin/env node
// Fake Telegram, Slack and OpenAI-compatible APIs for offline demos and tests. It speaks each
// API's documented protocol for the calls arcrun's recipes make, and prints every request it
// receives. Point the local server at it with ARCRUN_OUTBOUND_PROXY (requests then arrive in
// absolute form, `POST https://api.telegram.org/bot<token>/sendMessage`, with the original Host):
//
//   node scripts/fake-apis.mjs                 # listens on 127.0.0.1:8790 (PORT=... to change)
//   ARCRUN_OUTBOUND_PROXY=http://127.0.0.1:8790 npm start
//
//   api.telegram.org  POST /bot<token>/sendMessage           → {ok: true, result: Message}
//   slack.com         POST /api/chat.postMessage (Bearer)    → {ok: true, channel, ts, message}
//   api.openai.com    POST /v1/chat/completions (Bearer)     → one choice echoing the last message
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";

/** Starts the fake; `received` lists every request (host, method, path, headers, body). */
export function startFakeApis({ port = 0, host = "127.0.0.1", log = () => {} } = {}) {
  const received = [];
  let messageId = 0;
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    const apiHost = (req.headers.host ?? url.host).replace(/:443$/, "");
    let body;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const entry = { host: apiHost, method: req.method, path: url.pathname, query: url.search, headers: req.headers, body };
    received.push(entry);
    log(`${req.method} https://${apiHost}${url.pathname}${url.search} ${text}`);
    const answer = (status, value) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (apiHost === "api.telegram.org") {
      const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
      if (!m) return answer(404, { ok: false, error_code: 404, description: "Not Found" });
      if (m[2] !== "sendMessage") return answer(404, { ok: false, error_code: 404, description: "Not Found: method not found" });
      if (!body?.chat_id || !body?.text) return answer(400, { ok: false, error_code: 400, description: "Bad Request: message text is empty" });
      return answer(200, { ok: true, result: { message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat: { id: body.chat_id }, text: body.text } });
    }
    if (apiHost === "slack.com") {
      if (url.pathname !== "/api/chat.postMessage") return answer(200, { ok: false, error: "unknown_method" });
      if (!bearer) return answer(200, { ok: false, error: "not_authed" });
      if (!body?.channel) return answer(200, { ok: false, error: "channel_not_found" });
      return answer(200, { ok: true, channel: body.channel, ts: `${Math.floor(Date.now() / 1000)}.000${++messageId}`, message: { type: "message", text: body.text } });
    }
    if (apiHost === "api.openai.com" && url.pathname === "/v1/chat/completions") {
      if (!bearer) return answer(401, { error: { message: "You didn't provide an API key.", type: "invalid_request_error" } });
      const last = body?.messages?.at(-1)?.content ?? "";
      return answer(200, {
        id: `chatcmpl-fake-${++messageId}`, object: "chat.completion", created: Math.floor(Date.now() / 1000), model: body?.model ?? "fake",
        choices: [{ index: 0, message: { role: "assistant", content: `You said: ${last}` }, finish_reason: "stop" }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      });
    }
    return answer(404, { error: `fake-apis does not know ${apiHost}${url.pathname}` });
  });
  return new Promise((resolve) =>
    server.listen(port, host, () => resolve({ port: server.address().port, received, close: () => new Promise((r) => server.close(() => r())) })),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const port = Number(process.env.PORT ?? 8790);
  const fake = await startFakeApis({ port, log: (line) => console.log(line) });
  console.log(`fake Telegram / Slack / OpenAI APIs on http://127.0.0.1:${fake.port}`);
  console.log(`start the local server with ARCRUN_OUTBOUND_PROXY=http://127.0.0.1:${fake.port} npm start`);
}
