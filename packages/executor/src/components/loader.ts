/**
 * Step 3 of the loader chain: components published to R2 `WASM_BUCKET`, run through the Worker
 * Loader (`env.LOADER`). A Worker may not compile WebAssembly from bytes, so the bytes go to a
 * fresh isolate as its `component.wasm` module, next to the WASI host script
 * (loader-host/main.ts); workerd compiles it when it loads the isolate.
 *
 * The isolate id is `<name>@<sha256>`: every run of the same module reuses the isolate and its
 * compiled module, and a republish (new sha) gets a new one. Input validation and credential
 * injection stay in the parent, exactly as for bundled components (core's moduleComponent).
 */
import { checkModuleBytes, moduleComponent, type Component, type ComponentResolver, type ModuleCallRequest, type ModuleCallResult, type NodeOutcome, workBudgetMs } from "@arcrun/core";
import { R2ComponentStore, type PublishedManifest } from "../bindings/r2-component-store";
import { LOADER_HOST_SCRIPT } from "./loader-host.generated";
import { scopeOf } from "../bindings/tenant-scope";

/** The loaded Worker's compatibility date (same as the executor's, wrangler.jsonc). */
export const LOADER_COMPATIBILITY_DATE = "2026-04-01";

/**
 * A manifest read is reused this long by later lookups in the isolate, so a run does not pay one
 * R2 read per node. A publish or delete through this isolate forgets it at once; other isolates
 * see a republish within this time.
 */
export const MANIFEST_TTL_MS = 2000;

export interface LoaderBindings {
  WASM_BUCKET: R2Bucket;
  LOADER: WorkerLoader;
}

const manifests = new Map<string, { expires: number; value: Promise<PublishedManifest | undefined> }>();
const components = new Map<string, Component>();

/** Drops the cached manifest of `name` (after a publish or delete in this isolate). */
export function forgetManifest(name: string): void {
  // every tenant's entry of that name (keys are `{scope}/{name}`, bindings/tenant-scope.ts)
  for (const key of manifests.keys()) if (key.endsWith(`/${name}`)) manifests.delete(key);
}

function cachedManifest(store: R2ComponentStore, scope: string, name: string): Promise<PublishedManifest | undefined> {
  const now = Date.now();
  const key = `${scope}/${name}`;
  const hit = manifests.get(key);
  if (hit && hit.expires > now) return hit.value;
  const value = store.manifest(name);
  manifests.set(key, { expires: now + MANIFEST_TTL_MS, value });
  // only found manifests are kept: a name published a moment ago must resolve at once
  value.then((m) => m === undefined && manifests.delete(key), () => manifests.delete(key));
  return value;
}

export function loaderResolver(env: LoaderBindings): ComponentResolver {
  const store = new R2ComponentStore(env.WASM_BUCKET);
  const scope = scopeOf(env.WASM_BUCKET);
  return {
    async resolve(name) {
      const manifest = await cachedManifest(store, scope, name);
      if (!manifest) return undefined;
      const id = `${scope}/${isolateId(manifest)}`;
      let component = components.get(id);
      if (!component) {
        component = moduleComponent(manifest.contract, (request) => callThroughLoader(env, manifest, request));
        components.set(id, component);
      }
      return component;
    },
    list: () => store.names(),
  };
}

export const isolateId = (m: { name: string; sha256: string }) => `${m.name}@${m.sha256}`;

/**
 * The isolate for one module. `bytes` skips the R2 read (publish checks the module before it is
 * stored); otherwise the bytes are read from R2 only when the isolate is not loaded yet, and
 * checked again (metering, memory maximum against the manifest's contract) before workerd
 * compiles them, so a module stored before a check existed cannot run unchecked.
 */
export function loadedWorker(env: LoaderBindings, manifest: Pick<PublishedManifest, "name" | "sha256"> & { contract?: PublishedManifest["contract"] }, bytes?: ArrayBuffer): WorkerStub {
  return env.LOADER.get(isolateId(manifest), async () => {
    if (bytes) return isolate(bytes);
    const wasm = await new R2ComponentStore(env.WASM_BUCKET).module(manifest.name, manifest.sha256);
    if (!wasm) throw new Error(`the module components/${manifest.name}/${manifest.sha256}.wasm is missing from WASM_BUCKET`);
    checkModuleBytes(new Uint8Array(wasm), manifest.name, { memoryPages: manifest.contract?.limits?.memory_pages });
    return isolate(wasm);
  });
}

function isolate(wasm: ArrayBuffer) {
  return {
    compatibilityDate: LOADER_COMPATIBILITY_DATE,
    mainModule: "main.js",
    modules: { "main.js": LOADER_HOST_SCRIPT, "component.wasm": { wasm } },
    globalOutbound: null, // no network from the component's isolate
  };
}

async function callThroughLoader(env: LoaderBindings, manifest: PublishedManifest, request: ModuleCallRequest): Promise<ModuleCallResult> {
  try {
    return await callLoadedWorker(loadedWorker(env, manifest), request);
  } catch (error) {
    return { outcome: unavailable(manifest, error), logs: [] };
  }
}

/** One `POST /run` on a loaded host isolate (runs here, registry acceptance); throws when the host does not answer. */
export async function callLoadedWorker(worker: WorkerStub, request: ModuleCallRequest): Promise<ModuleCallResult> {
  const body = JSON.stringify({
    component: request.component,
    params: request.params,
    // the resolved work budget as both figures, so a host built before cpu_ms existed agrees
    limits: { timeout_ms: workBudgetMs(request.limits), cpu_ms: workBudgetMs(request.limits), max_output_bytes: request.limits.max_output_bytes },
  });
  const response = await worker.getEntrypoint().fetch("http://component/run", { method: "POST", body });
  if (!response.ok) throw new Error(`the host answered HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
  return (await response.json()) as ModuleCallResult;
}

function unavailable(manifest: PublishedManifest, error: unknown): NodeOutcome {
  return {
    success: false,
    error: {
      code: "component_unavailable",
      message: `Component "${manifest.name}" (sha256 ${manifest.sha256.slice(0, 12)}) could not be run through the Worker Loader: ${(error as Error)?.message ?? String(error)}`,
      retryable: true,
    },
  };
}
