/**
 * Sync triggers that answer like an API (issue 12 § 1): a `respond` node's status, headers and
 * body exactly; without one the run record, or only `result` with `?return=result`. The run is
 * recorded either way. Also bench/signup_5_peers.yaml answers byte for byte what the peers do.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { inMemoryExecutor, json, yaml } from "./in-memory";

const PEERS = readFileSync(new URL("../../../../bench/signup_5_peers.yaml", import.meta.url), "utf8");
const PEERS_OK = '{"greeting":"Hello Ada Lovelace, your score is 62","email":"ada@example.com","score":62}';

const GREET = `name: greet
flow:
  - "input >> ON_SUCCESS >> hello"
config:
  hello:
    component: set
    value: {greeting: "hello {{input.who}}"}
`;

const TEAPOT = `name: teapot
flow:
  - "input >> ON_SUCCESS >> answer"
config:
  answer:
    component: respond
    status: 418
    headers: {x-who: "{{input.who}}", content-type: text/plain; charset=utf-8}
    body: "short and stout, {{input.who}}"
`;

describe("respond and ?return=result (in-process)", () => {
  test("signup_5_peers answers the peers' exact 200 body and 400 with the failing fields; both runs recorded", async () => {
    const ex = inMemoryExecutor();
    assert.equal((await ex.request("/workflows", { method: "POST", headers: yaml, body: PEERS })).status, 201);
    const ok = await ex.request("/webhooks/named/signup_5_peers/query", {
      method: "POST",
      headers: json,
      body: JSON.stringify({ email: "Ada@Example.com", age: 30, name: "ada lovelace", tags: ["x", "y"] }),
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("content-type"), "application/json");
    assert.equal(await ok.text(), PEERS_OK);
    const bad = await ex.request("/webhooks/named/signup_5_peers/query", { method: "POST", headers: json, body: '{"email":"nope","age":17,"name":""}' });
    assert.equal(bad.status, 400);
    assert.equal(await bad.text(), '{"error":"validation failed","fields":["email","age","name"]}');
    const partly = await ex.request("/webhooks/named/signup_5_peers/query", { method: "POST", headers: json, body: '{"email":"a@b","age":18.5,"name":"x"}' });
    assert.deepEqual([partly.status, await partly.json()], [400, { error: "validation failed", fields: ["age"] }]);
    // the score counts tags only when they are an array, as the peers do (Array.isArray)
    for (const [tags, score] of [[undefined, 60], ["x", 60], [[], 60], [["a", "b", "c"], 63]] as const) {
      const got = await ex.request("/webhooks/named/signup_5_peers/query", { method: "POST", headers: json, body: JSON.stringify({ email: "a@b", age: 30, name: "x", tags }) });
      assert.equal(((await got.json()) as { score: number }).score, score, `tags ${JSON.stringify(tags)}`);
    }
    await ex.settle();
    const runs = await ex.services.runs.list({ workflow: "signup_5_peers" });
    assert.equal(runs.length, 7);
    assert.ok(runs.every((r) => r.status === "succeeded"), "answering 400 is the workflow's success, not a failed run");
  });

  test("status, headers and a text body exactly as the node built them, on /q and the named query", async () => {
    const ex = inMemoryExecutor();
    await ex.request("/workflows", { method: "POST", headers: yaml, body: TEAPOT });
    const viaQ = await ex.request("/q/teapot?who=ada");
    assert.equal(viaQ.status, 418);
    assert.equal(viaQ.headers.get("x-who"), "ada");
    assert.equal(viaQ.headers.get("content-type"), "text/plain; charset=utf-8");
    assert.equal(await viaQ.text(), "short and stout, ada");
    const viaPost = await ex.request("/webhooks/named/teapot/query", { method: "POST", headers: json, body: '{"who":"bo"}' });
    assert.deepEqual([viaPost.status, await viaPost.text()], [418, "short and stout, bo"]);
    await ex.settle();
    const [run] = await ex.services.runs.list({ workflow: "teapot" });
    assert.equal((await ex.services.runs.get(run.run_id))?.nodes[0].component, "respond");
  });

  test("without a respond node: the run record, or only the result with ?return=result", async () => {
    const ex = inMemoryExecutor();
    await ex.request("/workflows", { method: "POST", headers: yaml, body: GREET });
    const record = await ex.json("/q/greet?who=ada");
    assert.equal(record.body.status, "succeeded");
    assert.deepEqual(record.body.result, { greeting: "hello ada" });
    const result = await ex.json("/q/greet?who=ada&return=result");
    assert.deepEqual([result.status, result.body], [200, { greeting: "hello ada" }], "`return` is not passed on as input");
    const posted = await ex.json("/webhooks/named/greet/query?return=result", { method: "POST", headers: json, body: '{"who":"bo"}' });
    assert.deepEqual(posted.body, { greeting: "hello bo" });
  });

  test("a respond node with a bad status or header fails as invalid_input (the run record says so)", async () => {
    const ex = inMemoryExecutor();
    const bad = TEAPOT.replace("name: teapot", "name: bad_teapot").replace("status: 418", 'status: "{{input.code}}"');
    assert.equal((await ex.request("/workflows", { method: "POST", headers: yaml, body: bad })).status, 201);
    const answer = await ex.json("/q/bad_teapot?who=ada&code=99");
    assert.equal(answer.status, 200);
    assert.equal(answer.body.status, "failed");
    assert.equal(answer.body.nodes[0].error.code, "invalid_input");
    const header = TEAPOT.replace("name: teapot", "name: split").replace('x-who: "{{input.who}}"', '"x-who": "{{input.who}}"');
    await ex.request("/workflows", { method: "POST", headers: yaml, body: header });
    const split = await ex.json("/q/split?who=" + encodeURIComponent("a\r\nset-cookie: x=1"));
    assert.equal(split.body.status, "failed");
    assert.match(split.body.nodes[0].error.message, /one line of text/);
  });
});
