#!/usr/bin/env node
// A local server that speaks the few Cloudflare REST API endpoints arcrun calls, for tests and
// offline demos (DESIGN § Wave 2 decisions: Cloudflare REST API calls go to
// CLOUDFLARE_API_BASE_URL when set, as wrangler does). Per-account KV storage, in memory.
//
//   node scripts/fake-cloudflare.mjs     # listens on 127.0.0.1:8791 (PORT=... to change), prints the base URL
//   CLOUDFLARE_API_BASE_URL=http://127.0.0.1:8791/client/v4 MULTI_TENANT=true npm start
//
// Documented shapes (developers.cloudflare.com/api): every JSON answer is the envelope
// {success, errors: [{code, message}], messages, result[, result_info]}.
//   GET    /user/tokens/verify                                          → {id, status}; 401 code 1000 for an unknown token
//   GET    /accounts/:a/storage/kv/namespaces                           → [{id, title, supports_url_encoding}]
//   POST   /accounts/:a/storage/kv/namespaces {title}                   → {id, title, supports_url_encoding}
//   GET    /accounts/:a/storage/kv/namespaces/:ns                       → {id, title, supports_url_encoding}
//   GET    /accounts/:a/storage/kv/namespaces/:ns/keys?prefix&cursor&limit → [{name}], result_info {count, cursor}
//   GET    /accounts/:a/storage/kv/namespaces/:ns/values/:key           → the raw value; 404 code 10009 when absent
//   PUT    /accounts/:a/storage/kv/namespaces/:ns/values/:key           raw body (or multipart field "value") → {}
//   DELETE /accounts/:a/storage/kv/namespaces/:ns/values/:key           → {}
//   POST   /accounts/:a/storage/kv/namespaces/:ns/bulk/get {keys}       → {values: {key: value|null}}
//   PUT    /accounts/:a/storage/kv/namespaces/:ns/bulk [{key, value}]   → {successful_key_count, unsuccessful_keys}
//   POST   /accounts/:a/storage/kv/namespaces/:ns/bulk/delete [keys]    → {successful_key_count, unsuccessful_keys}
// A token without access to the account or namespace gets 403 code 10000 "Authentication error".
//
// Control (tests, demos), under /__fake/ (not part of Cloudflare's API):
//   POST /__fake/tokens {token, account_id, kv: "read"|"write"|"none", status?: "active"|"disabled"|"expired"}
//   POST /__fake/namespaces {account_id, id?, title}   → {id}
//   POST /__fake/fail {status, count}                  the next `count` API calls answer `status` (429 with Retry-After: 0)
//   GET  /__fake/state                                 every stored value, by account and namespace
// `received` (in-process) lists every API call: method, path, and whether a token was sent — never the token.
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";

const KEY_NOT_FOUND = 10009;
const AUTH_ERROR = 10000;

