import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { httpRequestComponent } from "./http-request";
import { testContext } from "./test-context";
import type { NodeOutcome } from "../components/types";

let server: Server;
let base = "";
let port = 0;
const seen: { method?: string; url?: string; headers: IncomingMessage["headers"]; body: string }[] = [];

before(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      const url = new URL(req.url ?? "/", "http://x");
      switch (url.pathname) {
        case "/json": res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify({ hello: "world", query: Object.fromEntries(url.searchParams) })); break;
        case "/echo": res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ method: req.method, body, type: req.headers["content-type"] ?? null })); break;
        case "/text": res.writeHead(200, { "content-type": "text/plain" }).end("plain text"); break;
        case "/missing": res.writeHead(404, { "content-type": "text/plain" }).end("not here"); break;
        case "/busy": res.writeHead(503).end("try later"); break;
        case "/big": res.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(5000)); break;
        case "/stream": res.writeHead(200, { "content-type": "text/plain" }); res.write("y".repeat(3000)); res.end("y".repeat(3000)); break;
        case "/hang": break; // never answers
        case "/redirect-local": res.writeHead(302, { location: "/json?from=redirect" }).end(); break;
        case "/redirect-post": res.writeHead(303, { location: "/echo" }).end(); break;
        case "/redirect-away": res.writeHead(302, { location: "https://evil.example.net/steal" }).end(); break;
        case "/redirect-metadata": res.writeHead(307, { location: "http://169.254.169.254/latest/meta-data" }).end(); break;
        case "/loop": res.writeHead(302, { location: "/loop" }).end(); break;
        default: res.writeHead(500).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const call = (params: Record<string, unknown>, egress = ["127.0.0.1"], limits = {}) =>
  httpRequestComponent.run(params, testContext({ egress, limits }));
const data = (o: NodeOutcome) => (o.success ? (o.data as { status: number; body: unknown; headers: Record<string, string> }) : assert.fail(`failed: ${JSON.stringify(o.error)}`));
const error = (o: NodeOutcome) => (o.success ? assert.fail(`expected failure, got ${JSON.stringify(o.data)}`) : o.error);

describe("http_request", () => {
  test("GET with query params decodes JSON by content-type", async () => {
    const d = data(await call({ url: `${base}/json`, query: { page: 2, tag: ["a", "b"], skip: null } }));
    assert.equal(d.status, 200);
    assert.deepEqual(d.body, { hello: "world", query: { page: "2", tag: "b" } });
    assert.equal(seen.at(-1)?.url, "/json?page=2&tag=a&tag=b");
    assert.match(d.headers["content-type"], /json/);
  });
  test("POST body_json sets content-type; body sends text; response: text keeps text", async () => {
    const d = data(await call({ method: "post", url: `${base}/echo`, body_json: { a: 1 }, headers: { "x-trace": "t1" } }));
    assert.deepEqual(d.body, { method: "POST", body: '{"a":1}', type: "application/json" });
    assert.equal(seen.at(-1)?.headers["x-trace"], "t1");
    const t = data(await call({ method: "PUT", url: `${base}/echo`, body: "raw", response: "text" }));
    assert.equal(typeof t.body, "string");
    assert.match(t.body as string, /"body":"raw"/);
    assert.equal(data(await call({ url: `${base}/text` })).body, "plain text");
  });
  test("non-2xx fails with http_error; 5xx is retryable; fail_on_error: false returns it", async () => {
    const e = error(await call({ url: `${base}/missing` }));
    assert.equal(e.code, "http_error");
    assert.equal(e.retryable, false);
    assert.deepEqual(e.details, { status: 404, body: "not here" });
    assert.match(e.message, /404/);
    assert.equal(error(await call({ url: `${base}/busy` })).retryable, true);
    assert.equal(data(await call({ url: `${base}/missing`, fail_on_error: false })).status, 404);
  });
  test("response size cap, by content-length and while streaming", async () => {
    assert.equal(error(await call({ url: `${base}/big`, max_response_bytes: 1000 })).code, "response_too_large");
    assert.equal(error(await call({ url: `${base}/stream`, max_response_bytes: 4000 })).code, "response_too_large");
    assert.equal((data(await call({ url: `${base}/stream`, max_response_bytes: 6000 })).body as string).length, 6000);
  });
  test("timeout_ms stops a server that never answers", async () => {
    const e = error(await call({ url: `${base}/hang`, timeout_ms: 50 }));
    assert.equal(e.code, "timeout");
    assert.equal(e.retryable, true);
  });
  test("egress: undeclared hosts and loopback without a literal rule are refused before any request", async () => {
    const before = seen.length;
    const none = error(await call({ url: `${base}/json` }, []));
    assert.equal(none.code, "egress_denied");
    assert.match(none.message, /egress/);
    const wildcard = error(await call({ url: `${base}/json` }, ["*"]));
    assert.equal(wildcard.code, "egress_denied");
    assert.match(wildcard.message, /loopback/);
    assert.equal(error(await call({ url: `http://localhost:${port}/json` }, ["127.0.0.1"])).code, "egress_denied");
    assert.equal(error(await call({ url: "https://api.other.dev/x" }, ["127.0.0.1"])).code, "egress_denied");
    assert.equal(data(await call({ url: `${base}/json` }, [`127.0.0.1:${port}`])).status, 200);
    assert.equal(seen.length, before + 1);
  });
  test("redirects: followed to allowed hosts, 303 turns POST into GET, refused to others", async () => {
    const local = data(await call({ url: `${base}/redirect-local` }));
    assert.deepEqual(local.body, { hello: "world", query: { from: "redirect" } });
    const post = data(await call({ method: "POST", url: `${base}/redirect-post`, body_json: { a: 1 } }));
    assert.deepEqual(post.body, { method: "GET", body: "", type: null });
    const away = error(await call({ url: `${base}/redirect-away` }));
    assert.equal(away.code, "egress_denied");
    assert.match(away.message, /redirect to https:\/\/evil\.example\.net refused/);
    const metadata = error(await call({ url: `${base}/redirect-metadata` }, ["127.0.0.1", "*"]));
    assert.equal(metadata.code, "egress_denied");
    assert.equal(error(await call({ url: `${base}/loop` })).code, "too_many_redirects");
  });
  test("bad parameters are invalid_input", async () => {
    assert.equal(error(await call({})).code, "invalid_input");
    assert.equal(error(await call({ url: "example.com/x" })).code, "invalid_input");
    assert.equal(error(await call({ url: `${base}/json`, method: "FETCH" })).code, "invalid_input");
    assert.equal(error(await call({ url: `${base}/json`, body: "a", body_json: {} })).code, "invalid_input");
    assert.equal(error(await call({ url: `${base}/json`, body: "a" })).code, "invalid_input");
  });
});
