/**
 * The executor app in-process, over core's in-memory ports: no workerd, no bundle, no socket.
 * Requests go through Hono's `app.request()`; the Worker's own resolver (builtins and the
 * bundled WASM components, loaded by ../node/asset-hooks.mjs as esbuild would) runs the nodes.
 * `settle()` awaits what the routes handed to `waitUntil` (background saves, webhook runs).
 */
import { manualClock, memoryClaimStore, memoryKeyValueStore, memorySecretSource, MemoryRunStore, MemoryWorkflowStore, type ManualClock, type RunHooks } from "@arcrun/core";
import "../node/assets";
import type { Env, Services } from "../../src/env";

const { createApp } = await import("../../src/app");
const { createResolver } = await import("../../src/components/resolver");

export const UNIT_API_KEY = "unit-key-0123456789abcdef";
export const ORIGIN = "http://executor.test";

export interface InMemoryExecutor {
  services: Services & { workflows: MemoryWorkflowStore; runs: MemoryRunStore; clock: ManualClock };
  /** a request with the API key (unless `auth: false` or an authorization header is given) */
  request(path: string, init?: RequestInit & { auth?: boolean }): Promise<Response>;
  /** request + JSON body */
  json(path: string, init?: RequestInit & { auth?: boolean }): Promise<{ status: number; body: any }>;
  /** waits for every promise handed to `executionCtx.waitUntil` so far */
  settle(): Promise<void>;
}

export interface InMemoryOptions {
  /** ARCRUN_API_KEY; null leaves it unset */
  apiKey?: string | null;
  secrets?: Record<string, string>;
  hooks?: RunHooks;
}

export function inMemoryExecutor(options: InMemoryOptions = {}): InMemoryExecutor {
  const env = { ARCRUN_API_KEY: options.apiKey === null ? undefined : (options.apiKey ?? UNIT_API_KEY) } as Env;
  const secrets = options.secrets;
  const services = {
    workflows: new MemoryWorkflowStore(),
    runs: new MemoryRunStore(),
    claims: memoryClaimStore(),
    schedule: memoryKeyValueStore(),
    resolver: createResolver(env),
    clock: manualClock(Date.UTC(2026, 11, 1, 12)),
    hooks: options.hooks,
    ...(secrets
      ? {
          secretsFor: (redactor: { add(name: string, value: string): unknown }) => {
            const source = memorySecretSource(secrets);
            return { get: async (name: string) => { const v = await source.get(name); if (v !== undefined) redactor.add(name, v); return v; } };
          },
        }
      : {}),
  } as InMemoryExecutor["services"];
  const app = createApp({ services: () => services });
  const pending: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p), passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
  const request = (path: string, init: RequestInit & { auth?: boolean } = {}) => {
    const headers = new Headers(init.headers);
    if (init.auth !== false && env.ARCRUN_API_KEY && !headers.has("authorization")) headers.set("authorization", `Bearer ${env.ARCRUN_API_KEY}`);
    return Promise.resolve(app.request(ORIGIN + path, { ...init, headers }, env, ctx));
  };
  return {
    services,
    request,
    async json(path, init) {
      const res = await request(path, init);
      return { status: res.status, body: await res.json() };
    },
    async settle() {
      while (pending.length) await Promise.all(pending.splice(0));
    },
  };
}

export const yaml = { "content-type": "text/yaml" };
export const json = { "content-type": "application/json" };
