/**
 * The builtin components and the resolvers that serve them. The executor chains these
 * first: builtins → bundled WASM components → R2 modules through the loader.
 */
import type { QuickJSWASMModule } from "quickjs-emscripten-core";
import type { Component, ComponentResolver } from "../components/types";
import { createCodeComponent } from "./code";
import { ifComponent } from "./if";
import { switchComponent } from "./switch";
import { mergeComponent } from "./merge";
import { httpRequestComponent } from "./http-request";
import { createAiComponents } from "./ai";
import type { AiBinding } from "../ports/ai-binding";
import { respondComponent } from "./respond";
import { setComponent } from "./set";
import { waitComponent, waitForEventComponent } from "./wait";

export interface BuiltinDeps {
  /**
   * Loads QuickJS once (the result is cached). In a Worker: newQuickJSWASMModuleFromVariant(
   * newVariant(base, {wasmModule})); in Node: newQuickJSWASMModuleFromVariant(base), base being
   * the default export of @jitl/quickjs-wasmfile-release-sync.
   */
  loadQuickJS: () => Promise<QuickJSWASMModule>;
  /** the Workers AI binding (`env.AI`) for provider workers_ai; without it that provider fails with ai_not_configured */
  ai?: AiBinding;
}

export function createBuiltins(deps: BuiltinDeps): Component[] {
  return [createCodeComponent(deps), ifComponent, switchComponent, mergeComponent, httpRequestComponent, respondComponent, setComponent, waitComponent, waitForEventComponent, ...createAiComponents({ ai: deps.ai })];
}

/** A resolver over a fixed list of components (later entries with the same name win). */
export function staticResolver(components: Component[]): ComponentResolver {
  const byName = new Map(components.map((c) => [c.name, c]));
  return {
    resolve: async (name) => byName.get(name),
    list: async () => [...byName.keys()],
  };
}

/** Ask each resolver in turn; the first that knows the name wins. `list` is the union. */
export function chainResolvers(...resolvers: ComponentResolver[]): ComponentResolver {
  return {
    async resolve(name) {
      for (const resolver of resolvers) {
        const found = await resolver.resolve(name);
        if (found) return found;
      }
      return undefined;
    },
    async list() {
      const names = new Set<string>();
      for (const resolver of resolvers) for (const name of await resolver.list()) names.add(name);
      return [...names];
    },
  };
}

export { createCodeComponent, INTERRUPTS_PER_MS, DEFAULT_MEMORY_BYTES, type CodeDeps } from "./code";
export { ifComponent, IF_BRANCHES } from "./if";
export { switchComponent, DEFAULT_CASE } from "./switch";
export { mergeComponent } from "./merge";
export { respondComponent, type ResponseSpec } from "./respond";
export { setComponent } from "./set";
export { waitComponent, waitForEventComponent, WAIT_COMPONENT, WAIT_FOR_EVENT_COMPONENT, EVENT_NAME, DEFAULT_EVENT_TIMEOUT } from "./wait";
export { httpRequestComponent, DEFAULT_MAX_RESPONSE_BYTES } from "./http-request";
export { evaluateCondition, isConditionObject, looseEqual, ConditionError, OPERATORS, type Operator, type EvaluateOptions } from "./conditions";
export { createAiComponents, createAiChat, createAiExtract, createAiEmbed, RAW_OUTPUT_CHARS, type AiDeps } from "./ai";
export { AI_PROVIDERS, type AiProvider } from "../ai/types";
