#!/usr/bin/env node
// `npm run bench`: arcrun next to the same work hand-written as a plain Worker, each in its own
// workerd process on a direct loopback socket (no Miniflare entry worker).
// The signup part (`npm run bench -- signup`): the peers' signup-5 (bench/signup_5_peers.yaml;
// the 200 body and the 400 for bad input checked byte for byte first) as the hand-written Worker
// (Braw's code, bench/handwritten-peers-worker.ts), arcrun with `record: all` and `record: none`,
// a 1-node respond workflow (the engine floor; also both ways) and `GET /health` (the serving
// floor). Each at 1 connection and at BENCH_CONCURRENCY (default 10) keep-alive connections,
// BENCH_REQUESTS (default 3000) requests (a quarter of them at 1), BENCH_ROUNDS (default 3)
// rounds that take the targets in turn, each figure the median of its rounds (CPU also its
// lowest and highest round): req/s, p50/p99, server CPU per request over the whole workerd
// process tree (/proc/<pid>/stat of it and its descendants), peak RSS of each server (VmHWM), the
// ratios the DESIGN targets name and what recording a run costs (scripts/bench/figures.mjs).
// `--json` prints one JSON document.
// `--baseline=<git ref>` also serves an executor built from that commit (scripts/bench/baseline.mjs)
// and prints this checkout's CPU over the baseline's, measured in the same run.
// `--extra` adds signup-5's code and set nodes each alone, the old signup-5 (run-record answer), /execute and logic_5.
// Then the components part (scripts/bench/components.mjs): cold and warm cost of each standard
// component, bundled and through the Worker Loader, and module sizes.
// Then the liveness part (scripts/bench/liveness.mjs): the max /health latency while
// while(true) code nodes burn their work budget (default, four runs at once, a cpu_ms opt-in).
// `npm run bench -- signup`, `-- components` or `-- liveness` runs one part.
import { build } from "esbuild";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { register } from "tsx/esm/api";
import { signupFigures } from "./bench/figures.mjs";

const PARTS = ["signup", "components", "liveness"];
const USAGE = `usage: npm run bench -- [signup] [components] [liveness] [--json] [--extra] [--baseline=<git ref>]

  signup        arcrun's signup-5 and the 1-node floor (record: all and none), GET /health beside
                the hand-written Worker: req/s at 1 and BENCH_CONCURRENCY connections, p50/p99,
                server CPU per request, peak RSS and the ratios the targets name
  components    cold and warm cost of each standard component, bundled and through the Worker Loader
  liveness      the longest GET /health wait while while(true) code nodes burn their budget
                (no part named: all three)

  --json        one JSON document on stdout (progress on stderr)
  --extra       signup: also, with record: none, signup-5's code and set nodes each alone before
                a respond; the old signup-5, /execute, logic_5
  --baseline=R  signup: also an executor built from commit R, and this checkout's CPU over it
  -h, --help    this text

  env: BENCH_REQUESTS (3000), BENCH_CONCURRENCY (10), BENCH_ROUNDS (3)`;
let args;
try {
  args = parseArgs({ allowPositionals: true, options: { json: { type: "boolean" }, extra: { type: "boolean" }, baseline: { type: "string" }, help: { type: "boolean", short: "h" } } });
} catch (err) {
  console.error(`bench: ${err.message}\n\n${USAGE}`);
  process.exit(2);
}
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const unknownPart = args.positionals.find((p) => !PARTS.includes(p));
if (unknownPart) {
  console.error(`bench: no part "${unknownPart}" (parts: ${PARTS.join(", ")})\n\n${USAGE}`);
  process.exit(2);
}

