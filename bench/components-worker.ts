/**
 * `npm run bench` (components part): a Worker that times each standard component inside workerd,
 * through the executor's own code paths — the bundled module via core's wasmComponent, and a
 * module from bytes via the executor's Worker Loader path (loadedWorker, as published components
 * run). Local workerd advances the clock during synchronous work, so Date.now() loops are fair
 * here (they are not on Cloudflare).
 *
 *   POST /bundled {name, params, cold, warm}        → {cold_ms, warm_ms}
 *   POST /loader  {name, params, wasm (base64), cold, warm} → {cold_ms, warm_ms}
 * cold: mean over `cold` fresh components (module checks + first instantiation + call), or fresh
 * loader isolates (isolate start + compile + call); warm: mean over `warm` calls of one of them.
 */
import { resolveLimits, wasmComponent, type Component, type NodeContext } from "@arcrun/core";
import { BUNDLED_COMPONENTS } from "@arcrun/executor/components/bundled.generated";
import { loadedWorker } from "@arcrun/executor/components/loader";

interface Env {
  LOADER: WorkerLoader;
  WASM_BUCKET: R2Bucket;
}
interface Job {
  name: string;
  params: Record<string, unknown>;
  cold: number;
  warm: number;
  wasm?: string;
}

let isolateRound = 0;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const job = (await request.json()) as Job;
    const entry = BUNDLED_COMPONENTS.find((c) => c.contract.name === job.name);
    if (!entry) return Response.json({ error: `${job.name} is not bundled` }, { status: 404 });
    const limits = resolveLimits(entry.contract.limits);
    const ctx: NodeContext = {
      runId: "bench", node: job.name, attempt: 1, limits, signal: new AbortController().signal,
      egress: [], fetch, upstream: {}, log() {},
    };
    const path = new URL(request.url).pathname;
    const body = JSON.stringify({ component: job.name, params: job.params, limits });

    if (path === "/bundled") {
      const cold = await timed(job.cold, async () => check(await wasmComponent(entry).run(job.params, ctx)));
      const component: Component = wasmComponent(entry);
      const warm = await timed(job.warm, async () => check(await component.run(job.params, ctx)));
      return Response.json({ cold_ms: cold, warm_ms: warm });
    }
    if (path === "/loader") {
      const bytes = Uint8Array.from(atob(job.wasm ?? ""), (c) => c.charCodeAt(0)).buffer;
      const call = async (worker: WorkerStub) => {
        const res = await worker.getEntrypoint().fetch("http://component/run", { method: "POST", body });
        check(((await res.json()) as { outcome: { success: boolean; error?: unknown } }).outcome);
      };
      // a new isolate id each time: isolate start + compile of the module + the call
      const round = ++isolateRound;
      const cold = await timed(job.cold, (i) => call(loadedWorker(env, { name: job.name, sha256: `bench-${round}-${i}` }, bytes)));
      const worker = loadedWorker(env, { name: job.name, sha256: `bench-${round}-warm` }, bytes);
      await call(worker);
      const warm = await timed(job.warm, () => call(worker));
      return Response.json({ cold_ms: cold, warm_ms: warm });
    }
    return new Response("not found", { status: 404 });
  },
};

function check(outcome: { success: boolean; error?: unknown }): void {
  if (!outcome.success) throw new Error(`the bench input failed: ${JSON.stringify(outcome.error)}`);
}

async function timed(times: number, f: (i: number) => Promise<void>): Promise<number> {
  const started = Date.now();
  for (let i = 0; i < times; i++) await f(i);
  return (Date.now() - started) / times;
}
