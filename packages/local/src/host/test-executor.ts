/**
 * Integration-test harness: bundles the executor once per test process (into a private
 * temp folder, so parallel test files never share a build) and runs it in real workerd
 * through Miniflare, with in-memory KV/D1/R2 unless `persistDir` is given.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare, type MiniflareOptions, type WorkerOptions } from "miniflare";
import { bundleExecutor } from "../build/executor.mjs";
import { executorDir } from "./executor-bundle";
import { executorMiniflareOptions, executorWorker, hostMiniflareOptions, type ExecutorWorkerOptions } from "./miniflare-options";

export const TEST_API_KEY = "test-key-0123456789abcdef";

let bundle: Promise<string> | undefined;

/** The bundle for this test process (built on first use, removed at exit). */
export function workerBundle(): Promise<string> {
  bundle ??= (async () => {
    const outdir = mkdtempSync(join(tmpdir(), "arcrun-executor-test-"));
    process.once("exit", () => rmSync(outdir, { recursive: true, force: true }));
    const { scriptPath } = await bundleExecutor({ root: join(executorDir(), "../.."), outdir });
    return scriptPath;
  })();
  return bundle;
}

export interface TestExecutor {
  url: string;
  mf: Miniflare;
  /** fetch a path on the executor; sends the API key unless `auth: false` or another header is given */
  fetch(path: string, init?: RequestInit & { auth?: boolean }): Promise<Response>;
  /** fetch + parse JSON, returning status and body */
  json(path: string, init?: RequestInit & { auth?: boolean }): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export interface TestExecutorOptions {
  apiKey?: string | null;
  persistDir?: string;
  encryptionKey?: string;
  outbound?: ExecutorWorkerOptions["outbound"];
  /** REGISTRY_KEY of the executor */
  registryKey?: string;
  /** the executor's service bindings (`REGISTRY`: a Worker of `workers`, or a Node function) */
  serviceBindings?: WorkerOptions["serviceBindings"];
  /** more Workers in the same Miniflare instance (the registry) */
  workers?: WorkerOptions[];
}

export async function startExecutor(options: TestExecutorOptions = {}): Promise<TestExecutor> {
  const scriptPath = await workerBundle();
  const apiKey = options.apiKey === null ? undefined : (options.apiKey ?? TEST_API_KEY);
  const worker: ExecutorWorkerOptions = { scriptPath, apiKey, port: 0, encryptionKey: options.encryptionKey, outbound: options.outbound, registryKey: options.registryKey };
  const serviceBindings = options.serviceBindings ? { serviceBindings: options.serviceBindings } : {};
  const mfOptions: MiniflareOptions = options.workers?.length
    ? hostMiniflareOptions({ workers: [{ ...executorWorker(worker), ...serviceBindings }, ...options.workers], persistDir: options.persistDir })
    : ({ ...executorMiniflareOptions({ ...worker, persistDir: options.persistDir }), ...serviceBindings } as MiniflareOptions);
  const mf = new Miniflare(mfOptions);
  let url: string;
  try {
    url = (await mf.unsafeGetDirectURL()).toString().replace(/\/$/, "");
  } catch (err) {
    await mf.dispose().catch(() => {}); // a failed start must not keep the test process alive
    throw err;
  }
  const doFetch = (path: string, init: RequestInit & { auth?: boolean } = {}) => {
    const headers = new Headers(init.headers);
    if (init.auth !== false && apiKey && !headers.has("authorization")) headers.set("authorization", `Bearer ${apiKey}`);
    return fetch(url + path, { ...init, headers });
  };
  return {
    url,
    mf,
    fetch: doFetch,
    async json(path, init) {
      const res = await doFetch(path, init);
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new Error(`${init?.method ?? "GET"} ${path} → ${res.status}, not JSON: ${text.slice(0, 300)}`);
      }
      return { status: res.status, body };
    },
    stop: () => mf.dispose(),
  };
}

export const yamlHeaders = { "content-type": "text/yaml" };
export const jsonHeaders = { "content-type": "application/json" };

/** Polls until `check` returns a value (for runs finishing in waitUntil). */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, attempts = 100): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

