/**
 * Where components come from, in DESIGN's loading order. Each source is a factory from the
 * bindings to a ComponentResolver; the chain asks them in order and the first that knows a
 * name wins. Later sources plug in here, and nowhere else:
 *   1. builtins (code, if, switch, merge, http_request)
 *   2. WASM components bundled into the Worker at build time      (issue 3)
 *   3. modules from R2 `WASM_BUCKET` run through the `LOADER`       (issue 3)
 */
import { chainResolvers, createBuiltins, staticResolver, type ComponentResolver } from "@arcrun/core";
import type { Env } from "../env";
import { loadQuickJS } from "./quickjs";
import { bundledResolver } from "./bundled";

export type ResolverSource = (env: Env) => ComponentResolver | undefined;

// Builtins depend on nothing per request: built once per isolate.
let builtins: ComponentResolver | undefined;
const builtinSource: ResolverSource = () => (builtins ??= staticResolver(createBuiltins({ loadQuickJS })));

// Bundled WASM components: compiled modules imported at build time, one Component each, reused.
let bundled: ComponentResolver | undefined;
const bundledSource: ResolverSource = () => (bundled ??= bundledResolver());

export const RESOLVER_SOURCES: ResolverSource[] = [builtinSource, bundledSource];

export function createResolver(env: Env): ComponentResolver {
  const resolvers = RESOLVER_SOURCES.map((source) => source(env)).filter((r): r is ComponentResolver => r !== undefined);
  return resolvers.length === 1 ? resolvers[0] : chainResolvers(...resolvers);
}
