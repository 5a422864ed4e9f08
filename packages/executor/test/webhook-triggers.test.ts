/**
 * Signed webhooks and idempotency in the real Worker: HMAC accept, each rejection code and the
 * replay guard, all before a run exists; the signing secret never in an answer; 50 concurrent
 * deliveries of one idempotency key make one run; sync triggers answer the recorded run.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { encryptCredential, fingerprintCredential, generateEncryptionKey, parseEncryptionKey } from "@arcrun/core";
import { eventually, jsonHeaders, startExecutor, yamlHeaders, type TestExecutor } from "@arcrun/local/host/test-executor";

const SECRET = "whsec-test-0d9c8b7a6f5e4d3c";
const hex = (key: string, data: string) => createHmac("sha256", key).update(data).digest("hex");

const echo = (name: string, head: string) => `name: ${name}
${head}
flow: ["input >> ON_SUCCESS >> echo"]
config:
  echo:
    component: code
    input: "{{input}}"
    code: "return input"
`;

let ex: TestExecutor;
const urls: Record<string, string> = {};

before(async () => {
  const keyText = generateEncryptionKey();
  ex = await startExecutor({ encryptionKey: keyText });
  const key = await parseEncryptionKey(keyText);
  const record = { ...(await encryptCredential(key, "gh_secret", SECRET)), fingerprint: await fingerprintCredential(key, "gh_secret", SECRET) };
  const put = await ex.fetch("/credentials/gh_secret", { method: "PUT", headers: jsonHeaders, body: JSON.stringify(record) });
  assert.ok(put.ok, await put.text());
  for (const yaml of [
    echo("gh_push", "triggers: [{webhook: {verify: {scheme: github, secret: gh_secret}}}]"),
    echo("stamped", "triggers: [{webhook: {verify: {scheme: hmac-sha256, header: X-Signature, timestamp_header: X-Timestamp, secret: gh_secret, tolerance_s: 300}}}]"),
    echo("no_secret", "triggers: [{webhook: {verify: {scheme: github, secret: not_stored}}}]"),
    echo("events", 'triggers: [webhook, query]\nidempotency_key: "{{input.event_id}}"'),
    echo("plain", "triggers: [webhook, query]"),
  ]) {
    const res = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: yaml });
    assert.ok(res.status === 201, JSON.stringify(res.body));
    urls[res.body.name] = new URL(res.body.webhook_url).pathname;
  }
});
after(() => ex?.stop());

async function deliver(workflow: string, body: string, headers: Record<string, string>) {
  const res = await ex.fetch(urls[workflow], { method: "POST", headers: { "content-type": "application/json", ...headers }, body, auth: false });
  const text = await res.text();
  assert.ok(!text.includes(SECRET), "the secret is never in an answer");
  return { status: res.status, body: JSON.parse(text), replayed: res.headers.get("idempotent-replayed") };
}

async function runsOf(workflow: string) {
  const { body } = await ex.json(`/runs?workflow=${workflow}&limit=500`);
  return body.runs as { run_id: string; status: string; result: unknown; trigger: string }[];
}

describe("signed webhooks", () => {
  test("a correct github signature over the raw bytes starts a run; a replay of it is refused", async () => {
    const body = '{"ref":"refs/heads/main",  "commits":[1,2]}'; // spacing kept: the raw bytes are signed
    const sig = `sha256=${hex(SECRET, body)}`;
    const ok = await deliver("gh_push", body, { "x-hub-signature-256": sig });
    assert.equal(ok.status, 202, JSON.stringify(ok.body));
    const runs = await eventually(async () => {
      const r = await runsOf("gh_push");
      return r.length === 1 && r[0].status === "succeeded" ? r : undefined;
    }, "the signed run");
    assert.equal(runs[0].run_id, ok.body.run_id);
    assert.deepEqual(runs[0].result, { ref: "refs/heads/main", commits: [1, 2] });

    const again = await deliver("gh_push", body, { "x-hub-signature-256": sig });
    assert.equal(again.status, 401);
    assert.equal(again.body.error.code, "signature_replayed");
    assert.equal((await runsOf("gh_push")).length, 1);
  });

  test("each rejection has its own 401 code, and no run exists", async () => {
    const body = '{"n":1}';
    const cases: [string, string, Record<string, string>, string][] = [
      ["missing", "gh_push", {}, "signature_missing"],
      ["malformed", "gh_push", { "x-hub-signature-256": "sha256=nothex" }, "signature_malformed"],
      ["wrong secret", "gh_push", { "x-hub-signature-256": `sha256=${hex("other-secret", body)}` }, "signature_mismatch"],
      ["other body", "gh_push", { "x-hub-signature-256": `sha256=${hex(SECRET, '{"n":2}')}` }, "signature_mismatch"],
      ["old timestamp", "stamped", { "x-timestamp": String(Math.floor(Date.now() / 1000) - 3600), "x-signature": hex(SECRET, `${Math.floor(Date.now() / 1000) - 3600}.${body}`) }, "signature_expired"],
    ];
    const before = (await runsOf("gh_push")).length;
    for (const [what, workflow, headers, code] of cases) {
      const res = await deliver(workflow, body, headers);
      assert.equal(res.status, 401, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, code, what);
      assert.ok(res.body.error.hint, `${what} has a hint`);
    }
    assert.equal((await runsOf("gh_push")).length, before);
    assert.deepEqual(await runsOf("stamped"), []);
  });

  test("a fresh timestamped signature is accepted", async () => {
    const body = '{"n":3}';
    const t = String(Math.floor(Date.now() / 1000));
    const res = await deliver("stamped", body, { "x-timestamp": t, "x-signature": `sha256=${hex(SECRET, `${t}.${body}`)}` });
    assert.equal(res.status, 202, JSON.stringify(res.body));
  });

  test("a signing secret that is not stored: 503 webhook_secret_missing naming the credential, no run", async () => {
    const res = await deliver("no_secret", "{}", { "x-hub-signature-256": `sha256=${hex("x", "{}")}` });
    assert.equal(res.status, 503);
    assert.equal(res.body.error.code, "webhook_secret_missing");
    assert.match(res.body.error.hint, /acr creds push not_stored/);
    assert.deepEqual(await runsOf("no_secret"), []);
  });
});

describe("idempotency", () => {
  test("50 concurrent webhook deliveries of one Idempotency-Key make one run; every answer names it", async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => deliver("plain", JSON.stringify({ i }), { "idempotency-key": "delivery-50" })));
    assert.ok(answers.every((a) => a.status === 202), JSON.stringify(answers.find((a) => a.status !== 202)));
    const ids = new Set(answers.map((a) => a.body.run_id));
    assert.equal(ids.size, 1, `${ids.size} run ids`);
    assert.equal(answers.filter((a) => a.replayed === "true").length, 49);
    await eventually(async () => ((await runsOf("plain")).some((r) => r.status === "succeeded") ? true : undefined), "the run");
    assert.equal((await runsOf("plain")).length, 1);
  });

  test("the workflow's idempotency_key template collapses redeliveries of one event", async () => {
    const first = await deliver("events", '{"event_id":"evt_1","n":1}', {});
    const second = await deliver("events", '{"event_id":"evt_1","n":2}', {});
    const other = await deliver("events", '{"event_id":"evt_2"}', {});
    assert.equal(second.body.run_id, first.body.run_id);
    assert.notEqual(other.body.run_id, first.body.run_id);
    const missing = await deliver("events", '{"no_id":true}', {});
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, "invalid_idempotency_key");
  });

  test("a sync trigger with a repeated key answers the recorded run, marked Idempotent-Replayed", async () => {
    const first = await ex.fetch("/q/plain?x=1", { headers: { "idempotency-key": "q-1" } });
    const firstBody = await first.json();
    assert.equal(first.status, 200);
    const second = await ex.fetch("/q/plain?x=2", { headers: { "idempotency-key": "q-1" } });
    const secondBody = await second.json();
    assert.equal(second.status, 200, JSON.stringify(secondBody));
    assert.equal(second.headers.get("idempotent-replayed"), "true");
    assert.equal(secondBody.run_id, firstBody.run_id);
    assert.deepEqual(secondBody.result, { x: "1" });
  });

  test("/execute takes the header too; a key over 255 characters is a 400", async () => {
    const body = JSON.stringify({ workflow: echo("inline_idem", ""), input: { a: 1 } });
    const one = await ex.json("/execute", { method: "POST", headers: { ...jsonHeaders, "idempotency-key": "exec-1" }, body });
    const two = await ex.json("/execute", { method: "POST", headers: { ...jsonHeaders, "idempotency-key": "exec-1" }, body });
    assert.equal(one.status, 200);
    assert.equal(two.body.run_id, one.body.run_id);
    const long = await ex.json("/execute", { method: "POST", headers: { ...jsonHeaders, "idempotency-key": "k".repeat(256) }, body });
    assert.equal(long.status, 400);
    assert.equal(long.body.error.code, "invalid_idempotency_key");
    const hook = await deliver("plain", "{}", { "idempotency-key": "k".repeat(256) });
    assert.equal(hook.status, 400);
  });
});
