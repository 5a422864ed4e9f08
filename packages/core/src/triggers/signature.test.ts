import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { signatureError, verifySignature, type SignatureResult, type WebhookVerify } from "./signature";
import { guardReplay } from "./replay";
import { memoryClaimStore } from "./claim-store";

const bytes = (text: string) => new TextEncoder().encode(text);
const request = (headers: Record<string, string>, body: string | Uint8Array) => ({ headers: new Headers(headers), body: typeof body === "string" ? bytes(body) : body });
/** Independent oracle: Node's own HMAC, not the code under test. */
const hmacHex = (secret: string, data: string | Uint8Array) => createHmac("sha256", secret).update(data).digest("hex");
const codeOf = (r: SignatureResult) => (r.ok ? "ok" : r.code);

describe("github preset", () => {
  const verify: WebhookVerify = { scheme: "github", secret: "github_secret" };

  test("GitHub's documented example: secret \"It's a Secret to Everybody\", payload \"Hello, World!\"", async () => {
    // docs.github.com, Validating webhook deliveries → Testing the webhook payload validation
    const result = await verifySignature(verify, "It's a Secret to Everybody", request({ "X-Hub-Signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" }, "Hello, World!"));
    assert.deepEqual(result, { ok: true, signature: "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", timestamp: undefined, replay_ttl_s: 300 });
  });

  test("a changed body, a wrong secret, a missing or malformed header", async () => {
    const header = { "x-hub-signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" };
    assert.equal(codeOf(await verifySignature(verify, "It's a Secret to Everybody", request(header, "Hello, World?"))), "signature_mismatch");
    assert.equal(codeOf(await verifySignature(verify, "another secret", request(header, "Hello, World!"))), "signature_mismatch");
    assert.equal(codeOf(await verifySignature(verify, "s", request({}, "Hello, World!"))), "signature_missing");
    // the bare hex (no sha256= prefix) is not what GitHub sends
    assert.equal(codeOf(await verifySignature(verify, "s", request({ "X-Hub-Signature-256": "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" }, "x"))), "signature_malformed");
    assert.equal(codeOf(await verifySignature(verify, "s", request({ "X-Hub-Signature-256": "sha256=abc" }, "x"))), "signature_malformed");
    // the old SHA-1 header alone is not accepted
    assert.equal(codeOf(await verifySignature(verify, "s", request({ "X-Hub-Signature": "sha1=0123" }, "x"))), "signature_missing");
  });

  test("the raw bytes are signed, not a decoded text", async () => {
    const body = new Uint8Array([0xff, 0x00, 0x7b, 0xfe]); // not UTF-8
    const header = { "X-Hub-Signature-256": `sha256=${hmacHex("k", body)}` };
    assert.equal(codeOf(await verifySignature(verify, "k", request(header, body))), "ok");
  });
});

describe("slack preset", () => {
  const verify: WebhookVerify = { scheme: "slack", secret: "slack_signing_secret" };
  // api.slack.com, Verifying requests from Slack: the documented example request
  const secret = "8f742231b10e8888abcd99yyyzzz85a5";
  const timestamp = "1531420618";
  const body =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
  const signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
  const headers = { "X-Slack-Signature": signature, "X-Slack-Request-Timestamp": timestamp };
  const now = 1531420618_000 + 30_000;

  test("Slack's documented example verifies", async () => {
    const result = await verifySignature(verify, secret, request(headers, body), { now });
    assert.equal(codeOf(result), "ok");
    assert.equal(result.ok && result.timestamp, 1531420618);
  });

  test("outside five minutes the same request is expired, either way", async () => {
    assert.equal(codeOf(await verifySignature(verify, secret, request(headers, body), { now: 1531420618_000 + 300_000 })), "ok");
    assert.equal(codeOf(await verifySignature(verify, secret, request(headers, body), { now: 1531420618_000 + 301_000 })), "signature_expired");
    assert.equal(codeOf(await verifySignature(verify, secret, request(headers, body), { now: 1531420618_000 - 301_000 })), "signature_expired");
  });

  test("the timestamp is part of what is signed", async () => {
    const moved = { ...headers, "X-Slack-Request-Timestamp": "1531420619" };
    assert.equal(codeOf(await verifySignature(verify, secret, request(moved, body), { now })), "signature_mismatch");
  });

  test("missing or malformed timestamp and signature", async () => {
    assert.equal(codeOf(await verifySignature(verify, secret, request({ "X-Slack-Signature": signature }, body), { now })), "signature_missing");
    assert.equal(codeOf(await verifySignature(verify, secret, request({ ...headers, "X-Slack-Request-Timestamp": "soon" }, body), { now })), "signature_malformed");
    assert.equal(codeOf(await verifySignature(verify, secret, request({ ...headers, "X-Slack-Signature": signature.replace("v0=", "v1=") }, body), { now })), "signature_malformed");
  });
});