register(); // the Miniflare options live in TypeScript in @arcrun/local
const root = fileURLToPath(new URL("..", import.meta.url));
const { Miniflare } = await import("miniflare");
const { executorMiniflareOptions, COMPATIBILITY_DATE } = await import("@arcrun/local/host/miniflare-options");
const { bundleExecutor } = await import("@arcrun/local/build/executor.mjs");
const { benchComponents } = await import(pathToFileURL(join(root, "scripts/bench/components.mjs")).href);
const { benchLiveness } = await import(pathToFileURL(join(root, "scripts/bench/liveness.mjs")).href);
const { prepareBaseline } = await import(pathToFileURL(join(root, "scripts/bench/baseline.mjs")).href);
const JSON_OUT = args.values.json === true;
const EXTRA = args.values.extra === true;
const parts = args.positionals;
const wants = (part) => parts.length === 0 || parts.includes(part);

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const WARMUP = Math.min(500, Math.ceil(REQUESTS / 5));
const SIGNUP = JSON.stringify({ email: "Ada@Example.com", name: "ada", age: 36, plan: "pro" });
const workflowYaml = readFileSync(join(root, "bench/signup_5.yaml"), "utf8");
// the peers' signup-5 (../shared/bench/signup-5): same body, same answers, byte for byte
const PEERS_BODY = JSON.stringify({ email: "Ada@Example.com", age: 30, name: "ada lovelace", tags: ["x", "y"] });
const PEERS_OK = '{"greeting":"Hello Ada Lovelace, your score is 62","email":"ada@example.com","score":62}';
const PEERS_BAD = ['{"email":"nope","age":17,"name":""}', '{"error":"validation failed","fields":["email","age","name"]}'];
const peersYaml = readFileSync(join(root, "bench/signup_5_peers.yaml"), "utf8");
const peersUnrecordedYaml = peersYaml.replace("name: signup_5_peers\n", "name: signup_5_unrecorded\nrecord: none\n");
const floorYaml = `name: one_node\nflow:\n  - "input >> ON_SUCCESS >> answer"\nconfig:\n  answer:\n    component: respond\n    body: ${PEERS_OK}\n`;
const floorUnrecordedYaml = floorYaml.replace("name: one_node\n", "name: one_node_unrecorded\nrecord: none\n");
const logicYaml = readFileSync(join(root, "bench/logic_5.yaml"), "utf8");
/**
 * One of signup-5's nodes alone before a respond that answers its data, unrecorded (--extra): what
 * that kind of node adds to the 1-node floor, in CPU and in p99. Built from the peers' file itself.
 */
const peersConfig = parseYaml(peersYaml).config;
const PEERS_CODE_NODES = Object.values(peersConfig).filter((node) => node.component === "code").length;
const oneStepYaml = (name, node) => stringifyYaml({
  name, record: "none",
  flow: [`input >> ON_SUCCESS >> ${node}`, `${node} >> ON_SUCCESS >> answer`],
  config: { [node]: peersConfig[node], answer: { component: "respond", body: `{{${node}.data}}` } },
});
const codeStepYaml = oneStepYaml("step_code", "transform");
const setStepYaml = oneStepYaml("step_set", "compute");

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const temp = mkdtempSync(join(tmpdir(), "arcrun-bench-"));
const servers = [];
try {
  const started = performance.now();
  if (wants("signup")) await benchSignup();
  if (wants("components")) await benchComponents({ root, temp, Miniflare, bundleExecutor, compatibilityDate: COMPATIBILITY_DATE });
  if (wants("liveness")) await benchLiveness({ root, temp, Miniflare, bundleExecutor, executorMiniflareOptions });
  (JSON_OUT ? console.error : console.log)(`\n(total ${((performance.now() - started) / 1000).toFixed(1)} s)`);
} finally {
  for (const server of servers) await server.mf.dispose().catch(() => {});
  rmSync(temp, { recursive: true, force: true });
}

