// A CPU profile of the executor's isolate under load, to find where a request's time goes:
//   node scripts/bench/profile.mjs [path] [requests]   (default: the peers' signup-5 named query, 4000)
// Workflows it pushes: signup_5_peers, signup_5_unrecorded (record: none), one_node and
// one_node_unrecorded (record: none), e.g. /webhooks/named/one_node_unrecorded/query.
// Serves the executor as `npm run bench` does, with Miniflare's inspector on a free port, loads it
// at 10 connections and prints each function's self and inclusive time per request (sampled every
// 50 µs; the profiler itself adds overhead, so compare entries, not totals with the bench). The
// whole profile is written to $TMPDIR/arcrun-executor.cpuprofile (open it in Chrome DevTools).
// Only the executor's isolate is sampled: the D1/KV simulators and workerd's own C++ are not.
// `--survivors` samples allocations instead, keeping only what outlived a young-generation GC
// (live, or collected later by a full GC): bytes per request by allocating stack. What survives
// is what makes scavenges slow and fills the old generation (see issue 12's notes on GC). What
// was allocated since the last young-generation GC counts too, garbage or not: compare runs of
// the same length, long enough (≥ 5000 requests) for that tail to be small.
import { Agent, request } from "node:http";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { register } from "tsx/esm/api";
import WebSocket from "ws";
register();
const root = new URL("../..", import.meta.url).pathname;
const { Miniflare } = await import("miniflare");
const { executorMiniflareOptions } = await import("@arcrun/local/host/miniflare-options");
const { bundleExecutor } = await import("@arcrun/local/build/executor.mjs");
const temp = mkdtempSync(join(tmpdir(), "prof-"));
const SURVIVORS = process.argv.includes("--survivors");
const [path = "/webhooks/named/signup_5_peers/query", requests] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const N = Number(requests ?? 4000);
const apiKey = randomBytes(24).toString("base64url");
const { scriptPath } = await bundleExecutor({ root, outdir: join(temp, "executor") });
const inspectorPort = await new Promise((resolve) => { const s = createServer().listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); }); });
const mf = new Miniflare({ ...executorMiniflareOptions({ scriptPath, apiKey, port: 0 }), inspectorPort });
const url = (await mf.unsafeGetDirectURL()).href.replace(/\/$/, "");
const agent = new Agent({ keepAlive: true, maxSockets: 10 });
const auth = { authorization: `Bearer ${apiKey}` };
function send(p, headers, body, method = "POST") {
  return new Promise((resolve, reject) => {
    const req = request(url + p, { method, agent, headers: method === "GET" ? headers : { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
      const c = []; res.on("data", (x) => c.push(x)); res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(c).toString() }));
    });
    req.on("error", reject); req.end(method === "GET" ? undefined : body);
  });
}
const peers = readFileSync(join(root, "bench/signup_5_peers.yaml"), "utf8");
const floor = `name: one_node\nflow:\n  - "input >> ON_SUCCESS >> answer"\nconfig:\n  answer:\n    component: respond\n    body: {a: 1}\n`;
for (const y of [peers, peers.replace("name: signup_5_peers\n", "name: signup_5_unrecorded\nrecord: none\n"), floor, floor.replace("name: one_node\n", "name: one_node_unrecorded\nrecord: none\n")]) {
  const r = await send("/workflows", { ...auth, "content-type": "text/yaml" }, y); if (r.status !== 201) throw new Error(r.body);
}
const BODY = JSON.stringify({ email: "Ada@Example.com", age: 30, name: "ada lovelace", tags: ["x", "y"] });
const method = path === "/health" ? "GET" : "POST";
async function load(n) {
  let next = 0;
  await Promise.all(Array.from({ length: 10 }, async () => { while (next++ < n) { const r = await send(path, { ...auth, "content-type": "application/json" }, BODY, method); if (r.status !== 200) throw new Error(r.body); } }));
}
await load(1000);
const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
const t = targets.find((x) => x.title.includes("executor") || x.id.includes("executor")) ?? targets[0];
const ws = new WebSocket(t.webSocketDebuggerUrl);
await new Promise((r) => ws.on("open", r));
let id = 0; const pending = new Map();
ws.on("message", (m) => { const msg = JSON.parse(m); if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); } });
const call = (method, params = {}) => new Promise((r) => { const i = ++id; pending.set(i, r); ws.send(JSON.stringify({ id: i, method, params })); });
/** A profile node's call frame as one line: function, file, line. */
const frameName = (node) => `${node.callFrame.functionName || "(anon)"} ${node.callFrame.url.split("/").pop()}:${node.callFrame.lineNumber}`;

async function survivors() {
  await call("HeapProfiler.enable");
  await call("HeapProfiler.startSampling", { samplingInterval: 2048, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: false });
  await load(N);
  const { result } = await call("HeapProfiler.stopSampling");
  const byStack = new Map();
  let total = 0;
  const walk = (node, stack) => {
    const here = [...stack, frameName(node)];
    if (node.selfSize) {
      total += node.selfSize;
      const key = here.slice(-3).reverse().join(" < ");
      byStack.set(key, (byStack.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, here);
  };
  walk(result.profile.head, []);
  console.log(`${N} req; survived a young-generation GC: ${(total / N).toFixed(0)} bytes/request (sampled every 2 KiB)`);
  for (const [k, v] of [...byStack].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log((v / N).toFixed(0).padStart(7), k.slice(0, 200));
}

async function cpuProfile() {
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: 50 });
  await call("Profiler.start");
  const t0 = performance.now();
  await load(N);
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 100));
  const { result } = await call("Profiler.stop");
  writeFileSync(join(tmpdir(), "arcrun-executor.cpuprofile"), JSON.stringify(result.profile));
  const p = result.profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map(); const dt = new Map();
  for (let i = 0; i < p.samples.length; i++) { const d = p.timeDeltas[i] ?? 0; dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + d); }
  const parent = new Map(); for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = [...dt.values()].reduce((a, b) => a + b, 0);
  const inclusive = new Map();
  for (const [nid, d] of dt) {
    const k = frameName(byId.get(nid)); self.set(k, (self.get(k) ?? 0) + d);
    const seen = new Set(); let cur = nid;
    while (cur !== undefined) { const kk = frameName(byId.get(cur)); if (!seen.has(kk)) { seen.add(kk); inclusive.set(kk, (inclusive.get(kk) ?? 0) + d); } cur = parent.get(cur); }
  }
  const idle = [...self].filter(([k]) => k.startsWith("(idle)")).reduce((a, [, v]) => a + v, 0);
  console.log(`${N} req in ${ms.toFixed(0)} ms; sampled ${(total / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms; busy µs/req ${((total - idle) / N).toFixed(1)}`);
  console.log("--- self (µs/req)");
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log((v / N).toFixed(1).padStart(7), k);
  console.log("--- inclusive (µs/req)");
  for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 150)) console.log((v / N).toFixed(1).padStart(7), k);
}

await (SURVIVORS ? survivors() : cpuProfile());
ws.close(); await mf.dispose(); rmSync(temp, { recursive: true, force: true });
