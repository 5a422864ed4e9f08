/**
 * The driver with DurableSteps (execute.ts), over a fake step store that behaves like
 * Workflows: a finished step's result is stored and returned on replay; a step retries while
 * its attempt asks for it. Plus the waiting builtins, durations, big outputs and trace context.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { executeWorkflow, type DurableSteps } from "./execute";
import { component, resolverOf, workflow } from "./testing";
import type { NodeRunResult } from "./node-runner";
import { parseDuration, durationProblem } from "./duration";
import { newTraceId, traceIdFrom, traceparentOf } from "./trace";
import { waitComponent, waitForEventComponent } from "../builtins/wait";
import { compileWorkflow } from "../workflow/compile";
import { staticResolver } from "../builtins/index";

/** Workflows-like steps: results stored by name; `crashAt` makes that step throw (the process dies there). */
function fakeSteps(store: Map<string, unknown>, options: { crashAt?: string; events?: Record<string, unknown>; log?: string[] } = {}): DurableSteps {
  return {
    async node(name, limits, attempt) {
      const key = `node ${name}`;
      if (store.has(key)) return store.get(key) as NodeRunResult;
      if (options.crashAt === name) throw new Error("crash");
      for (let n = 1; ; n++) {
        const result = await attempt(n, n > limits.retries);
        if (!result.retry) {
          store.set(key, result);
          return result;
        }
        options.log?.push(`retry ${name} after attempt ${n}`);
      }
    },
    async sleep(node, ms) {
      options.log?.push(`sleep ${node} ${ms}`);
    },
    async waitForEvent(node, event) {
      options.log?.push(`wait ${node} ${event}`);
      return options.events && event in options.events ? { payload: options.events[event] } : undefined;
    },
  };
}