async function benchSignup() {
  const baselineRef = args.values.baseline;
  const baselineRoot = baselineRef ? prepareBaseline({ root, ref: baselineRef, temp }) : undefined;
  const [executorBundle, baselineBundle, handBundle, peersBundle] = await Promise.all([
    bundleExecutor({ root, outdir: join(temp, "executor") }).then((r) => r.scriptPath),
    baselineRoot ? bundleExecutor({ root: baselineRoot, outdir: join(temp, "executor-baseline") }).then((r) => r.scriptPath) : undefined,
    EXTRA ? buildHandwritten(join(temp, "hand"), "bench/handwritten-worker.ts") : undefined,
    buildHandwritten(join(temp, "hand-peers"), "bench/handwritten-peers-worker.ts"),
  ]);
  const apiKey = randomBytes(24).toString("base64url");
  const direct = (name, dir, scriptPath) =>
    startWorker(name, {
      modules: true,
      scriptPath,
      modulesRoot: join(temp, dir),
      compatibilityDate: COMPATIBILITY_DATE,
      cf: false,
      host: "127.0.0.1",
      port: 0,
      unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
    });
  const handPeers = await direct("hand-written peers Worker", "hand-peers", peersBundle);
  const hand = EXTRA ? await direct("hand-written Worker", "hand", handBundle) : undefined;
  const auth = { authorization: `Bearer ${apiKey}` };
  const startEngine = async (name, scriptPath) => {
    const server = await startWorker(name, executorMiniflareOptions({ scriptPath, apiKey, port: 0 }));
    for (const yaml of [workflowYaml, logicYaml, peersYaml, peersUnrecordedYaml, floorYaml, floorUnrecordedYaml, codeStepYaml, setStepYaml]) {
      const stored = await send(server.url, "/workflows", { ...auth, "content-type": "text/yaml" }, yaml);
      if (stored.status !== 201) throw new Error(`could not store a bench workflow in ${name}: ${stored.body}`);
    }
    return server;
  };
  const engine = await startEngine("executor", executorBundle);
  const baseline = baselineBundle ? await startEngine(`executor at ${baselineRef}`, baselineBundle) : undefined;

  const json = { "content-type": "application/json" };
  const peers = (key, name, path, server) => ({ key, name, server, path, headers: server === handPeers ? json : { ...auth, ...json }, body: PEERS_BODY, exact: PEERS_OK });
  /** one of signup-5's nodes alone (oneStepYaml): the peers' body in, that node's data out */
  const step = (key, name, check) => ({ key, name, server: engine, path: `/webhooks/named/${key}/query`, headers: { ...auth, ...json }, body: PEERS_BODY, check });
  const engineTargets = (server, prefix, keyPrefix) => [
    peers(`${keyPrefix}signup5`, `${prefix}signup_5_peers (record: all)`, "/webhooks/named/signup_5_peers/query", server),
    peers(`${keyPrefix}signup5_unrecorded`, `${prefix}signup_5_peers (record: none)`, "/webhooks/named/signup_5_unrecorded/query", server),
    peers(`${keyPrefix}one_node`, `${prefix}1-node respond (engine floor)`, "/webhooks/named/one_node/query", server),
    peers(`${keyPrefix}one_node_unrecorded`, `${prefix}1-node respond, record: none`, "/webhooks/named/one_node_unrecorded/query", server),
    { key: `${keyPrefix}health`, name: `${prefix}GET /health (serving floor)`, server, path: "/health", method: "GET", headers: {}, check: (b) => b.ok === true },
  ];
  const targets = [
    peers("braw", "hand-written Worker (Braw's code)", "/", handPeers),
    ...engineTargets(engine, "arcrun ", ""),
    ...(baseline ? engineTargets(baseline, `baseline ${baselineRef}: `, "baseline_") : []),
  ];
  if (EXTRA) {
    targets.push(
      step("step_code", "arcrun code (transform) + respond, none", (b) => b.name === "Ada Lovelace" && b.email === "ada@example.com"),
      step("step_set", "arcrun set (JSONata) + respond, none", (b) => b.score === 62),
      { key: "hand_signup5", name: "hand-written Worker, old signup-5 (no engine)", server: hand, path: "/", headers: json, body: SIGNUP, check: (b) => b.ok === true },
      { key: "signup5_old", name: "arcrun old signup_5 (run record answer)", server: engine, path: "/webhooks/named/signup_5/query", headers: { ...auth, ...json }, body: SIGNUP, check: (b) => b.status === "succeeded" && b.result?.ok === true },
      { key: "execute", name: "arcrun POST /execute (inline YAML)", server: engine, path: "/execute", headers: { ...auth, ...json }, body: JSON.stringify({ workflow: workflowYaml, input: JSON.parse(SIGNUP) }), check: (b) => b.status === "succeeded" && b.result?.ok === true },
      { key: "logic5", name: "arcrun logic_5 (5 logic nodes, no QuickJS)", server: engine, path: "/webhooks/named/logic_5/query", headers: { ...auth, ...json }, body: SIGNUP, check: (b) => b.status === "succeeded" },
    );
  }
  if (!JSON_OUT) {
    console.log(`signup bench: ${REQUESTS} requests per target at ${CONCURRENCY} connections and ${Math.ceil(REQUESTS / 4)} at 1, after ${WARMUP} warm-up, ${ROUNDS} rounds taking the targets in turn (medians); loopback, workerd direct sockets`);
    console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")} at start`);
  }
  for (const target of targets) {
    await checkAnswers(target);
    await load(target, WARMUP, CONCURRENCY);
  }
  // rounds interleave the targets, so a burst of other load on the machine hits them all alike;
  // each figure is the median of its rounds
  const rounds = targets.map(() => ({ c1: [], c10: [] }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, target] of targets.entries()) {
      rounds[i].c1.push(await measured(target, Math.ceil(REQUESTS / 4), 1));
      rounds[i].c10.push(await measured(target, REQUESTS, CONCURRENCY));
    }
  }
  const results = targets.map((target, i) => ({ key: target.key, name: target.name, c1: median(rounds[i].c1), c10: median(rounds[i].c10) }));
  const rss = Object.fromEntries(servers.map((s) => [s.name, peakRssMiB(s.pid)]));
  const { ratios, recording_us, code_node_us_estimate } = signupFigures(results, { codeNodes: PEERS_CODE_NODES });
  const report = { requests: REQUESTS, concurrency: CONCURRENCY, rounds: ROUNDS, loadavg: loadavg(), targets: results, peak_rss_mib: rss, ratios, recording_us, code_node_us_estimate };
  if (JSON_OUT) console.log(JSON.stringify(report));
  else printTable(report);
}

