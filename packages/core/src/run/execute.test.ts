import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { executeWorkflow, type ExecuteOptions } from "./execute";
import { RunRecordSchema, type RunRecord } from "./schema";
import { component, resolverOf, workflow } from "./testing";
import type { Component, NodeOutcome } from "../components/types";
import type { NodeConfig } from "../workflow/schema";

/** echo: returns its params as data */
const echo = component("echo", (params) => ({ success: true, data: params }));
const fail = component("fail", (params) => ({ success: false, error: { code: String(params.code ?? "boom"), message: "it broke", retryable: params.retryable === true } }));

function run(flow: string[], nodes: Record<string, NodeConfig>, options: Partial<ExecuteOptions> & { components?: Component[] } = {}) {
  const { components = [], ...rest } = options;
  return executeWorkflow(workflow(flow, nodes), { resolver: resolverOf(echo, fail, ...components), input: { name: "ada", n: 2 }, ...rest });
}
const byNode = (record: RunRecord) => Object.fromEntries(record.nodes.map((n) => [n.node, n]));
const deferred = <T = void>() => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};

describe("executeWorkflow", () => {
  test("diamond join: data flows through templates and the record has the one run shape", async () => {
    const record = await run(
      ["input >> ON_SUCCESS >> a", "input >> ON_SUCCESS >> b", "a >> ON_SUCCESS >> c", "b >> ON_SUCCESS >> c"],
      {
        c: { component: "echo", left: "{{a.data.v}}", right: "{{b.data.v}}", text: "{{a.data.v}} and {{b.data.v}}" },
        a: { component: "echo", v: "{{input.name}}" },
        b: { component: "echo", v: "{{input.n}}" },
      },
      { runId: "run-1", clock: { now: () => 1_700_000_000_000 } },
    );
    assert.equal(record.status, "succeeded");
    assert.deepEqual(record.result, { left: "ada", right: 2, text: "ada and 2" });
    assert.deepEqual(record.nodes.map((n) => n.node), ["a", "b", "c"]);
    assert.equal(record.run_id, "run-1");
    assert.equal(record.started_at, "2023-11-14T22:13:20.000Z");
    assert.doesNotThrow(() => RunRecordSchema.parse(record));
  });

  test("skipped nodes appear once with attempts 0 and null input/output; input is not listed", async () => {
    const record = await run(["input >> ON_SUCCESS >> a", "a >> ON_FAILURE >> b", "b >> ON_SUCCESS >> c"], {
      a: { component: "echo" }, b: { component: "echo" }, c: { component: "echo" },
    });
    assert.deepEqual(record.nodes.map((n) => [n.node, n.status, n.attempts, n.input, n.output]), [
      ["a", "succeeded", 1, {}, {}], ["b", "skipped", 0, null, null], ["c", "skipped", 0, null, null],
    ]);
    assert.equal(record.status, "succeeded");
  });

  test("failure routing: ON_FAILURE runs with the error, ON_SUCCESS is skipped, run succeeds", async () => {
    const record = await run(["input >> ON_SUCCESS >> a", "a >> ON_SUCCESS >> next", "a >> ON_FAILURE >> handle"], {
      a: { component: "fail", code: "bad_thing" },
      next: { component: "echo" },
      handle: { component: "echo", why: "{{a.error.message}}", code: "{{a.error.code}}", status: "{{a.status}}" },
    });
    const nodes = byNode(record);
    assert.equal(nodes.a.status, "failed");
    assert.equal(nodes.next.status, "skipped");
    assert.deepEqual(nodes.handle.output, { why: "it broke", code: "bad_thing", status: "failed" });
    assert.equal(record.status, "succeeded");
    assert.equal(record.error, undefined);
  });

  test("ALWAYS runs after a failure and the failure counts as handled", async () => {
    const record = await run(["input >> ON_SUCCESS >> a", "a >> ALWAYS >> cleanup"], { a: { component: "fail" }, cleanup: { component: "echo", done: true } });
    assert.equal(byNode(record).cleanup.status, "succeeded");
    assert.equal(record.status, "succeeded");
  });

  test("an unhandled failure fails the run while its sibling finishes", async () => {
    const failed = deferred();
    const slow = component("slow", async () => {
      await failed.promise; // finishes only after the sibling has failed
      return { success: true, data: "slow done" };
    });
    const failing = component("failing", () => {
      queueMicrotask(() => failed.resolve());
      return { success: false, error: { code: "http_error", message: "503 from upstream" } };
    });
    const record = await run(["input >> ON_SUCCESS >> a", "input >> ON_SUCCESS >> b"], { a: { component: "failing" }, b: { component: "slow" } }, { components: [slow, failing] });
    assert.equal(record.status, "failed");
    assert.deepEqual(record.error, { node: "a", code: "http_error", message: 'node "a" failed: 503 from upstream' });
    assert.equal(byNode(record).b.status, "succeeded");
    assert.equal(record.result, "slow done");
  });

  test("independent branches run concurrently", async () => {
    const started = new Set<string>();
    const bothStarted = deferred();
    const barrier = component("barrier", async (_params, ctx) => {
      started.add(ctx.node);
      if (started.size === 2) bothStarted.resolve();
      await bothStarted.promise; // deadlocks (and times out) if the branches ran one after the other
      return { success: true, data: ctx.node };
    });
    const record = await run(["input >> ON_SUCCESS >> a", "input >> ON_SUCCESS >> b"], {
      a: { component: "barrier", limits: { timeout_ms: 5000 } }, b: { component: "barrier", limits: { timeout_ms: 5000 } },
    }, { components: [barrier] });
    assert.equal(record.status, "succeeded");
    assert.deepEqual(record.result, { a: "a", b: "b" });
  });

  test("retries retryable failures with exponential backoff and records attempts", async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const flaky = component("flaky", (): NodeOutcome => (++calls < 3 ? { success: false, error: { code: "network_error", message: "reset", retryable: true } } : { success: true, data: calls }));
    const record = await run(["input >> ON_SUCCESS >> a"], { a: { component: "flaky", limits: { retries: 4, backoff_ms: 100 } } }, {
      components: [flaky], sleep: async (ms) => { sleeps.push(ms); },
    });
    assert.equal(record.status, "succeeded");
    assert.equal(byNode(record).a.attempts, 3);
    assert.deepEqual(sleeps, [100, 200]);
  });

  test("retries stop at limits.retries; non-retryable failures are not retried", async () => {
    const sleeps: number[] = [];
    const record = await run(["input >> ON_SUCCESS >> a", "input >> ON_SUCCESS >> b"], {
      a: { component: "fail", retryable: true, limits: { retries: 2, backoff_ms: 10 } },
      b: { component: "fail", retryable: false, limits: { retries: 2 } },
    }, { sleep: async (ms) => { sleeps.push(ms); } });
    assert.equal(byNode(record).a.attempts, 3);
    assert.equal(byNode(record).b.attempts, 1);
    assert.deepEqual(sleeps, [10, 20]);
  });

  test("a component that never resolves times out, its signal aborts, and a timeout is retried", async () => {
    let aborted = 0;
    const hang = component("hang", (_p, ctx) => new Promise<NodeOutcome>(() => { ctx.signal.addEventListener("abort", () => aborted++); }));
    const record = await run(["input >> ON_SUCCESS >> a"], { a: { component: "hang", limits: { timeout_ms: 20, retries: 1, backoff_ms: 0 } } }, { components: [hang] });
    const a = byNode(record).a;
    assert.equal(a.status, "failed");
    assert.equal(a.error?.code, "timeout");
    assert.match(a.error?.message ?? "", /within 20 ms/);
    assert.equal(a.attempts, 2);
    assert.equal(aborted, 2);
    assert.equal(record.status, "failed");
  });

  test("a late result after a timeout is ignored", async () => {
    const release = deferred();
    const late = component("late", async () => { await release.promise; return { success: true, data: "too late" }; });
    const record = await run(["input >> ON_SUCCESS >> a"], { a: { component: "late", limits: { timeout_ms: 10 } } }, { components: [late] });
    release.resolve();
    assert.equal(byNode(record).a.error?.code, "timeout");
    assert.equal(byNode(record).a.output, null);
  });

  test("a component's untraced parameters (its program) reach it but stay out of the trace, on success and failure", async () => {
    const seen: Record<string, unknown>[] = [];
    const program = (name: string, succeed: boolean): Component => ({
      ...component(name, (params) => (seen.push(params), succeed ? { success: true, data: params.input ?? null } : { success: false, error: { code: "code_error", message: "no" } })),
      untracedParams: ["code"],
    });
    const record = await run(["input >> ON_SUCCESS >> ok", "input >> ON_SUCCESS >> bad"], {
      ok: { component: "prog", code: "return input", input: "{{input.name}}" },
      bad: { component: "prog_fails", code: "throw 1", input: 2 },
    }, { components: [program("prog", true), program("prog_fails", false)] });
    assert.deepEqual(seen.map((p) => p.code).sort(), ["return input", "throw 1"], "the component gets its program");
    assert.deepEqual(byNode(record).ok.input, { input: "ada" });
    assert.equal(byNode(record).ok.output, "ada");
    assert.deepEqual(byNode(record).bad.input, { input: 2 });
    assert.equal(byNode(record).bad.error?.code, "code_error");
    assert.doesNotMatch(JSON.stringify(record), /return input|throw 1/);
  });

  test("output over max_output_bytes fails the node with output_too_large", async () => {
    const big = component("big", () => ({ success: true, data: "é".repeat(600) })); // 1200 bytes + quotes
    const record = await run(["input >> ON_SUCCESS >> a"], { a: { component: "big", limits: { max_output_bytes: 1000, retries: 3 } } }, { components: [big] });
    const a = byNode(record).a;
    assert.equal(a.error?.code, "output_too_large");
    assert.match(a.error?.message ?? "", /1202 bytes.*limit of 1000/);
    assert.equal(a.attempts, 1);
  });

  test("limits merge: defaults ← contract ← node", async () => {
    let seen: unknown;
    const withContract = component("limited", (_p, ctx) => { seen = ctx.limits; return { success: true, data: null }; }, {
      contract: { name: "limited", version: "1", description: "", limits: { timeout_ms: 500, retries: 2 } },
    });
    await run(["input >> ON_SUCCESS >> a"], { a: { component: "limited", limits: { retries: 1, cpu_ms: 250 } } }, { components: [withContract] });
    assert.deepEqual(seen, { timeout_ms: 500, cpu_ms: 250, max_output_bytes: 1048576, retries: 1, backoff_ms: 200 });
  });

  test("a run of synchronous nodes gives way to other work between nodes (local workerd has one thread)", async () => {
    // each node works 15 ms without awaiting anything; a timer set when the run starts must
    // fire before the last node starts, not after the run (settled promises alone never yield)
    const order: string[] = [];
    const busy = component("busy", (_p, ctx) => {
      order.push(ctx.node);
      const until = Date.now() + 15;
      while (Date.now() < until);
      return { success: true, data: null };
    });
    setTimeout(() => order.push("timer"), 0);
    const record = await run(["input >> ON_SUCCESS >> a", "a >> ON_SUCCESS >> b", "b >> ON_SUCCESS >> c", "c >> ON_SUCCESS >> d"], {
      a: { component: "busy" }, b: { component: "busy" }, c: { component: "busy" }, d: { component: "busy" },
    }, { components: [busy] });
    assert.equal(record.status, "succeeded");
    assert.ok(order.indexOf("timer") > 0 && order.indexOf("timer") < order.length - 1, `the timer ran between nodes: ${order.join(" ")}`);
  });

  test("result: one terminal → its data; several → keyed by name; none succeeded → null", async () => {
    const one = await run(["input >> ON_SUCCESS >> a", "a >> ON_SUCCESS >> b"], { a: { component: "echo", x: 1 }, b: { component: "echo", y: 2 } });
    assert.deepEqual(one.result, { y: 2 });
    const several = await run(["input >> ON_SUCCESS >> a", "input >> ON_SUCCESS >> b"], { a: { component: "echo", x: 1 }, b: { component: "echo", y: 2 } });
    assert.deepEqual(several.result, { a: { x: 1 }, b: { y: 2 } });
    const none = await run(["input >> ON_SUCCESS >> a", "a >> ON_FAILURE >> b"], { a: { component: "echo" }, b: { component: "echo" } });
    assert.equal(none.result, null);
  });

  test("a template error fails the node naming the path, without retries", async () => {
    const record = await run(["input >> ON_SUCCESS >> a"], { a: { component: "echo", email: "{{input.user.email}}", limits: { retries: 3 } } });
    const a = byNode(record).a;
    assert.equal(a.error?.code, "template_error");
    assert.match(a.error?.message ?? "", /input\.user/);
    assert.equal(a.attempts, 0);
    assert.equal(record.status, "failed");
  });

  test("a missing credential fails with credential_missing and the command that adds it", async () => {
    const record = await run(["input >> ON_SUCCESS >> a"], { a: { component: "echo", token: "{{credential.tg_token}}" } }, { secrets: { get: async () => undefined } });
    const a = byNode(record).a;
    assert.equal(a.error?.code, "credential_missing");
    assert.match(a.error?.message ?? "", /"tg_token".*acr creds push/);
  });

  test("credentials are injected for the component and redacted from the trace", async () => {
    let received: unknown;
    const spy = component("spy", (params, ctx) => {
      received = params.auth;
      ctx.log(`using ${String(params.auth)}`);
      return { success: false, error: { code: "http_error", message: `rejected ${String(params.auth)}` } };
    });
    const record = await run(["input >> ON_SUCCESS >> a"], { a: { component: "spy", auth: "Bearer {{credential.api}}" } }, {
      components: [spy], secrets: { get: async (name) => (name === "api" ? "s3cr3t-value" : undefined) },
    });
    assert.equal(received, "Bearer s3cr3t-value");
    const text = JSON.stringify(record);
    assert.ok(!text.includes("s3cr3t-value"), text);
    assert.deepEqual(byNode(record).a.input, { auth: "Bearer [redacted:api]" });
    assert.deepEqual(byNode(record).a.logs, ["using Bearer [redacted:api]"]);
  });

  test("a component that throws becomes internal_error; run never throws", async () => {
    const thrower = component("thrower", () => { throw new Error("kaboom"); });
    const record = await run(["input >> ON_SUCCESS >> a"], { a: { component: "thrower" } }, { components: [thrower] });
    assert.equal(byNode(record).a.error?.code, "internal_error");
    assert.match(byNode(record).a.error?.message ?? "", /kaboom/);
  });

  test("an unknown component fails the node with a did-you-mean", async () => {
    const record = await run(["input >> ON_SUCCESS >> a"], { a: { component: "ecko" } });
    assert.equal(byNode(record).a.error?.code, "component_not_found");
    assert.match(byNode(record).a.error?.message ?? "", /did you mean "echo"/);
    assert.deepEqual(byNode(record).a.error?.details, { component: "ecko", hint: "publish it with `acr parts publish components/ecko`, push a recipe with `acr recipe push recipes/ecko.yaml`, or pick one from `acr parts` or `acr recipe list`" });
  });

  test("context: upstream holds fired sources in edge order; egress merges workflow, node and contract", async () => {
    let ctxSeen: { upstream: unknown; egress: string[] } | undefined;
    const peek = component("peek", (_p, ctx) => { ctxSeen = { upstream: ctx.upstream, egress: ctx.egress }; return { success: true, data: null }; }, {
      contract: { name: "peek", version: "1", description: "", egress: ["api.contract.dev"] },
    });
    await executeWorkflow(workflow(
      ["input >> ON_SUCCESS >> b", "input >> ON_SUCCESS >> a", "a >> ON_FAILURE >> m", "b >> ON_SUCCESS >> m", "input >> ALWAYS >> m"],
      { a: { component: "fail" }, b: { component: "echo", v: 1 }, m: { component: "peek", egress: ["node.dev"] } },
      { egress: ["wf.dev"] },
    ), { resolver: resolverOf(echo, fail, peek), input: { p: 1 } });
    assert.deepEqual(ctxSeen?.upstream, {
      a: { status: "failed", error: { code: "boom", message: "it broke" } },
      b: { status: "succeeded", data: { v: 1 } },
      input: { status: "succeeded", data: { p: 1 } },
    });
    assert.deepEqual(ctxSeen?.egress, ["wf.dev", "node.dev", "api.contract.dev"]);
  });

  test("hooks: runStarted (running), nodeFinished once per node, runFinished with the record", async () => {
    const calls: string[] = [];
    const record = await run(["input >> ON_SUCCESS >> a", "a >> ON_FAILURE >> b"], { a: { component: "echo" }, b: { component: "echo" } }, {
      hooks: {
        runStarted: (r) => { calls.push(`started:${r.status}:${r.nodes.length}`); },
        nodeFinished: (_id, t) => { calls.push(`node:${t.node}:${t.status}`); },
        runFinished: (r) => { calls.push(`finished:${r.status}`); },
      },
    });
    assert.deepEqual(calls, ["started:running:0", "node:a:succeeded", "node:b:skipped", "finished:succeeded"]);
    assert.match(record.run_id, /^[0-9a-f-]{36}$/);
  });
});
