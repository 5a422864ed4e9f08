import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { planRun } from "./plan";
import { createRunState, type RunState } from "./state";
import { step, type FinishedNode, type RunEffect } from "./step";
import { workflow } from "./testing";

function start(flow: string[], names: string[]) {
  const wf = workflow(flow, Object.fromEntries(names.map((n) => [n, { component: "x" }])));
  const state = createRunState({ run_id: "r", workflow: "test", started_at: "2026-01-01T00:00:00.000Z", input: { a: 1 }, plan: planRun(wf) });
  return step(state, { type: "start" });
}

const ok = (output: unknown = null, branch?: string): FinishedNode => ({ status: "succeeded", input: {}, output, error: null, attempts: 1, duration_ms: 1, ...(branch ? { branch } : {}) });
const bad = (code = "boom"): FinishedNode => ({ status: "failed", input: {}, output: null, error: { code, message: "it broke" }, attempts: 1, duration_ms: 1 });
const finish = (state: RunState, node: string, outcome: FinishedNode) => step(state, { type: "node_finished", node, outcome, elapsed_ms: 5 });
const ran = (effects: RunEffect[]) => effects.filter((e) => e.type === "run_node").map((e) => (e as { node: string }).node);
const skipped = (effects: RunEffect[]) => effects.filter((e) => e.type === "node_skipped").map((e) => (e as { node: string }).node);
const statuses = (s: RunState) => Object.fromEntries(Object.entries(s.nodes).map(([k, v]) => [k, v.status]));

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe("planRun", () => {
  test("planned once per compiled workflow: the same frozen plan", () => {
    const wf = workflow(["input >> ON_SUCCESS >> a", "a >> ON_SUCCESS >> b"], { a: { component: "x" }, b: { component: "x" } });
    const plan = planRun(wf);
    assert.equal(planRun(wf), plan);
    assert.deepEqual(plan.order, ["a", "b"]);
    assert.ok(Object.isFrozen(plan) && Object.isFrozen(plan.order) && Object.isFrozen(plan.incoming.b[0]));
    const other = workflow(["input >> ON_SUCCESS >> b", "b >> ON_SUCCESS >> a"], { a: { component: "x" }, b: { component: "x" } });
    assert.deepEqual(planRun(other).order, ["b", "a"]);
  });
});