/** The first answers: exactly the peers' 200 body, and their 400 for bad input (not for the floors). */
async function checkAnswers(target) {
  const first = await send(target.server.url, target.path, target.headers, target.body, target.method);
  if (target.exact !== undefined) {
    if (first.status !== 200 || first.body !== target.exact) throw new Error(`${target.name} answered ${first.status}: ${first.body.slice(0, 300)}`);
    if (!target.key.includes("one_node")) {
      const bad = await send(target.server.url, target.path, target.headers, PEERS_BAD[0]);
      if (bad.status !== 400 || bad.body !== PEERS_BAD[1]) throw new Error(`${target.name} answered bad input with ${bad.status}: ${bad.body.slice(0, 300)}`);
    }
  } else if (first.status !== 200 || !target.check(JSON.parse(first.body))) throw new Error(`${target.name} answered ${first.status}: ${first.body.slice(0, 300)}`);
}

/** Each figure (req/s, p50, p99, CPU) the median of its rounds; CPU's lowest and highest round beside it, to show the noise. */
function median(measurements) {
  const mid = (values) => {
    const sorted = values.sort((a, b) => a - b), half = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2; // an even count: the mean of the middle two
  };
  const figures = Object.fromEntries(Object.keys(measurements[0]).map((k) => [k, mid(measurements.map((m) => m[k]))]));
  const cpu = measurements.map((m) => m.cpu_us);
  return { ...figures, cpu_us_range: [Math.min(...cpu), Math.max(...cpu)] };
}

/** One load at `connections`, with the server's CPU (whole process tree) per request. */
async function measured(target, count, connections) {
  const before = treeCpuMs(target.server.pid);
  const m = await load(target, count, connections);
  // the recording queue writes up to 20 ms after the last answer: count that work too
  await new Promise((r) => setTimeout(r, 60));
  const cpu_us = ((treeCpuMs(target.server.pid) - before) * 1000) / count;
  return { ...m, cpu_us };
}

async function buildHandwritten(outdir, entry) {
  const outfile = join(outdir, "worker.js");
  await build({ entryPoints: [join(root, entry)], outfile, bundle: true, format: "esm", platform: "neutral", logLevel: "silent" });
  return outfile;
}

/** Starts one workerd process and finds its pid (for CPU accounting) among our children. */
async function startWorker(name, options) {
  const before = new Set(workerdPids());
  const mf = new Miniflare(options);
  const url = (await mf.unsafeGetDirectURL()).href.replace(/\/$/, "");
  const pid = workerdPids().find((p) => !before.has(p));
  const server = { name, mf, url, pid };
  servers.push(server);
  return server;
}

