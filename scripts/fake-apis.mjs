#!/usr/bin/env node
// Fake third-party APIs for offline demos and tests: one server that speaks each API's documented
// protocol for the calls arcrun's standard recipes and AI providers make (status codes, error
// bodies, required headers), and prints every request it receives. Point the local server at it
// with ARCRUN_OUTBOUND_PROXY (requests then arrive in absolute form,
// `POST https://api.telegram.org/bot<token>/sendMessage`, with the original Host):
//
//   node scripts/fake-apis.mjs                 # listens on 127.0.0.1:8790 (PORT=... to change)
//   ARCRUN_OUTBOUND_PROXY=http://127.0.0.1:8790 npm start
//
//   api.telegram.org      POST /bot<token>/sendMessage                     → {ok, result: Message}
//   slack.com             POST /api/chat.postMessage (Bearer)              → {ok, channel, ts, message}
//   api.line.me           POST /v2/bot/message/push (Bearer)               → {sentMessages}
//   oauth2.googleapis.com POST /token (refresh_token grant; RS256 JWT bearer grant, verified
//                         with the service account's public key from `serviceAccounts`)
//   sheets.googleapis.com POST /v4/spreadsheets/<id>/values/<range>:append  → {spreadsheetId, tableRange, updates}
//   gmail.googleapis.com  POST /gmail/v1/users/<user>/messages/send {raw}  → {id, threadId, labelIds}
//   discord.com           POST /api/webhooks/<id>/<token>[?wait=true]      → 204, or the message
//   api.github.com        POST /repos/<owner>/<repo>/issues                → 201 issue
//                         GET  /repos/<owner>/<repo>/issues?per_page&page → 5 issues, paged with a Link header
//   api.notion.com        POST /v1/pages (Notion-Version)                  → page
//   api.resend.com        POST /emails                                     → {id}
//   api.anthropic.com     POST /v1/messages (x-api-key, anthropic-version) → message
//   any host              POST …/chat/completions, …/embeddings (OpenAI-compatible; a key is
//                         required on api.openai.com); json_schema answers are built from the schema
//   hooks.example.com     anything → 200 "ok" (a generic webhook receiver)
//
// Tests may queue answers that come before the normal one: `fake.queue("POST discord.com/api/webhooks/1/t", {status: 429, ...})`.
import { createServer } from "node:http";
import { createVerify, randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";

/**
 * Starts the fake. `received` lists every request (host, method, path, query, headers, body,
 * text); `tokens` the Google token requests (grant, claims of a JWT).
 * `serviceAccounts`: client_email → public key PEM (a JWT from any other issuer is refused).
 */
export function startFakeApis({ port = 0, host = "127.0.0.1", log = () => {}, serviceAccounts = {} } = {}) {
  const received = [];
  const tokens = [];
  const queued = new Map();
  const issued = new Set();
  const sheets = new Map();
  let counter = 0;
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    const apiHost = (req.headers.host ?? url.host).replace(/:443$/, "");
    let body;
    try {
      body = text && /json/.test(req.headers["content-type"] ?? "json") ? JSON.parse(text) : text || undefined;
    } catch {
      body = text;
    }
    const entry = { host: apiHost, method: req.method, path: url.pathname, query: url.search, headers: req.headers, body, text, at: Date.now() };
    received.push(entry);
    log(`${req.method} https://${apiHost}${url.pathname}${url.search} ${text}`);
    const send = (status, value, headers = {}) => {
      const isText = typeof value === "string";
      res.writeHead(status, { ...(value === undefined ? {} : { "content-type": isText ? "text/plain" : "application/json" }), ...headers });
      res.end(value === undefined ? undefined : isText ? value : JSON.stringify(value));
    };
    const forced = queued.get(`${req.method} ${apiHost}${url.pathname}`);
    if (forced?.length) {
      const next = forced.shift();
      return send(next.status ?? 200, next.body, next.headers);
    }
    const ctx = { req, url, host: apiHost, body, text, send, bearer: /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1], next: () => ++counter, issued, tokens, serviceAccounts, sheets };
    const handler = HOSTS[apiHost] ?? (/\/(chat\/completions|embeddings)$/.test(url.pathname) ? openaiCompatible : undefined);
    if (!handler) return send(404, { error: `fake-apis does not know ${apiHost}${url.pathname}` });
    return handler(ctx);
  });
  return new Promise((resolve) =>
    server.listen(port, host, () =>
      resolve({
        port: server.address().port,
        received,
        tokens,
        /** rows appended per spreadsheet id */
        sheets,
        /** answers given before the normal one, for "METHOD host/path" */
        queue(key, ...answers) {
          queued.set(key, [...(queued.get(key) ?? []), ...answers]);
        },
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

const now = () => Math.floor(Date.now() / 1000);
const json = (ctx) => /^application\/json\b/.test(ctx.req.headers["content-type"] ?? "");

const HOSTS = {
  // https://core.telegram.org/bots/api#making-requests
  "api.telegram.org"(ctx) {
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(ctx.url.pathname);
    if (!m) return ctx.send(404, { ok: false, error_code: 404, description: "Not Found" });
    if (!/^\d+:[\w-]+$/.test(decodeURIComponent(m[1]))) return ctx.send(401, { ok: false, error_code: 401, description: "Unauthorized" });
    if (m[2] !== "sendMessage") return ctx.send(404, { ok: false, error_code: 404, description: "Not Found: method not found" });
    const b = ctx.body ?? {};
    if (!b.chat_id) return ctx.send(400, { ok: false, error_code: 400, description: "Bad Request: chat_id is empty" });
    if (!b.text) return ctx.send(400, { ok: false, error_code: 400, description: "Bad Request: message text is empty" });
    return ctx.send(200, { ok: true, result: { message_id: ctx.next(), date: now(), chat: { id: b.chat_id }, text: b.text } });
  },
  // https://api.slack.com/methods/chat.postMessage
  "slack.com"(ctx) {
    if (ctx.url.pathname !== "/api/chat.postMessage") return ctx.send(200, { ok: false, error: "unknown_method" });
    if (!ctx.bearer) return ctx.send(200, { ok: false, error: "not_authed" });
    if (!ctx.body?.channel) return ctx.send(200, { ok: false, error: "channel_not_found" });
    return ctx.send(200, { ok: true, channel: ctx.body.channel, ts: `${now()}.000${ctx.next()}`, message: { type: "message", text: ctx.body.text } });
  },
  // https://developers.line.biz/en/reference/messaging-api/#send-push-message
  "api.line.me"(ctx) {
    if (ctx.req.method !== "POST" || ctx.url.pathname !== "/v2/bot/message/push") return ctx.send(404, { message: "Not found" });
    if (!ctx.bearer) return ctx.send(401, { message: "Authentication failed. Confirm that the access token in the authorization header is valid." });
    const retryKey = ctx.req.headers["x-line-retry-key"];
    if (retryKey !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(retryKey)) return ctx.send(400, { message: "The retry key is invalid" });
    const b = ctx.body ?? {};
    const problems = [];
    if (typeof b.to !== "string" || !b.to) problems.push({ message: "must be specified", property: "to" });
    if (!Array.isArray(b.messages) || b.messages.length < 1 || b.messages.length > 5) problems.push({ message: "Size must be between 1 and 5", property: "messages" });
    else b.messages.forEach((m, i) => m?.type === "text" && !m.text && problems.push({ message: "must be specified", property: `messages[${i}].text` }));
    if (problems.length) return ctx.send(400, { message: `The request body has ${problems.length} error(s)`, details: problems });
    return ctx.send(200, { sentMessages: b.messages.map(() => ({ id: String(461230966842064900n + BigInt(ctx.next())), quoteToken: `q${ctx.next()}` })) });
  },
  // https://developers.google.com/identity/protocols/oauth2/web-server#offline and /service-account#httprest
  "oauth2.googleapis.com"(ctx) {
    if (ctx.req.method !== "POST" || ctx.url.pathname !== "/token") return ctx.send(404, { error: "not_found" });
    if (!/^application\/x-www-form-urlencoded\b/.test(ctx.req.headers["content-type"] ?? "")) return ctx.send(400, { error: "invalid_request", error_description: "Bad Request" });
    const form = new URLSearchParams(ctx.text);
    const grant = form.get("grant_type");
    const issue = (scope) => {
      const access_token = `ya29.fake-${ctx.next()}-${randomUUID()}`;
      ctx.issued.add(access_token);
      return ctx.send(200, { access_token, expires_in: 3599, token_type: "Bearer", ...(scope ? { scope } : {}) });
    };
    if (grant === "refresh_token") {
      const record = { grant, client_id: form.get("client_id"), client_secret: form.get("client_secret"), refresh_token: form.get("refresh_token"), scope: form.get("scope") };
      ctx.tokens.push(record);
      if (!record.client_id || !record.refresh_token) return ctx.send(400, { error: "invalid_request", error_description: "Missing required parameter: refresh_token" });
      if (/revoked/.test(record.refresh_token)) return ctx.send(400, { error: "invalid_grant", error_description: "Token has been expired or revoked." });
      return issue(record.scope);
    }
    if (grant === "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      const assertion = form.get("assertion") ?? "";
      const [h, c, s] = assertion.split(".");
      let header, claims;
      try {
        header = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
        claims = JSON.parse(Buffer.from(c, "base64url").toString("utf8"));
      } catch {
        return ctx.send(400, { error: "invalid_grant", error_description: "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe" });
      }
      const publicKey = ctx.serviceAccounts[claims.iss];
      const verified = Boolean(publicKey && s && createVerify("RSA-SHA256").update(`${h}.${c}`).verify(publicKey, Buffer.from(s, "base64url")));
      ctx.tokens.push({ grant, header, claims, verified });
      if (header.alg !== "RS256") return ctx.send(400, { error: "invalid_grant", error_description: "Invalid JWT: alg must be RS256" });
      if (!publicKey) return ctx.send(400, { error: "invalid_grant", error_description: "Invalid grant: account not found" });
      if (!verified) return ctx.send(400, { error: "invalid_grant", error_description: "Invalid JWT Signature." });
      if (claims.aud !== "https://oauth2.googleapis.com/token") return ctx.send(400, { error: "invalid_grant", error_description: "Invalid JWT: Failed audience check." });
      if (!(claims.iat <= now() + 60 && claims.exp > now() && claims.exp - claims.iat <= 3600)) {
        return ctx.send(400, { error: "invalid_grant", error_description: "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe." });
      }
      if (!claims.scope) return ctx.send(400, { error: "invalid_scope", error_description: "Invalid OAuth scope or ID token audience provided." });
      return issue(claims.scope);
    }
    return ctx.send(400, { error: "unsupported_grant_type", error_description: `Invalid grant_type: ${grant ?? ""}` });
  },
  // https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/append
  "sheets.googleapis.com"(ctx) {
    if (!googleAuthorized(ctx)) return;
    const m = /^\/v4\/spreadsheets\/([^/]+)\/values\/([^/]+):append$/.exec(ctx.url.pathname);
    if (ctx.req.method !== "POST" || !m) return googleError(ctx, 404, "NOT_FOUND", "Requested entity was not found.");
    const option = ctx.url.searchParams.get("valueInputOption");
    if (!["RAW", "USER_ENTERED"].includes(option ?? "")) return googleError(ctx, 400, "INVALID_ARGUMENT", `Invalid valueInputOption: '${option ?? ""}'`);
    if (!json(ctx) || !Array.isArray(ctx.body?.values)) return googleError(ctx, 400, "INVALID_ARGUMENT", "Invalid JSON payload received. 'values' must be a list of lists.");
    const [id, range] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])];
    const sheet = range.split("!")[0];
    const rows = ctx.sheets.get(id) ?? [];
    const start = rows.length + 1;
    rows.push(...ctx.body.values);
    ctx.sheets.set(id, rows);
    const cols = Math.max(...ctx.body.values.map((r) => r.length));
    const lastCol = String.fromCharCode(64 + cols);
    return ctx.send(200, {
      spreadsheetId: id,
      tableRange: `${sheet}!A1:${lastCol}${start - 1 || 1}`,
      updates: { spreadsheetId: id, updatedRange: `${sheet}!A${start}:${lastCol}${rows.length}`, updatedRows: ctx.body.values.length, updatedColumns: cols, updatedCells: ctx.body.values.reduce((n, r) => n + r.length, 0) },
    });
  },
  // https://developers.google.com/gmail/api/reference/rest/v1/users.messages/send
  "gmail.googleapis.com"(ctx) {
    if (!googleAuthorized(ctx)) return;
    const m = /^\/gmail\/v1\/users\/([^/]+)\/messages\/send$/.exec(ctx.url.pathname);
    if (ctx.req.method !== "POST" || !m) return googleError(ctx, 404, "NOT_FOUND", "Requested entity was not found.");
    const raw = ctx.body?.raw;
    if (typeof raw !== "string" || !/^[A-Za-z0-9_-]+=*$/.test(raw)) return googleError(ctx, 400, "INVALID_ARGUMENT", "Invalid value for ByteString: raw must be base64url");
    const message = Buffer.from(raw, "base64url").toString("utf8");
    const [head] = message.split("\r\n\r\n");
    if (!/^To: .+/im.test(head ?? "")) return googleError(ctx, 400, "FAILED_PRECONDITION", "Recipient address required");
    const id = (0x18c0000000 + ctx.next()).toString(16);
    return ctx.send(200, { id, threadId: id, labelIds: ["SENT"] });
  },
  // https://discord.com/developers/docs/resources/webhook#execute-webhook
  "discord.com"(ctx) {
    const m = /^\/api\/webhooks\/(\d+)\/([\w-]+)$/.exec(ctx.url.pathname);
    if (ctx.req.method !== "POST" || !m) return ctx.send(404, { message: "404: Not Found", code: 0 });
    const b = ctx.body ?? {};
    if (!b.content && !(Array.isArray(b.embeds) && b.embeds.length)) return ctx.send(400, { message: "Cannot send an empty message", code: 50006 });
    if (ctx.url.searchParams.get("wait") !== "true") return ctx.send(204);
    return ctx.send(200, { id: String(1200000000000000000n + BigInt(ctx.next())), type: 0, channel_id: "1100000000000000000", webhook_id: m[1], content: b.content ?? "", timestamp: new Date().toISOString() });
  },
  // https://docs.github.com/en/rest/issues/issues#create-an-issue
  "api.github.com"(ctx) {
    if (!ctx.req.headers["user-agent"]) return ctx.send(403, { message: "Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required)." });
    if (!ctx.bearer) return ctx.send(401, { message: "Requires authentication", documentation_url: "https://docs.github.com/rest", status: "401" });
    const m = /^\/repos\/([\w.-]+)\/([\w.-]+)\/issues$/.exec(ctx.url.pathname);
    if (!m || !["GET", "POST"].includes(ctx.req.method)) return ctx.send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
    if (ctx.req.method === "GET") {
      // https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api
      const perPage = Number(ctx.url.searchParams.get("per_page") ?? 30);
      const page = Number(ctx.url.searchParams.get("page") ?? 1);
      const all = Array.from({ length: 5 }, (_, i) => ({ number: i + 1, title: `Issue ${i + 1}`, state: "open" }));
      const items = all.slice((page - 1) * perPage, page * perPage);
      const last = Math.ceil(all.length / perPage);
      const link = (p, rel) => `<https://api.github.com/repos/${m[1]}/${m[2]}/issues?per_page=${perPage}&page=${p}>; rel="${rel}"`;
      const links = [...(page < last ? [link(page + 1, "next"), link(last, "last")] : []), ...(page > 1 ? [link(1, "first"), link(page - 1, "prev")] : [])];
      return ctx.send(200, items, links.length ? { link: links.join(", ") } : {});
    }
    if (!ctx.body?.title) return ctx.send(422, { message: "Validation Failed", errors: [{ resource: "Issue", code: "missing_field", field: "title" }], status: "422" });
    const number = ctx.next();
    return ctx.send(201, {
      id: 1000 + number, number, state: "open", title: ctx.body.title, body: ctx.body.body ?? null,
      labels: (ctx.body.labels ?? []).map((name) => ({ name })), assignees: (ctx.body.assignees ?? []).map((login) => ({ login })),
      html_url: `https://github.com/${m[1]}/${m[2]}/issues/${number}`, url: `https://api.github.com/repos/${m[1]}/${m[2]}/issues/${number}`,
    });
  },
  // https://developers.notion.com/reference/post-page
  "api.notion.com"(ctx) {
    if (!ctx.bearer) return ctx.send(401, { object: "error", status: 401, code: "unauthorized", message: "API token is invalid." });
    if (!ctx.req.headers["notion-version"]) return ctx.send(400, { object: "error", status: 400, code: "missing_version", message: "Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`." });
    if (ctx.req.method !== "POST" || ctx.url.pathname !== "/v1/pages") return ctx.send(400, { object: "error", status: 400, code: "invalid_request_url", message: "Invalid request URL." });
    const b = ctx.body ?? {};
    if (!b.parent || typeof b.parent !== "object") return ctx.send(400, { object: "error", status: 400, code: "validation_error", message: "body failed validation: body.parent should be defined, instead was `undefined`." });
    const id = randomUUID();
    return ctx.send(200, { object: "page", id, created_time: new Date().toISOString(), parent: b.parent, properties: b.properties ?? {}, url: `https://www.notion.so/${id.replaceAll("-", "")}` });
  },
  // https://resend.com/docs/api-reference/emails/send-email
  "api.resend.com"(ctx) {
    if (!ctx.bearer) return ctx.send(401, { statusCode: 401, name: "missing_api_key", message: "Missing API key in the authorization header. Include the following header in the request: Authorization: Bearer YOUR_API_KEY" });
    if (ctx.req.method !== "POST" || ctx.url.pathname !== "/emails") return ctx.send(404, { statusCode: 404, name: "not_found", message: "The requested endpoint does not exist." });
    for (const field of ["from", "to", "subject"]) if (!ctx.body?.[field]) return ctx.send(422, { statusCode: 422, name: "validation_error", message: `Missing \`${field}\` field.` });
    return ctx.send(200, { id: randomUUID() });
  },
  // https://docs.anthropic.com/en/api/messages
  "api.anthropic.com"(ctx) {
    if (ctx.req.method !== "POST" || ctx.url.pathname !== "/v1/messages") return ctx.send(404, { type: "error", error: { type: "not_found_error", message: "Not Found" } });
    if (!ctx.req.headers["x-api-key"]) return ctx.send(401, { type: "error", error: { type: "authentication_error", message: "x-api-key header is required" } });
    if (!ctx.req.headers["anthropic-version"]) return ctx.send(400, { type: "error", error: { type: "invalid_request_error", message: "anthropic-version: header is required" } });
    const b = ctx.body ?? {};
    if (!b.model || !Number.isInteger(b.max_tokens) || !Array.isArray(b.messages)) return ctx.send(400, { type: "error", error: { type: "invalid_request_error", message: "model, max_tokens and messages are required" } });
    if (b.messages.some((m) => m.role === "system")) return ctx.send(400, { type: "error", error: { type: "invalid_request_error", message: 'messages: Unexpected role "system". Use the top-level `system` parameter.' } });
    const last = b.messages.at(-1)?.content ?? "";
    const text = `You said: ${typeof last === "string" ? last : JSON.stringify(last)}`;
    return ctx.send(200, { id: `msg_fake${ctx.next()}`, type: "message", role: "assistant", model: b.model, content: [{ type: "text", text }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 5, output_tokens: 4 } });
  },
  "hooks.example.com"(ctx) {
    return ctx.send(200, "ok");
  },
};

function googleError(ctx, code, status, message) {
  ctx.send(code, { error: { code, message, status } });
}

function googleAuthorized(ctx) {
  if (ctx.bearer && ctx.issued.has(ctx.bearer)) return true;
  googleError(ctx, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.");
  return false;
}

// https://platform.openai.com/docs/api-reference/chat/create and /embeddings/create
function openaiCompatible(ctx) {
  if (ctx.req.method !== "POST") return ctx.send(405, { error: { message: "Method not allowed", type: "invalid_request_error" } });
  if (ctx.host === "api.openai.com" && !ctx.bearer) return ctx.send(401, { error: { message: "You didn't provide an API key.", type: "invalid_request_error", code: null } });
  const b = ctx.body ?? {};
  if (!b.model) return ctx.send(400, { error: { message: "you must provide a model parameter", type: "invalid_request_error", param: "model" } });
  if (ctx.url.pathname.endsWith("/embeddings")) {
    const inputs = Array.isArray(b.input) ? b.input : [b.input];
    return ctx.send(200, {
      object: "list", model: b.model,
      data: inputs.map((text, index) => ({ object: "embedding", index, embedding: Array.from({ length: 8 }, (_, i) => Number((((String(text).charCodeAt(i % Math.max(1, String(text).length)) || 0) % 97) / 97).toFixed(4))) })),
      usage: { prompt_tokens: inputs.length * 3, total_tokens: inputs.length * 3 },
    });
  }
  if (!Array.isArray(b.messages) || b.messages.length === 0) return ctx.send(400, { error: { message: "'messages' is a required property", type: "invalid_request_error", param: "messages" } });
  const last = String(b.messages.at(-1)?.content ?? "");
  const schema = b.response_format?.type === "json_schema" ? b.response_format.json_schema?.schema : undefined;
  const content = schema ? JSON.stringify(fromSchema(schema, b.messages.filter((m) => m.role === "user").map((m) => String(m.content ?? "")).join("\n"))) : `You said: ${last}`;
  return ctx.send(200, {
    id: `chatcmpl-fake-${ctx.next()}`, object: "chat.completion", created: now(), model: b.model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
  });
}

/** A value valid against a (small) JSON Schema: an enum member named in the text, else the first; strings from the text. */
function fromSchema(schema, text) {
  if (Array.isArray(schema.enum)) return schema.enum.find((v) => new RegExp(`\\b${String(v).replace(/_/g, "[ _]")}`, "i").test(text)) ?? schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === "object" || schema.properties) {
    return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, sub]) => [key, fromSchema(sub, key === "summary" || key === "title" ? lastLine(text) : text)]));
  }
  if (type === "array") return [fromSchema(schema.items ?? { type: "string" }, text)];
  if (type === "integer" || type === "number") return schema.minimum ?? 1;
  if (type === "boolean") return true;
  const value = lastLine(text);
  return schema.maxLength ? value.slice(0, schema.maxLength) : value;
}

function lastLine(text) {
  return text.trim().split("\n").filter(Boolean).at(-1)?.trim() ?? "";
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const port = Number(process.env.PORT ?? 8790);
  const fake = await startFakeApis({ port, log: (line) => console.log(line) });
  console.log(`fake third-party APIs (Telegram, Slack, LINE, Google, Discord, GitHub, Notion, Resend, OpenAI-compatible, Anthropic) on http://127.0.0.1:${fake.port}`);
  console.log(`start the local server with ARCRUN_OUTBOUND_PROXY=http://127.0.0.1:${fake.port} npm start`);
}
