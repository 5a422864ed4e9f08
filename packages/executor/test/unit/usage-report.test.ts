// The usage report hook in-process: one batched POST /analytics/record per run, WASM component
// nodes only (with their contract versions), handed to `waitUntil` and never awaited by the run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inMemoryExecutor } from "./in-memory";

const { usageReportHooks } = await import("../../src/services/usage-report");

const WORKFLOW = `name: usage
flow:
  - "input >> ON_SUCCESS >> enc"
  - "enc >> ON_SUCCESS >> dec"
  - "dec >> ON_FAILURE >> note"
  - "dec >> ON_SUCCESS >> shout"
config:
  enc: {component: base64, action: encode, text: "{{input.text}}"}
  dec: {component: base64, action: decode, text: "{{input.bad}}"}
  note: {component: code, code: "return 'bad'"}
  shout: {component: text_case, text: "{{dec.data}}", case: upper}
`;

interface Sent {
  url: string;
  headers: Headers;
  body: any;
}

function setup(registry: (request: Request) => Promise<Response>, neverWasm?: ReadonlySet<string>) {
  const sent: Sent[] = [];
  const pending: Promise<unknown>[] = [];
  const holder: { hooks?: ReturnType<typeof usageReportHooks> } = {};
  const ex = inMemoryExecutor({
    hooks: {
      nodeFinished: (id, trace) => holder.hooks!.nodeFinished!(id, trace),
      runFinished: (run) => holder.hooks!.runFinished!(run),
    },
  });
  holder.hooks = usageReportHooks({
    registry: {
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        sent.push({ url: request.url, headers: request.headers, body: await request.clone().json() });
        // as fetch does: the request's signal aborts it
        return Promise.race([registry(request), new Promise<Response>((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)))]);
      }) as Fetcher["fetch"],
    },
    key: "reg-key",
    resolver: ex.services.resolver,
    background: (work) => void pending.push(work),
    timeoutMs: 1500,
    neverWasm,
  });
  const run = (input: unknown, workflow = WORKFLOW) => ex.json("/execute", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ workflow, input }) });
  return { sent, pending, run };
}

test("one batched report per run: WASM component nodes with their contract versions; builtins and skipped nodes left out", async () => {
  const { sent, pending, run } = setup(async () => Response.json({ recorded: 2, dropped: 0 }));
  const { status, body } = await run({ text: "hi", bad: "*" });
  assert.equal(status, 200);
  assert.equal(body.status, "succeeded");
  await Promise.all(pending);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].url, "http://registry/analytics/record");
  assert.equal(sent[0].headers.get("authorization"), "Bearer reg-key");
  const records = sent[0].body.records;
  assert.deepEqual(
    records.map((r: any) => [r.component, r.version, r.success]),
    [
      ["base64", "1.0.0", true],
      ["base64", "1.0.0", false],
    ],
    "code (builtin) is not reported, text_case was skipped",
  );
  const traces = body.nodes.filter((n: any) => n.component === "base64");
  assert.deepEqual(records.map((r: any) => r.duration_ms), traces.map((n: any) => n.duration_ms));
});

test("with the builtins' names given (as the Worker does), a run of builtins only schedules no report at all", async () => {
  const { sent, pending, run } = setup(async () => Response.json({ recorded: 2, dropped: 0 }), new Set(["code", "if", "respond"]));
  const builtinsOnly = `name: builtins\nflow:\n  - "input >> ON_SUCCESS >> a"\n  - "a >> ON_SUCCESS >> b"\nconfig:\n  a: {component: code, code: "return 1"}\n  b: {component: respond, body: {ok: true}}\n`;
  assert.equal((await run({}, builtinsOnly)).status, 200);
  assert.equal(pending.length, 0, "nothing handed to waitUntil");
  const mixed = await run({ text: "hi", bad: "*" });
  assert.equal(mixed.body.status, "succeeded");
  await Promise.all(pending);
  assert.equal(sent.length, 1, "WASM nodes are still reported");
  assert.deepEqual(sent[0].body.records.map((r: any) => r.component), ["base64", "base64"]);
});

test("a registry that hangs or fails does not slow or fail the run", async () => {
  for (const registry of [() => new Promise<Response>(() => {}), async () => new Response("boom", { status: 500 }), async () => Promise.reject(new Error("down"))]) {
    const { sent, pending, run } = setup(registry);
    const started = performance.now();
    const { status, body } = await run({ text: "hi", bad: "aGk=" });
    const elapsed = performance.now() - started;
    assert.equal(status, 200);
    assert.equal(body.status, "succeeded");
    assert.ok(elapsed < 1000, `the run answered in ${elapsed} ms, not after the registry's timeout`);
    assert.equal(pending.length, 1, "the report was handed to waitUntil");
    const errors: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args.join(" "));
    const alive = setInterval(() => {}, 50); // AbortSignal.timeout's timer does not keep Node running
    try {
      await Promise.all(pending); // the hang is cut off by the 1.5 s timeout
    } finally {
      clearInterval(alive);
      console.error = original;
    }
    assert.equal(sent.length, 1);
    assert.equal(errors.length, 1, errors.join("\n"));
    assert.match(errors[0], /usage not reported to the registry/);
    assert.doesNotMatch(errors[0], /reg-key/);
  }
});