function workerdPids() {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.includes("(workerd)") && Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === process.pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The fields of /proc/<pid>/stat after the command name (state is [0], ppid [1]); undefined once gone. */
function statFields(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** A process and all its descendants (Linux /proc). */
function processTree(pid) {
  const children = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const ppid = Number(statFields(d)?.[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(d));
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

/** user + system CPU of a process tree in ms, counting children that exited and were waited for (NaN off Linux). */
function treeCpuMs(pid) {
  let ticks = 0;
  for (const p of processTree(pid)) {
    const f = statFields(p);
    if (f) ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]); // utime stime cutime cstime
  }
  return (ticks * 1000) / 100; // USER_HZ = 100
}

/** Peak resident set (VmHWM) of a process tree in MiB. */
function peakRssMiB(pid) {
  let kib = 0;
  for (const p of processTree(pid)) {
    try {
      kib += Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
    } catch {}
  }
  return kib / 1024;
}

function send(base, path, headers, body, method = "POST", retried = false) {
  return new Promise((resolve, reject) => {
    const sized = method === "GET" ? headers : { ...headers, "content-length": Buffer.byteLength(body) };
    const req = request(base + path, { method, agent, headers: sized }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", (error) => {
      // a keep-alive socket the server closed while it sat idle (its target waited for the
      // others' turns): sent again once on a new one, as Node's docs advise (request.reusedSocket)
      if (!retried && req.reusedSocket && error.code === "ECONNRESET") resolve(send(base, path, headers, body, method, true));
      else reject(error);
    });
    req.end(method === "GET" ? undefined : body);
  });
}

/** A bounded loop: `count` requests over `connections` connections; every answer must be 200. */
async function load(target, count, connections) {
  const latencies = new Float64Array(count);
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        const res = await send(target.server.url, target.path, target.headers, target.body, target.method);
        latencies[i] = performance.now() - t0;
        if (res.status !== 200) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (failures > 0) throw new Error(`${target.name}: ${failures} of ${count} requests failed`);
  latencies.sort();
  const at = (q) => latencies[Math.min(count - 1, Math.floor(q * count))];
  return { rps: count / seconds, p50: at(0.5), p99: at(0.99) };
}

function printTable({ targets, peak_rss_mib, ratios, recording_us, code_node_us_estimate }) {
  const header = ["target", "req/s c=1", "req/s c=10", "p50 ms", "p99 ms", "CPU µs/req", "rounds' CPU"];
  const range = ([low, high]) => `${low.toFixed(0)}–${high.toFixed(0)}`;
  const rows = targets.map((r) => [r.name, r.c1.rps.toFixed(0), r.c10.rps.toFixed(0), r.c10.p50.toFixed(2), r.c10.p99.toFixed(2), r.c10.cpu_us.toFixed(0), range(r.c10.cpu_us_range)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log("\n" + line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
  console.log("(p50/p99 and CPU at 10 connections; CPU is user+system of the server's whole workerd process tree, simulators included, per request;");
  console.log(" rounds' CPU: the lowest and highest round, the noise a difference has to beat)");
  console.log("\npeak RSS (VmHWM, process tree): " + Object.entries(peak_rss_mib).map(([n, m]) => `${n} ${m.toFixed(0)} MiB`).join(", "));
  const x = (v) => (v === undefined ? "–" : `${v.toFixed(2)}×`);
  console.log("\nratios (10 connections):");
  console.log(`  arcrun signup-5 CPU / Braw CPU:        ${x(ratios.signup5_cpu_vs_braw)}  (target ≤ 1.5×, interim ≤ 3×)`);
  console.log(`  arcrun signup-5 req/s / Braw req/s:    ${x(ratios.signup5_rps_vs_braw)}`);
  console.log(`  record: none CPU / Braw CPU:           ${x(ratios.unrecorded_cpu_vs_braw)}`);
  console.log(`  1-node CPU / GET /health CPU:          ${x(ratios.one_node_cpu_vs_health)}, record: none ${x(ratios.one_node_unrecorded_cpu_vs_health)}  (target ≤ 2×)`);
  if (ratios.signup5_cpu_vs_baseline !== undefined) {
    console.log(`  this checkout / baseline, CPU: signup-5 ${x(ratios.signup5_cpu_vs_baseline)}, record: none ${x(ratios.unrecorded_cpu_vs_baseline)}, 1-node ${x(ratios.one_node_cpu_vs_baseline)}`);
  }
  const us = (v) => (v === undefined ? "–" : `${v.toFixed(0)} µs`);
  console.log(`  recording a run (record: all − none):  signup-5 ${us(recording_us.signup5)}, 1-node ${us(recording_us.one_node)} (the D1 save included: locally Miniflare's simulator)`);
  if (code_node_us_estimate !== undefined) console.log(`  a small code node ≈ ${code_node_us_estimate.toFixed(0)} µs CPU at most ((signup-5 − 1-node, both record: none) / ${PEERS_CODE_NODES} code nodes; target ≤ 60)`);
}
