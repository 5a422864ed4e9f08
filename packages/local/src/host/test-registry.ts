/**
 * Integration-test harness for the registry Worker: bundles it once per test process (into a
 * private temp folder) and runs it in real workerd through Miniflare with in-memory D1 and R2
 * and a Worker Loader, on a free port.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { bundleRegistry } from "../build/registry.mjs";
import { executorDir } from "./executor-bundle";
import { hostMiniflareOptions, registryWorker } from "./miniflare-options";

export const TEST_ADMIN_KEY = "registry-admin-key-0123456789";
export const TEST_AUTHOR_KEYS = { alice: "alice-key-0123456789abcdef", bob: "bob-key-0123456789abcdef" };

let bundle: Promise<string> | undefined;

export function registryBundle(): Promise<string> {
  bundle ??= (async () => {
    const outdir = mkdtempSync(join(tmpdir(), "arcrun-registry-test-"));
    process.once("exit", () => rmSync(outdir, { recursive: true, force: true }));
    return (await bundleRegistry({ root: join(executorDir(), "../.."), outdir })).scriptPath;
  })();
  return bundle;
}

export interface TestRegistry {
  url: string;
  mf: Miniflare;
  /** fetch + parse JSON; `key` is sent as the bearer key */
  json(path: string, init?: RequestInit & { key?: string }): Promise<{ status: number; body: any }>;
  fetch(path: string, init?: RequestInit & { key?: string }): Promise<Response>;
  stop(): Promise<void>;
}

export async function startRegistry(options: { coldStartMaxMs?: number } = {}): Promise<TestRegistry> {
  const scriptPath = await registryBundle();
  const mf = new Miniflare(hostMiniflareOptions({ workers: [registryWorker({ scriptPath, adminKey: TEST_ADMIN_KEY, authorKeys: TEST_AUTHOR_KEYS, coldStartMaxMs: options.coldStartMaxMs })] }));
  let url: string;
  try {
    url = (await mf.unsafeGetDirectURL("arcrun-registry")).toString().replace(/\/$/, "");
  } catch (err) {
    await mf.dispose().catch(() => {});
    throw err;
  }
  const doFetch = (path: string, init: RequestInit & { key?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.key !== undefined) headers.set("authorization", `Bearer ${init.key}`);
    if (init.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
    return fetch(url + path, { ...init, headers });
  };
  return {
    url,
    mf,
    fetch: doFetch,
    async json(path, init) {
      const res = await doFetch(path, init);
      const text = await res.text();
      try {
        return { status: res.status, body: JSON.parse(text) };
      } catch {
        throw new Error(`${init?.method ?? "GET"} ${path} → ${res.status}, not JSON: ${text.slice(0, 300)}`);
      }
    },
    stop: () => mf.dispose(),
  };
}
