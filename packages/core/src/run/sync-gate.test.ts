import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createSyncGate, LONG_CALL_MS, MAX_PAUSE_MS } from "./sync-gate";

/** a clock the work itself advances: `spend(ms)` is a call that worked that long */
function fakeClock() {
  let now = 1_000_000;
  return { clock: () => now, spend: (ms: number) => (now += ms), advance: (ms: number) => (now += ms) };
}

describe("sync gate", () => {
  test("short calls pass straight through, without a turn of the event loop", async () => {
    const { clock, spend } = fakeClock();
    const gate = createSyncGate(clock);
    const order: string[] = [];
    setTimeout(() => order.push("timer"), 0);
    for (let i = 0; i < 5; i++) await gate.run(() => { spend(LONG_CALL_MS - 1); order.push(`call${i}`); });
    assert.deepEqual(order, ["call0", "call1", "call2", "call3", "call4"]);
  });

  test("after a long call the next one waits for a pause, and other work runs in it", async () => {
    const { clock, spend } = fakeClock();
    const gate = createSyncGate(clock);
    const order: string[] = [];
    await gate.run(() => { spend(MAX_PAUSE_MS * 5); order.push("long"); });
    setTimeout(() => order.push("other request"), 0);
    await gate.run(() => order.push("next"));
    assert.deepEqual(order, ["long", "other request", "next"]);
  });

  test("one call at a time: a second async call waits until the first settles", async () => {
    const gate = createSyncGate();
    const order: string[] = [];
    let release!: () => void;
    const first = gate.run(() => new Promise<void>((r) => (release = () => { order.push("first done"); r(); })), 1000);
    const second = gate.run(() => order.push("second"));
    await new Promise((r) => setTimeout(r, 30));
    release();
    await Promise.all([first, second]);
    assert.deepEqual(order, ["first done", "second"]);
  });

  test("a frozen clock (Cloudflare during sync work, or a test) never blocks a waiter for good", async () => {
    const { clock, spend } = fakeClock();
    const gate = createSyncGate(clock);
    await gate.run(() => spend(500)); // long call, then the clock stops
    const never = gate.run(() => new Promise<void>(() => {}), 50); // holds the gate and never ends
    void never;
    const started = Date.now();
    assert.equal(await gate.run(() => "ran"), "ran");
    assert.ok(Date.now() - started < 5000);
  });
});