describe("durable driver", () => {
  test("replayed after a crash: finished nodes are not run again, the first unfinished one is", async () => {
    const calls: string[] = [];
    const counted = component("counted", (params) => {
      calls.push(String(params.id));
      return { success: true, data: params.id };
    });
    const wf = workflow(["input >> ON_SUCCESS >> a", "a >> ON_SUCCESS >> b", "b >> ON_SUCCESS >> c"], {
      a: { component: "counted", id: "a" }, b: { component: "counted", id: "b" }, c: { component: "counted", id: "c" },
    });
    const store = new Map<string, unknown>();
    await assert.rejects(executeWorkflow(wf, { resolver: resolverOf(counted), input: {}, durable: fakeSteps(store, { crashAt: "b" }) }), /crash/);
    assert.deepEqual(calls, ["a"]);
    const record = await executeWorkflow(wf, { resolver: resolverOf(counted), input: {}, durable: fakeSteps(store) });
    assert.equal(record.status, "succeeded");
    assert.deepEqual(calls, ["a", "b", "c"]);
    assert.deepEqual(record.nodes.map((n) => n.output), ["a", "b", "c"]);
  });

  test("a retryable failure is retried by the step, one attempt per call, with the node's retries", async () => {
    let calls = 0;
    const flaky = component("flaky", () => (++calls < 3 ? { success: false, error: { code: "network_error", message: "down", retryable: true } } : { success: true, data: calls }));
    const log: string[] = [];
    const record = await executeWorkflow(workflow(["input >> ON_SUCCESS >> f"], { f: { component: "flaky", limits: { retries: 2, backoff_ms: 1 } } }), {
      resolver: resolverOf(flaky), input: {}, durable: fakeSteps(new Map(), { log }),
    });
    assert.equal(record.status, "succeeded");
    assert.equal(record.nodes[0].attempts, 3);
    assert.deepEqual(log, ["retry f after attempt 1", "retry f after attempt 2"]);

    calls = -10; // never succeeds within the retries: the last attempt's failure is the node's
    const failed = await executeWorkflow(workflow(["input >> ON_SUCCESS >> f"], { f: { component: "flaky", limits: { retries: 1, backoff_ms: 1 } } }), {
      resolver: resolverOf(flaky), input: {}, durable: fakeSteps(new Map()),
    });
    assert.equal(failed.status, "failed");
    assert.equal(failed.nodes[0].attempts, 2);
    assert.equal(failed.nodes[0].error?.code, "network_error");
  });

  test("wait and wait_for_event: the run reports waiting, then the event's payload is the node's data; a missed event is event_timeout", async () => {
    const resolver = resolverOf(waitComponent, waitForEventComponent, component("echo", (p) => ({ success: true, data: p })));
    const wf = workflow(["input >> ON_SUCCESS >> pause", "pause >> ON_SUCCESS >> ask", "ask >> ON_SUCCESS >> done"], {
      pause: { component: "wait", for: "10m" },
      ask: { component: "wait_for_event", event: "approval", timeout: "2d" },
      done: { component: "echo", by: "{{ask.data.by}}" },
    });
    const log: string[] = [];
    const waits: unknown[] = [];
    const clock = { now: () => Date.UTC(2026, 11, 1) };
    const record = await executeWorkflow(wf, {
      resolver, input: {}, clock, durable: fakeSteps(new Map(), { log, events: { approval: { by: "ada" } } }),
      hooks: { runWaiting: (_id, w) => void waits.push(w) },
    });
    assert.equal(record.status, "succeeded");
    assert.deepEqual(record.result, { by: "ada" });
    assert.deepEqual(log, ["sleep pause 600000", "wait ask approval"]);
    assert.deepEqual(waits, [
      { node: "pause", kind: "time", until: "2026-12-01T00:10:00.000Z" },
      undefined,
      { node: "ask", kind: "event", until: "2026-12-03T00:00:00.000Z", event: "approval" },
      undefined,
    ]);
    assert.deepEqual(record.nodes[0].output, { until: "2026-12-01T00:10:00.000Z" });

    const missed = await executeWorkflow(wf, { resolver, input: {}, durable: fakeSteps(new Map()) });
    assert.equal(missed.status, "failed");
    assert.equal(missed.error?.code, "event_timeout");
    assert.equal(missed.error?.node, "ask");
  });

  test("without durable steps a waiting node fails with wait_not_durable", async () => {
    const record = await executeWorkflow(workflow(["input >> ON_SUCCESS >> pause"], { pause: { component: "wait", for: "1s" } }), { resolver: resolverOf(waitComponent), input: {} });
    assert.equal(record.status, "failed");
    assert.equal(record.nodes[0].error?.code, "wait_not_durable");
  });

  test("a bad wait fails the node with invalid_input (the run's templates gave a bad value)", async () => {
    const resolver = resolverOf(waitComponent, waitForEventComponent);
    const bad = async (config: Record<string, unknown>) => {
      const record = await executeWorkflow(workflow(["input >> ON_SUCCESS >> w"], { w: { component: "wait", ...config } as never }), { resolver, input: {}, durable: fakeSteps(new Map()) });
      return record.nodes[0].error?.message ?? "";
    };
    assert.match(await bad({ for: "400d" }), /longer than 365 days/);
    assert.match(await bad({ for: "soon" }), /not a duration/);
    assert.match(await bad({}), /exactly one of/);
    assert.match(await bad({ until: "tomorrow" }), /ISO time/);
  });
});

