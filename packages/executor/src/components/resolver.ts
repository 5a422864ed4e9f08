/**
 * Where components come from, in DESIGN's loading order. Each source is a factory from the
 * bindings to a ComponentResolver; the chain asks them in order and the first that knows a
 * name wins. Later sources plug in here, and nowhere else:
 *   1. builtins (code, if, switch, merge, http_request)
 *   2. WASM components bundled into the Worker at build time      (bundled.ts)
 *   3. standard recipes bundled at build time (recipes/*.yaml)       (recipes.ts)
 *   4. modules from R2 `WASM_BUCKET` run through the `LOADER`       (loader.ts)
 *   5. recipes stored by `acr recipe push` (KV `recipe:{name}`)     (recipes.ts)
 */
import { chainResolvers, createBuiltins, staticResolver, type Component, type ComponentResolver } from "@arcrun/core";
import type { Env } from "../env";
import { loadQuickJS } from "./quickjs";
import { bundledResolver } from "./bundled";
import { loaderResolver } from "./loader";
import { aiSource } from "./ai";
import { bundledRecipeResolver, storedRecipeResolver } from "./recipes";
import { kvKeyValueStore } from "../bindings/kv-key-value";
import { tagScope } from "../bindings/tenant-scope";

export type ResolverSource = (env: Env) => ComponentResolver | undefined;

// Builtins depend on nothing per request: built once per isolate.
let builtins: Component[] | undefined;
export const builtinComponents = (): Component[] => (builtins ??= createBuiltins({ loadQuickJS }));
let builtinResolver: ComponentResolver | undefined;
const builtinSource: ResolverSource = () => (builtinResolver ??= staticResolver(builtinComponents()));

// Bundled WASM components: compiled modules imported at build time, one Component each, reused.
let bundled: ComponentResolver | undefined;
const bundledSource: ResolverSource = () => (bundled ??= bundledResolver());

// Published modules: only where both the bucket and the loader are bound.
const publishedSource: ResolverSource = (env) =>
  env.WASM_BUCKET && env.LOADER ? loaderResolver({ WASM_BUCKET: env.WASM_BUCKET, LOADER: env.LOADER }) : undefined;

// Standard recipes: parsed once per isolate.
let bundledRecipes: ComponentResolver | undefined;
const bundledRecipeSource: ResolverSource = () => (bundledRecipes ??= bundledRecipeResolver());

// Recipes pushed by `acr recipe push`, read per request.
const storedRecipeSource: ResolverSource = (env) => (env.WEBHOOKS ? storedRecipeResolver(kvKeyValueStore(env.WEBHOOKS)) : undefined);

export const RESOLVER_SOURCES: ResolverSource[] = [aiSource, builtinSource, bundledSource, bundledRecipeSource, publishedSource, storedRecipeSource];

export function createResolver(env: Env): ComponentResolver {
  const resolvers = RESOLVER_SOURCES.map((source) => source(env)).filter((r): r is ComponentResolver => r !== undefined);
  // tagged with the tenant of a scoped env, so per-isolate caches keyed by name stay per tenant
  if (!env.ARCRUN_TENANT_ID) return resolvers.length === 1 ? resolvers[0] : chainResolvers(...resolvers);
  return tagScope(chainResolvers(...resolvers), env.ARCRUN_TENANT_ID);
}
