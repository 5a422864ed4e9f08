/**
 * Egress by name (issue 10 item 6): every outbound request of the Worker in workerd passes the
 * local outbound handler, which resolves the name and refuses restricted addresses unless the
 * egress list names that literal address. `evil.test` resolves to 127.0.0.1 through the
 * handler's injectable lookup (core's literal checks cannot see it; only the handler can).
 * Also ARCRUN_OUTBOUND_PROXY: requests arrive at a local server in absolute form.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { outboundHandler } from "@arcrun/local/host/outbound";
import { jsonHeaders, startExecutor, type TestExecutor } from "@arcrun/local/host/test-executor";
import { Request } from "miniflare";

const lookup = async (host: string) => {
  if (host === "evil.test") return [{ address: "127.0.0.1", family: 4 }];
  if (host === "mapped.test") return [{ address: "93.184.216.34", family: 4 }, { address: "::ffff:10.0.0.7", family: 6 }];
  if (host === "nat64.test") return [{ address: "64:ff9b::7f00:1", family: 6 }];
  if (host === "cgnat.test") return [{ address: "100.64.1.1", family: 4 }];
  if (host === "sitelocal.test") return [{ address: "fec0::1", family: 6 }];
  if (host === "metadata.test") return [{ address: "169.254.169.254", family: 4 }];
  throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
};

describe("outbound handler (unit, injected lookup)", () => {
  const handler = outboundHandler({ lookup });
  const denied = async (url: string, allow?: string) => {
    const res = await handler(new Request(url, { headers: allow ? { "x-arcrun-egress-allow": allow } : {} }));
    return res.status === 403 ? res.headers.get("x-arcrun-egress-denied") : `status ${res.status}`;
  };
  test("every restricted kind behind a name is refused, naming the resolved address", async () => {
    assert.equal(await denied("http://evil.test/"), "127.0.0.1");
    assert.equal(await denied("http://mapped.test/"), "::ffff:a00:7"); // one bad address of several is enough
    assert.equal(await denied("http://nat64.test/"), "64:ff9b::7f00:1");
    assert.equal(await denied("http://cgnat.test/"), "100.64.1.1");
    assert.equal(await denied("http://sitelocal.test/"), "fec0::1");
    assert.equal(await denied("http://metadata.test/latest/meta-data"), "169.254.169.254");
    assert.equal(await denied("http://[::ffff:127.0.0.1]/"), "::ffff:7f00:1");
  });
  test("a declared literal address opens only itself", async () => {
    assert.equal(await denied("http://evil.test/", "10.0.0.1"), "127.0.0.1");
    assert.notEqual(await denied("http://cgnat.test:9/", "100.64.1.1"), "100.64.1.1");
  });
  test("a name that does not resolve is a 502, not a crash", async () => {
    assert.equal(await denied("http://nowhere.test/"), "status 502");
  });
});

describe("outbound handler in workerd", () => {
  let ex: TestExecutor;
  let target: Server;
  let hop: Server;
  let port: number;
  let hopPort: number;
  const seen: string[] = [];
  before(async () => {
    hop = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} host=${req.headers.host}`);
      res.writeHead(302, { location: `http://evil.test:${port}/json` });
      res.end();
    });
    await new Promise<void>((r) => hop.listen(0, "127.0.0.2", r));
    hopPort = (hop.address() as AddressInfo).port;
    target = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} host=${req.headers.host} allow=${req.headers["x-arcrun-egress-allow"] ?? "-"}`);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true }));
    });
    await new Promise<void>((r) => target.listen(0, "127.0.0.1", r));
    port = (target.address() as AddressInfo).port;
    ex = await startExecutor({ outbound: { lookup } });
  });
  after(async () => {
    await ex?.stop();
    target?.close();
    hop?.close();
  });
  const run = async (url: string, egress: string[]) => {
    const workflow = { name: "call", egress, flow: ["input >> ON_SUCCESS >> get"], config: { get: { component: "http_request", url } } };
    const { status, body } = await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow, input: {} }) });
    assert.equal(status, 200, JSON.stringify(body));
    return body.nodes[0];
  };

  test('a name resolving to 127.0.0.1 is refused even with egress ["*"]', async () => {
    const before = seen.length;
    const node = await run(`http://evil.test:${port}/json`, ["*"]);
    assert.equal(node.status, "failed");
    assert.equal(node.error.code, "egress_denied");
    assert.match(node.error.message, /evil\.test.*127\.0\.0\.1/);
    assert.equal(seen.length, before, "nothing reached the server");
  });

  test("refused after a redirect, too (the first hop on 127.0.0.2, declared; the name resolves to the undeclared 127.0.0.1)", async () => {
    const node = await run(`http://127.0.0.2:${hopPort}/hop`, ["127.0.0.2", "*"]);
    assert.equal(node.error?.code, "egress_denied", JSON.stringify(node));
    assert.match(seen.at(-1)!, /^GET \/hop /);
  });

  test("the literal declared 127.0.0.1 still works, and the allow header never leaves the handler", async () => {
    const node = await run(`http://127.0.0.1:${port}/json`, ["127.0.0.1"]);
    assert.equal(node.status, "succeeded", JSON.stringify(node));
    assert.match(seen.at(-1)!, /allow=-$/);
  });
});

describe("ARCRUN_OUTBOUND_PROXY", () => {
  let ex: TestExecutor;
  let proxy: Server;
  const received: { method?: string; url?: string; host?: string }[] = [];
  before(async () => {
    proxy = createServer((req: IncomingMessage, res) => {
      received.push({ method: req.method, url: req.url, host: req.headers.host });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ proxied: true }));
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    ex = await startExecutor({ outbound: { proxy: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` } });
  });
  after(async () => {
    await ex?.stop();
    proxy?.close();
  });
  test("requests arrive in absolute form with the original Host; localhost stays refused", async () => {
    const workflow = { name: "call", egress: ["api.example.com", "*"], flow: ["input >> ON_SUCCESS >> get"], config: { get: { component: "http_request", url: "https://api.example.com/v1/things?x=1" } } };
    const { body } = await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow, input: {} }) });
    assert.equal(body.status, "succeeded", JSON.stringify(body.nodes));
    assert.deepEqual(received.at(-1), { method: "GET", url: "https://api.example.com/v1/things?x=1", host: "api.example.com" });
  });
});