describe("step (pure scheduler)", () => {
  //   input
  //   /   \
  //  a     b
  //   \   /
  //     c
  test("diamond join waits for both sides", () => {
    let r = start(["input >> ON_SUCCESS >> a", "input >> ON_SUCCESS >> b", "a >> ON_SUCCESS >> c", "b >> ON_SUCCESS >> c"], ["a", "b", "c"]);
    assert.deepEqual(ran(r.effects), ["a", "b"]);
    r = finish(r.state, "a", ok(1));
    assert.deepEqual(r.effects, []);
    assert.equal(r.state.nodes.c.status, "pending");
    r = finish(r.state, "b", ok(2));
    assert.deepEqual(ran(r.effects), ["c"]);
    r = finish(r.state, "c", ok(3));
    assert.deepEqual(r.effects, [{ type: "run_finished" }]);
    assert.equal(r.state.status, "succeeded");
    assert.equal(r.state.result, 3);
  });

  // input → a -ON_FAILURE→ b → c → d   (a succeeds: b, c, d all skipped in one step)
  test("skips propagate over several levels", () => {
    let r = start(["input >> ON_SUCCESS >> a", "a >> ON_FAILURE >> b", "b >> ON_SUCCESS >> c", "c >> ALWAYS >> d"], ["a", "b", "c", "d"]);
    r = finish(r.state, "a", ok());
    assert.deepEqual(skipped(r.effects), ["b", "c", "d"]);
    assert.equal(r.effects.at(-1)?.type, "run_finished");
    assert.equal(r.state.status, "succeeded");
  });

  // a join where one side is skipped still runs (one edge fired)
  test("a join runs when at least one incoming edge fired", () => {
    let r = start(["input >> ON_SUCCESS >> a", "a >> ON_SUCCESS >> b", "a >> ON_FAILURE >> c", "b >> ON_SUCCESS >> d", "c >> ON_SUCCESS >> d"], ["a", "b", "c", "d"]);
    r = finish(r.state, "a", ok());
    assert.deepEqual(ran(r.effects), ["b"]);
    assert.deepEqual(skipped(r.effects), ["c"]);
    assert.equal(r.state.nodes.d.status, "pending");
    r = finish(r.state, "b", ok());
    assert.deepEqual(ran(r.effects), ["d"]);
  });

  test("failure routing: ON_FAILURE taken, ON_SUCCESS skipped, run succeeds", () => {
    let r = start(["input >> ON_SUCCESS >> a", "a >> ON_SUCCESS >> good", "a >> ON_FAILURE >> handler"], ["a", "good", "handler"]);
    r = finish(r.state, "a", bad());
    assert.deepEqual(ran(r.effects), ["handler"]);
    assert.deepEqual(skipped(r.effects), ["good"]);
    r = finish(r.state, "handler", ok("handled"));
    assert.equal(r.state.status, "succeeded");
    assert.equal(r.state.result, "handled");
  });

  test("ALWAYS fires on success and on failure", () => {
    for (const outcome of [ok(), bad()]) {
      let r = start(["input >> ON_SUCCESS >> a", "a >> ALWAYS >> cleanup"], ["a", "cleanup"]);
      r = finish(r.state, "a", outcome);
      assert.deepEqual(ran(r.effects), ["cleanup"]);
    }
  });

  test("branch labels fire only for the emitted label", () => {
    let r = start(["input >> ON_SUCCESS >> check", "check >> ON_TRUE >> yes", "check >> ON_FALSE >> no", "check >> ON_SUCCESS >> log"], ["check", "yes", "no", "log"]);
    r = finish(r.state, "check", ok({ result: true }, "ON_TRUE"));
    assert.deepEqual(ran(r.effects), ["yes", "log"]);
    assert.deepEqual(skipped(r.effects), ["no"]);
  });

  test("an unhandled failure fails the run and names the node; siblings still finish", () => {
    let r = start(["input >> ON_SUCCESS >> a", "input >> ON_SUCCESS >> b"], ["a", "b"]);
    r = finish(r.state, "a", bad("http_error"));
    assert.equal(r.state.status, "running");
    assert.equal(r.state.nodes.b.status, "running");
    r = finish(r.state, "b", ok("fine"));
    assert.equal(r.state.status, "failed");
    assert.equal(r.state.error?.node, "a");
    assert.equal(r.state.error?.code, "http_error");
    assert.match(r.state.error?.message ?? "", /node "a" failed: it broke/);
    assert.equal(r.state.result, "fine");
  });

  test("state is plain JSON and never mutated", () => {
    const first = start(["input >> ON_SUCCESS >> a", "a >> ON_SUCCESS >> b"], ["a", "b"]);
    const frozen = deepFreeze(structuredClone(first.state));
    const snapshot = JSON.stringify(frozen);
    const next = finish(frozen, "a", ok({ x: [1, 2] }));
    assert.equal(JSON.stringify(frozen), snapshot);
    assert.deepEqual(JSON.parse(JSON.stringify(next.state)), next.state);
    assert.deepEqual(statuses(next.state), { a: "succeeded", b: "running" });
  });

  test("a finished event for a node that is not running is a bug", () => {
    const r = start(["input >> ON_SUCCESS >> a", "a >> ON_SUCCESS >> b"], ["a", "b"]);
    assert.throws(() => finish(r.state, "b", ok()), /node "b" finished but was pending/);
  });

  test("topological order is stable and follows edges, not declaration", () => {
    const wf = workflow(["input >> ON_SUCCESS >> z", "z >> ON_SUCCESS >> a", "input >> ON_SUCCESS >> m"], { a: { component: "x" }, m: { component: "x" }, z: { component: "x" } });
    const plan = planRun(wf);
    assert.deepEqual(plan.order, ["m", "z", "a"]);
    assert.deepEqual(plan.terminals, ["a", "m"]);
  });
});
