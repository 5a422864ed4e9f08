import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ArcrunError } from "../errors";
import { checkIdempotencyKey, claimRun, idempotencyKeyFor, idempotencyStorageKey, idempotencyTemplateProblem, IDEMPOTENCY_TTL_SECONDS } from "./idempotency";
import { memoryClaimStore } from "./claim-store";

const rejects = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof ArcrunError && e.code === "invalid_idempotency_key" && e.status === 400 && message.test(e.message));

describe("idempotency keys", () => {
  test("1 to 255 characters", () => {
    assert.equal(checkIdempotencyKey("a"), "a");
    assert.equal(checkIdempotencyKey("k".repeat(255)), "k".repeat(255));
    rejects(() => checkIdempotencyKey("k".repeat(256)), /256 characters long; at most 255/);
    rejects(() => checkIdempotencyKey(""), /is empty/);
    rejects(() => checkIdempotencyKey("a\nb"), /control character/);
    // characters, not UTF-16 units: 255 emoji are 255 characters
    assert.equal(checkIdempotencyKey("😀".repeat(255)).length, 510);
  });

  test("the header wins over the template", () => {
    assert.equal(idempotencyKeyFor({ header: "from-header", template: "{{input.id}}", input: { id: "from-body" } }), "from-header");
    rejects(() => idempotencyKeyFor({ header: "x".repeat(300), template: "{{input.id}}", input: { id: "ok" } }), /header is 300 characters/);
  });

  test("derived from the payload by the workflow's template", () => {
    assert.equal(idempotencyKeyFor({ template: "{{input.event_id}}", input: { event_id: "evt_123" } }), "evt_123");
    assert.equal(idempotencyKeyFor({ template: "gh-{{input.delivery}}-{{input.n}}", input: { delivery: "d1", n: 7 } }), "gh-d1-7");
    assert.equal(idempotencyKeyFor({ template: "{{input.n}}", input: { n: 42 } }), "42");
    assert.equal(idempotencyKeyFor({ input: { event_id: "evt_123" } }), undefined);
    assert.equal(idempotencyKeyFor({ header: null, input: {} }), undefined);
  });

  test("a template over a missing or unusable value is a 400, never a silent empty key", () => {
    rejects(() => idempotencyKeyFor({ template: "{{input.event_id}}", input: { other: 1 } }), /payload has no such value/);
    rejects(() => idempotencyKeyFor({ template: "{{input.event}}", input: { event: { id: 1 } } }), /gave object/);
    rejects(() => idempotencyKeyFor({ template: "{{input.event_id}}", input: { event_id: "" } }), /is empty/);
    rejects(() => idempotencyKeyFor({ template: "{{input.id}}", input: { id: "y".repeat(256) } }), /idempotency_key \{\{input.id\}\} is 256 characters/);
  });

  test("template problems found at validation", () => {
    assert.equal(idempotencyTemplateProblem("{{input.event_id}}"), undefined);
    assert.match(idempotencyTemplateProblem("static")!, /no template/);
    assert.match(idempotencyTemplateProblem("{{check.data.id}}")!, /node "check"/);
    assert.match(idempotencyTemplateProblem("{{credential.token}}")!, /a credential/);
    assert.match(idempotencyTemplateProblem("{{input.}}")!, /expected a key/);
  });

  test("storage key: workflow + key", () => {
    assert.equal(idempotencyStorageKey("signup_alert", "evt:1"), "idem:signup_alert:evt:1");
  });
});

describe("claiming a run", () => {
  test("the same key for the same workflow within 24 h returns the first run", async () => {
    let now = Date.parse("2026-12-01T12:00:00Z");
    const store = memoryClaimStore({ now: () => now });
    assert.deepEqual(await claimRun(store, { workflow: "w", key: "k", runId: "run-1" }), { claimed: true });
    now += (IDEMPOTENCY_TTL_SECONDS - 1) * 1000;
    assert.deepEqual(await claimRun(store, { workflow: "w", key: "k", runId: "run-2" }), { claimed: false, runId: "run-1" });
    // another workflow with the same key is another run
    assert.deepEqual(await claimRun(store, { workflow: "other", key: "k", runId: "run-3" }), { claimed: true });
    now += 1000;
    assert.deepEqual(await claimRun(store, { workflow: "w", key: "k", runId: "run-4" }), { claimed: true });
  });

  test("50 concurrent deliveries of one key: exactly one run starts, all others get its id", async () => {
    const store = memoryClaimStore();
    const started: string[] = [];
    const deliver = async (i: number) => {
      const key = idempotencyKeyFor({ template: "{{input.event_id}}", input: { event_id: "evt_1" } })!;
      const runId = `run-${i}`;
      const claim = await claimRun(store, { workflow: "stripe_events", key, runId });
      if (claim.claimed) started.push(runId);
      return claim.claimed ? runId : claim.runId;
    };
    const answered = await Promise.all(Array.from({ length: 50 }, (_, i) => deliver(i)));
    assert.equal(started.length, 1);
    assert.deepEqual(new Set(answered), new Set(started));
  });

  test("a released claim lets the next delivery start", async () => {
    const store = memoryClaimStore();
    await claimRun(store, { workflow: "w", key: "k", runId: "run-1" });
    await store.release(idempotencyStorageKey("w", "k"), "run-1");
    assert.deepEqual(await claimRun(store, { workflow: "w", key: "k", runId: "run-2" }), { claimed: true });
  });
});