describe("stripe preset", () => {
  const verify: WebhookVerify = { scheme: "stripe", secret: "stripe_webhook_secret" };
  const secret = "whsec_test_secret";
  const payload = '{"id":"evt_1","object":"event","type":"payment_intent.succeeded"}';
  const t = 1492774577; // the timestamp of the example header in Stripe's docs
  const v1 = hmacHex(secret, `${t}.${payload}`);
  const now = t * 1000 + 10_000;
  // Stripe's documented header layout: t=…,v1=…,v0=… (v0 is a test-mode scheme and is ignored)
  const header = `t=${t},v1=${v1},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39`;

  test("t=…,v1=… over `${t}.${body}` verifies; v0 is ignored", async () => {
    const result = await verifySignature(verify, secret, request({ "Stripe-Signature": header }, payload), { now });
    assert.equal(codeOf(result), "ok");
    assert.equal(result.ok && result.signature, v1);
  });

  test("several v1 signatures (a rolled secret): any one may match", async () => {
    const old = hmacHex("whsec_old", `${t}.${payload}`);
    const rolled = `t=${t},v1=${old},v1=${v1}`;
    assert.equal(codeOf(await verifySignature(verify, secret, request({ "Stripe-Signature": rolled }, payload), { now })), "ok");
    assert.equal(codeOf(await verifySignature(verify, "whsec_old", request({ "Stripe-Signature": rolled }, payload), { now })), "ok");
    assert.equal(codeOf(await verifySignature(verify, "whsec_other", request({ "Stripe-Signature": rolled }, payload), { now })), "signature_mismatch");
  });

  test("the v0 signature alone does not verify", async () => {
    const onlyV0 = `t=${t},v0=${v1}`;
    assert.equal(codeOf(await verifySignature(verify, secret, request({ "Stripe-Signature": onlyV0 }, payload), { now })), "signature_malformed");
  });

  test("tolerance: default 300 s, or tolerance_s", async () => {
    const h = { "Stripe-Signature": header };
    assert.equal(codeOf(await verifySignature(verify, secret, request(h, payload), { now: (t + 301) * 1000 })), "signature_expired");
    assert.equal(codeOf(await verifySignature({ ...verify, tolerance_s: 600 }, secret, request(h, payload), { now: (t + 301) * 1000 })), "ok");
  });

  test("a tampered timestamp or body, malformed headers", async () => {
    const tampered = header.replace(`t=${t}`, `t=${t + 1}`);
    assert.equal(codeOf(await verifySignature(verify, secret, request({ "Stripe-Signature": tampered }, payload), { now })), "signature_mismatch");
    assert.equal(codeOf(await verifySignature(verify, secret, request({ "Stripe-Signature": header }, payload + " "), { now })), "signature_mismatch");
    assert.equal(codeOf(await verifySignature(verify, secret, request({ "Stripe-Signature": `v1=${v1}` }, payload), { now })), "signature_malformed");
    assert.equal(codeOf(await verifySignature(verify, secret, request({ "Stripe-Signature": `t=soon,v1=${v1}` }, payload), { now })), "signature_malformed");
    assert.equal(codeOf(await verifySignature(verify, secret, request({ "Stripe-Signature": `t=${t},t=${t + 1},v1=${v1}` }, payload), { now })), "signature_malformed");
    assert.equal(codeOf(await verifySignature(verify, secret, request({}, payload), { now })), "signature_missing");
  });
});

