/** Issue 10 item 7: a secret placed in a URL by a template reaches the server whole and never the run record. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { executeWorkflow } from "../run/execute";
import { resolverOf, workflow } from "../run/testing";
import { httpRequestComponent } from "../builtins/http-request";
import { Redactor } from "../redact/redactor";

// a `#` used to cut the URL: the part before it went out as the path and was stored unredacted
const SECRET = "tok3n-Prefix#fragment?part&x='y'";

describe("a credential in an http_request url", () => {
  test("is percent-encoded: the server receives it whole, and the run record holds no form of it", async () => {
    const seen: string[] = [];
    const fetch = (async (url: string) => {
      seen.push(url);
      return new Response("nope", { status: 404 });
    }) as unknown as typeof globalThis.fetch;
    const wf = workflow(["input >> ON_SUCCESS >> call"], {
      call: { component: "http_request", url: "https://api.example.test/bot{{credential.tg}}/send?key={{credential.tg}}", egress: ["api.example.test"] },
    });
    const redactor = new Redactor();
    const record = await executeWorkflow(wf, {
      resolver: resolverOf(httpRequestComponent),
      input: {},
      fetch,
      secrets: { get: async (name) => (name === "tg" ? (redactor.add(name, SECRET), SECRET) : undefined) },
    });
    assert.equal(seen.length, 1);
    const url = new URL(seen[0]);
    assert.equal(decodeURIComponent(url.pathname), `/bot${SECRET}/send`);
    assert.equal(url.searchParams.get("key"), SECRET);
    assert.equal(url.hash, "");
    const call = record.nodes.find((n) => n.node === "call")!;
    assert.equal(call.status, "failed");
    assert.equal(call.error?.code, "http_error");
    const stored = JSON.stringify(redactor.value(record));
    for (const leak of ["tok3n", "TOK3N", "Prefix", encodeURIComponent(SECRET)]) assert.ok(!stored.includes(leak), `${leak} leaked: ${stored}`);
    assert.match(stored, /\[redacted:tg\]/);
  });
});