describe("big outputs and tracing", () => {
  test("an output over maxTraceBytes is offloaded and traced by reference; later nodes read it whole", async () => {
    const big = component("big", () => ({ success: true, data: { text: "x".repeat(3000) } }));
    const len = component("len", (p) => ({ success: true, data: String(p.text).length }));
    const stored: Record<string, unknown> = {};
    const record = await executeWorkflow(workflow(["input >> ON_SUCCESS >> b", "b >> ON_SUCCESS >> l"], { b: { component: "big" }, l: { component: "len", text: "{{b.data.text}}" } }), {
      resolver: resolverOf(big, len), input: {}, maxTraceBytes: 1024,
      offload: async (node, output, bytes) => {
        stored[node] = output;
        return { key: `k/${node}`, bytes };
      },
    });
    assert.equal(record.result, 3000);
    assert.equal(record.nodes[0].output, null);
    assert.deepEqual(record.nodes[0].output_ref, { key: "k/b", bytes: 3011 });
    assert.equal(record.nodes[1].output_ref, undefined);
    assert.deepEqual(Object.keys(stored), ["b"]);
  });

  test("traceparent: parsed, refused when malformed, and sent by every outbound request of a node", async () => {
    assert.equal(traceIdFrom("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), "4bf92f3577b34da6a3ce929d0e0e4736");
    for (const bad of [undefined, "", "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"]) assert.equal(traceIdFrom(bad), undefined);
    assert.match(newTraceId(), /^[0-9a-f]{32}$/);
    const headers: (string | null)[] = [];
    const fetcher = (async (_url: RequestInfo | URL, init?: RequestInit) => {
      headers.push(new Headers(init?.headers).get("traceparent"));
      return new Response("{}");
    }) as typeof fetch;
    const caller = component("caller", async (_p, ctx) => {
      await ctx.fetch("https://example.com/");
      await ctx.fetch("https://example.com/", { headers: { traceparent: traceparentOf("a".repeat(32), "b".repeat(16)) } });
      return { success: true, data: ctx.traceparent };
    });
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const record = await executeWorkflow(workflow(["input >> ON_SUCCESS >> c", "c >> ON_SUCCESS >> d"], { c: { component: "caller" }, d: { component: "caller" } }), {
      resolver: resolverOf(caller), input: {}, fetch: fetcher, traceId,
    });
    assert.equal(record.trace_id, traceId);
    assert.match(String(headers[0]), new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    assert.equal(headers[1], traceparentOf("a".repeat(32), "b".repeat(16)), "a header the node set is kept");
    assert.equal(headers[0], record.nodes[0].output);
    assert.notEqual(record.nodes[0].output, record.nodes[1].output, "a span per node");
  });
});

describe("durations and the 365-day limit", () => {
  test("parseDuration", () => {
    assert.equal(parseDuration("10m"), 600_000);
    assert.equal(parseDuration("1h30m"), 5_400_000);
    assert.equal(parseDuration("2d"), 172_800_000);
    assert.equal(parseDuration("500ms"), 500);
    assert.equal(parseDuration("1.5s"), 1500);
    for (const bad of ["", "10", "m", "10 minutes", "-1s", "1y"]) assert.equal(parseDuration(bad), undefined, bad);
    assert.equal(durationProblem("365d", "for"), undefined);
    assert.match(String(durationProblem("366d", "for")), /longer than 365 days/);
    assert.match(String(durationProblem(5, "for")), /duration text/);
  });

  test("a literal wait over 365 days is an invalid_wait issue with its line; a templated one is left to the run", async () => {
    const resolver = staticResolver([waitComponent, waitForEventComponent]);
    const bad = await compileWorkflow(`name: w\nflow:\n  - "input >> ON_SUCCESS >> a"\n  - "a >> ON_SUCCESS >> b"\nconfig:\n  a:\n    component: wait\n    for: "400d"\n  b:\n    component: wait_for_event\n    event: ok\n    timeout: "soon"\n`, { resolver });
    assert.equal(bad.ok, false);
    if (bad.ok) return;
    assert.deepEqual(bad.issues.map((i) => [i.code, i.node, i.line]), [["invalid_wait", "a", 8], ["invalid_wait", "b", 12]]);
    const later = await compileWorkflow(`name: w\nflow: ["input >> ON_SUCCESS >> a"]\nconfig:\n  a:\n    component: wait\n    until: "{{input.at}}"\n`, { resolver });
    assert.equal(later.ok, true);
    const far = await compileWorkflow(`name: w\nflow: ["input >> ON_SUCCESS >> a"]\nconfig:\n  a:\n    component: wait\n    until: "2999-01-01T00:00:00Z"\n`, { resolver });
    assert.equal(far.ok, false);
  });
});
