/**
 * Compiling workflows for the routes: new sources are compiled and rejected with all their
 * issues (422); stored ones are compiled again on load (a component may have gone away),
 * memoised per isolate by content hash so a busy webhook does not re-parse its YAML on
 * every call.
 */
import { scopeOf } from "../bindings/tenant-scope";
import { compileWorkflow, InvalidWorkflowError, type CompiledWorkflow, type ComponentResolver, type StoredWorkflow } from "@arcrun/core";

const MAX_CACHED = 200;
const cache = new Map<string, CompiledWorkflow>();

export async function compileOrThrow(source: string | Record<string, unknown>, resolver: ComponentResolver, file?: string): Promise<CompiledWorkflow> {
  const result = await compileWorkflow(source, { resolver, file });
  if (!result.ok) throw new InvalidWorkflowError(result.issues, file);
  return result.workflow;
}

export async function compileStored(stored: StoredWorkflow, resolver: ComponentResolver): Promise<CompiledWorkflow> {
  const key = `${scopeOf(resolver)}/${stored.name}:${stored.hash}`; // a tenant's resolver never meets another's entry
  const hit = cache.get(key);
  if (hit) return hit;
  const compiled = await compileOrThrow(stored.yaml, resolver, stored.name);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, compiled);
  return compiled;
}
