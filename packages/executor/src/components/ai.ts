/**
 * The AI builtins with the Worker's Workers AI binding: where `env.AI` is bound, ai_chat,
 * ai_extract and ai_embed are built with it (once per binding) and answer before the plain
 * builtins, whose copies have no binding (provider workers_ai then fails with ai_not_configured).
 * Providers openai and anthropic go through the run's fetch and egress check either way.
 */
import { createAiComponents, staticResolver, type ComponentResolver } from "@arcrun/core";
import type { ResolverSource } from "./resolver";

const byBinding = new WeakMap<object, ComponentResolver>();

export const aiSource: ResolverSource = (env) => {
  if (!env.AI) return undefined;
  let resolver = byBinding.get(env.AI);
  if (!resolver) byBinding.set(env.AI, (resolver = staticResolver(createAiComponents({ ai: env.AI }))));
  return resolver;
};