describe("generic hmac-sha256", () => {
  const verify: WebhookVerify = { scheme: "hmac-sha256", header: "X-Signature", secret: "my_hook_secret" };
  const body = '{"event":"signup","email":"a@example.com"}';
  const hex = hmacHex("s3cret", body);

  test("lowercase hex of the raw body, with or without sha256=", async () => {
    assert.equal(codeOf(await verifySignature(verify, "s3cret", request({ "X-Signature": hex }, body))), "ok");
    assert.equal(codeOf(await verifySignature(verify, "s3cret", request({ "X-Signature": `sha256=${hex}` }, body))), "ok");
    assert.equal(codeOf(await verifySignature(verify, "s3cret", request({ "X-Signature": `sha1=${hex}` }, body))), "signature_malformed");
    assert.equal(codeOf(await verifySignature(verify, "s3cret", request({ "X-Signature": hex.slice(1) }, body))), "signature_malformed");
    assert.equal(codeOf(await verifySignature(verify, "wrong", request({ "X-Signature": hex }, body))), "signature_mismatch");
    assert.equal(codeOf(await verifySignature(verify, "s3cret", request({ "X-Other": hex }, body))), "signature_missing");
  });

  test("with timestamp_header: over `<timestamp>.<body>`, within tolerance_s", async () => {
    const timed: WebhookVerify = { ...verify, timestamp_header: "X-Timestamp", tolerance_s: 60 };
    const ts = 1_800_000_000;
    const signed = hmacHex("s3cret", `${ts}.${body}`);
    const h = { "X-Signature": `sha256=${signed}`, "X-Timestamp": String(ts) };
    const ok = await verifySignature(timed, "s3cret", request(h, body), { now: ts * 1000 + 20_000 });
    assert.deepEqual(ok, { ok: true, signature: signed, timestamp: ts, replay_ttl_s: 41 });
    assert.equal(codeOf(await verifySignature(timed, "s3cret", request(h, body), { now: (ts + 61) * 1000 })), "signature_expired");
    // the body-only signature is not accepted once a timestamp is required
    assert.equal(codeOf(await verifySignature(timed, "s3cret", request({ ...h, "X-Signature": hex }, body), { now: ts * 1000 })), "signature_mismatch");
    assert.equal(codeOf(await verifySignature(timed, "s3cret", request({ "X-Signature": signed }, body), { now: ts * 1000 })), "signature_missing");
  });

  test("a failure becomes a 401 error with a hint and never shows the expected signature", async () => {
    const result = await verifySignature(verify, "wrong", request({ "X-Signature": hex }, body));
    assert.equal(result.ok, false);
    if (result.ok) return;
    const error = signatureError(result);
    assert.equal(error.status, 401);
    assert.deepEqual(Object.keys(error.toBody().error), ["code", "message", "hint"]);
    assert.doesNotMatch(JSON.stringify(error.toBody()), new RegExp(hmacHex("wrong", body)));
  });
});

describe("replay guard", () => {
  const verify: WebhookVerify = { scheme: "github", secret: "gh" };
  const body = '{"ref":"refs/heads/main"}';
  const headers = { "X-Hub-Signature-256": `sha256=${hmacHex("k", body)}` };

  test("a signature used once is refused inside the window, accepted after it", async () => {
    let now = 1_000_000;
    const store = memoryClaimStore({ now: () => now });
    const verified = await verifySignature(verify, "k", request(headers, body));
    assert.ok(verified.ok);
    assert.deepEqual(await guardReplay(store, { workflow: "github_push", verified, runId: "run-1" }), { ok: true });
    const again = await guardReplay(store, { workflow: "github_push", verified, runId: "run-2" });
    assert.equal(again.ok ? "ok" : again.code, "signature_replayed");
    // another workflow has its own window
    assert.deepEqual(await guardReplay(store, { workflow: "other", verified, runId: "run-3" }), { ok: true });
    now += 300_000;
    assert.deepEqual(await guardReplay(store, { workflow: "github_push", verified, runId: "run-4" }), { ok: true });
  });

  test("timestamped signatures are remembered until their timestamp expires", async () => {
    const slack: WebhookVerify = { scheme: "slack", secret: "s" };
    const ts = 1_800_000_000;
    const h = { "X-Slack-Signature": `v0=${hmacHex("k", `v0:${ts}:${body}`)}`, "X-Slack-Request-Timestamp": String(ts) };
    const verified = await verifySignature(slack, "k", request(h, body), { now: (ts - 100) * 1000 });
    assert.ok(verified.ok);
    // accepted from ts-300 to ts+300: remembered for the 401 s left (+1)
    assert.equal(verified.replay_ttl_s, 401);
  });

  test("50 copies of one delivery at once: one passes", async () => {
    const store = memoryClaimStore();
    const verified = await verifySignature(verify, "k", request(headers, body));
    assert.ok(verified.ok);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => guardReplay(store, { workflow: "w", verified, runId: `run-${i}` })));
    assert.equal(results.filter((r) => r.ok).length, 1);
  });
});
