/**
 * Integration-test harness for a shared deployment: the auth Worker and a MULTI_TENANT executor
 * in one Miniflare instance (service bindings AUTH → Resolver, EXECUTOR → TenantAdmin), each on a
 * free direct port, with in-memory KV/D1/R2. The Cloudflare API goes to `cloudflareApiBaseUrl`
 * (a local server that speaks it, scripts/fake-cloudflare.mjs).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { Miniflare } from "miniflare";
import { generateEncryptionKey } from "@arcrun/core";
import { bundleAuth } from "../build/auth.mjs";
import { executorDir } from "./executor-bundle";
import { authWorker, executorWorker, hostMiniflareOptions } from "./miniflare-options";
import { workerBundle } from "./test-executor";

let bundle: Promise<string> | undefined;

export function authBundle(): Promise<string> {
  bundle ??= (async () => {
    const outdir = mkdtempSync(join(tmpdir(), "arcrun-auth-test-"));
    process.once("exit", () => rmSync(outdir, { recursive: true, force: true }));
    return (await bundleAuth({ root: join(executorDir(), "../.."), outdir })).scriptPath;
  })();
  return bundle;
}

type Init = RequestInit & { key?: string };

export interface TestTenants {
  authUrl: string;
  executorUrl: string;
  mf: Miniflare;
  /** the auth Worker's sealing key (to check nothing stored opens without it) */
  sealingKey: string;
  /** every line both Workers wrote to stdout and stderr (also passed through to this process's) */
  logs: string[];
  /** fetch + parse JSON on the auth Worker / the executor; `key` goes in X-Arcrun-API-Key */
  auth(path: string, init?: Init): Promise<{ status: number; body: any; headers: Headers }>;
  executor(path: string, init?: Init): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

export async function startTenants(options: { cloudflareApiBaseUrl: string; tenantCacheMs?: number; registerLimit?: number }): Promise<TestTenants> {
  const [executorScript, authScript] = await Promise.all([workerBundle(), authBundle()]);
  const sealingKey = generateEncryptionKey();
  const logs: string[] = [];
  const capture = (stream: NodeJS.ReadableStream, to: NodeJS.WritableStream) =>
    stream.on("data", (chunk: Buffer) => {
      logs.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      to.write(chunk);
    });
  const mf = new Miniflare({
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      capture(stdout, process.stdout);
      capture(stderr, process.stderr);
    },
    ...hostMiniflareOptions({
      workers: [
        executorWorker({ scriptPath: executorScript, multiTenant: { cloudflareApiBaseUrl: options.cloudflareApiBaseUrl, tenantCacheMs: options.tenantCacheMs } }),
        authWorker({ scriptPath: authScript, sealingKey, cloudflareApiBaseUrl: options.cloudflareApiBaseUrl, registerLimit: options.registerLimit, executorWorker: "arcrun-executor" }),
      ],
    }),
  });
  let executorUrl: string;
  let authUrl: string;
  try {
    executorUrl = (await mf.unsafeGetDirectURL("arcrun-executor")).toString().replace(/\/$/, "");
    authUrl = (await mf.unsafeGetDirectURL("arcrun-auth")).toString().replace(/\/$/, "");
  } catch (err) {
    await mf.dispose().catch(() => {});
    throw err;
  }
  const call = (base: string) => async (path: string, init: Init = {}) => {
    const headers = new Headers(init.headers);
    if (init.key !== undefined) headers.set("x-arcrun-api-key", init.key);
    if (init.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
    const res = await fetch(base + path, { ...init, headers });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${init.method ?? "GET"} ${path} → ${res.status}, not JSON: ${text.slice(0, 300)}`);
    }
    return { status: res.status, body, headers: res.headers };
  };
  return { authUrl, executorUrl, mf, sealingKey, logs, auth: call(authUrl), executor: call(executorUrl), stop: () => mf.dispose() };
}