export function startFakeCloudflare({ port = 0, host = "127.0.0.1", log = () => {} } = {}) {
  /** token → {id, account_id, kv, status} */
  const tokens = new Map();
  /** account id → namespace id → {title, values: Map<key, string>} */
  const accounts = new Map();
  const received = [];
  let failures = { status: 0, count: 0 };

  const namespaces = (account) => {
    if (!accounts.has(account)) accounts.set(account, new Map());
    return accounts.get(account);
  };
  const addToken = ({ token, account_id, kv = "read", status = "active" }) => {
    tokens.set(token, { id: randomBytes(16).toString("hex"), account_id, kv, status });
  };
  const addNamespace = ({ account_id, id = randomBytes(16).toString("hex"), title = "arcrun" }) => {
    namespaces(account_id).set(id, { title, values: new Map() });
    return id;
  };

  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname.replace(/^\/client\/v4/, "");
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    const ok = (result, extra = {}) => send(200, { success: true, errors: [], messages: [], result, ...extra });
    const fail = (status, code, message, headers) => send(status, { success: false, errors: [{ code, message }], messages: [], result: null }, headers);
    const json = () => {
      try {
        return JSON.parse(raw.toString("utf8") || "null");
      } catch {
        return undefined;
      }
    };

    if (path.startsWith("/__fake/")) {
      const body = json();
      if (req.method === "POST" && path === "/__fake/tokens") return addToken(body), send(200, { ok: true });
      if (req.method === "POST" && path === "/__fake/namespaces") return send(200, { id: addNamespace(body) });
      if (req.method === "POST" && path === "/__fake/fail") return (failures = { status: body.status, count: body.count ?? 1 }), send(200, { ok: true });
      if (req.method === "GET" && path === "/__fake/state") return send(200, state());
      return send(404, { error: "unknown control endpoint" });
    }

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    received.push({ method: req.method, path, query: url.search, authorized: bearer !== undefined });
    log(`${req.method} ${path}${url.search}`);
    if (failures.count > 0) {
      failures.count--;
      return fail(failures.status, failures.status === 429 ? 971 : 10013, failures.status === 429 ? "Please wait and consider throttling your request speed" : "Internal error", failures.status === 429 ? { "retry-after": "0" } : {});
    }
    const token = bearer ? tokens.get(bearer) : undefined;
    if (!token) return fail(401, 1000, "Invalid API Token");

    if (req.method === "GET" && path === "/user/tokens/verify") {
      return ok({ id: token.id, status: token.status }, { messages: [{ code: 10000, message: "This API Token is valid and active", type: null }] });
    }
    if (token.status !== "active") return fail(401, 1000, "Invalid API Token");

    const m = /^\/accounts\/([^/]+)\/storage\/kv\/namespaces(?:\/([^/]+)(\/.*)?)?$/.exec(path);
    if (!m) return fail(404, 7003, `Could not route to ${path}, perhaps your object identifier is invalid?`);
    const [, account, nsId, rest = ""] = m;
    const canRead = token.account_id === account && (token.kv === "read" || token.kv === "write");
    const canWrite = token.account_id === account && token.kv === "write";
    const list = namespaces(account);

    if (!nsId) {
      if (req.method === "GET") return canRead ? ok([...list].map(([id, ns]) => ({ id, title: ns.title, supports_url_encoding: true }))) : fail(403, AUTH_ERROR, "Authentication error");
      if (req.method === "POST") {
        if (!canWrite) return fail(403, AUTH_ERROR, "Authentication error");
        const title = json()?.title;
        if (!title) return fail(400, 10019, "namespace title is required");
        if ([...list.values()].some((ns) => ns.title === title)) return fail(400, 10014, "a namespace with this account ID and title already exists");
        const id = addNamespace({ account_id: account, title });
        return ok({ id, title, supports_url_encoding: true });
      }
    }
    if (!canRead) return fail(403, AUTH_ERROR, "Authentication error");
    const ns = list.get(nsId);
    if (!ns) return fail(404, 10013, "namespace not found");

    if (req.method === "GET" && rest === "") return ok({ id: nsId, title: ns.title, supports_url_encoding: true });
    if (req.method === "GET" && rest === "/keys") {
      const prefix = url.searchParams.get("prefix") ?? "";
      const limit = Math.min(Math.max(Number(url.searchParams.get("limit")) || 1000, 10), 1000);
      const start = Number(url.searchParams.get("cursor") ? Buffer.from(url.searchParams.get("cursor"), "base64url").toString() : 0) || 0;
      const names = [...ns.values.keys()].filter((k) => k.startsWith(prefix)).sort();
      const page = names.slice(start, start + limit);
      const next = start + limit < names.length ? Buffer.from(String(start + limit)).toString("base64url") : "";
      return ok(page.map((name) => ({ name })), { result_info: { count: page.length, cursor: next } });
    }
    const value = /^\/values\/(.+)$/.exec(rest);
    if (value) {
      const key = decodeURIComponent(value[1]);
      if (req.method === "GET") {
        if (!ns.values.has(key)) return fail(404, KEY_NOT_FOUND, "get: 'key not found'");
        res.writeHead(200, { "content-type": "application/octet-stream" });
        return res.end(ns.values.get(key));
      }
      if (!canWrite) return fail(403, AUTH_ERROR, "Authentication error");
      if (req.method === "PUT") {
        ns.values.set(key, multipartValue(req.headers["content-type"], raw) ?? raw.toString("utf8"));
        return ok({});
      }
      if (req.method === "DELETE") return ns.values.delete(key), ok({});
    }
    if (req.method === "POST" && rest === "/bulk/get") {
      const keys = json()?.keys;
      if (!Array.isArray(keys) || keys.length > 100) return fail(400, 10001, "keys must be an array of at most 100 names");
      return ok({ values: Object.fromEntries(keys.map((k) => [k, ns.values.get(k) ?? null])) });
    }
    if (!canWrite) return fail(403, AUTH_ERROR, "Authentication error");
    if (req.method === "PUT" && rest === "/bulk") {
      const pairs = json();
      if (!Array.isArray(pairs)) return fail(400, 10001, "the body must be an array of {key, value}");
      for (const p of pairs) ns.values.set(p.key, p.value);
      return ok({ successful_key_count: pairs.length, unsuccessful_keys: [] });
    }
    if (req.method === "POST" && rest === "/bulk/delete") {
      const keys = json();
      if (!Array.isArray(keys)) return fail(400, 10001, "the body must be an array of key names");
      for (const k of keys) ns.values.delete(k);
      return ok({ successful_key_count: keys.length, unsuccessful_keys: [] });
    }
    return fail(404, 7003, `Could not route to ${path}`);
  });

  function state() {
    return Object.fromEntries([...accounts].map(([a, list]) => [a, Object.fromEntries([...list].map(([id, ns]) => [id, { title: ns.title, values: Object.fromEntries(ns.values) }]))]));
  }

  return new Promise((resolve) => {
    server.listen(port, host, () => {
      const { port: bound } = server.address();
      const origin = `http://${host}:${bound}`;
      resolve({
        origin,
        /** what CLOUDFLARE_API_BASE_URL is set to */
        baseUrl: `${origin}/client/v4`,
        received,
        addToken,
        addNamespace,
        /** the next `count` API calls answer `status` */
        failNext: (status, count = 1) => (failures = { status, count }),
        state,
        values: (account, ns) => Object.fromEntries(accounts.get(account)?.get(ns)?.values ?? []),
        put: (account, ns, key, value) => namespaces(account).get(ns).values.set(key, value),
        stop: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

/** The "value" field of a multipart/form-data body (wrangler and the SDKs send values this way with metadata). */
function multipartValue(contentType, raw) {
  const boundary = /boundary=([^;]+)/.exec(contentType ?? "")?.[1];
  if (!contentType?.startsWith("multipart/form-data") || !boundary) return undefined;
  for (const part of raw.toString("utf8").split(`--${boundary}`)) {
    const match = /name="value"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*)\r\n$/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const fake = await startFakeCloudflare({ port: Number(process.env.PORT ?? 8791), log: (line) => console.log(line) });
  console.log(`fake Cloudflare API at ${fake.baseUrl} (set CLOUDFLARE_API_BASE_URL to it)`);
}
