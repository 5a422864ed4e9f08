/**
 * The components a server knows (bundled into the executor, or published to R2), for
 * `acr validate` outside the arcrun checkout: a name the project does not define is looked up
 * with `GET /components/:name` and checked against its contract. A server that cannot be reached
 * is one note, and validation goes on with what is known locally.
 */
import type { Component, ComponentResolver } from "@arcrun/core/components/types";
import type { Contract } from "@arcrun/core/components/contract";
import type { CliContext } from "./context";
import { CliError, EXIT } from "./exit";

export function serverComponents(ctx: CliContext): ComponentResolver {
  const found = new Map<string, Promise<Component | undefined>>();
  let unreachable = false;
  const lookup = async (name: string): Promise<Component | undefined> => {
    if (unreachable) return undefined;
    try {
      const body = (await ctx.client().request("GET", `/components/${encodeURIComponent(name)}`)) as { contract?: Contract | null; source?: string };
      return {
        name,
        kind: body.source === "builtin" ? "builtin" : "wasm",
        contract: body.contract ?? undefined,
        run: async () => ({ success: false, error: { code: "not_runnable", message: `${name} runs on the server only` } }),
      };
    } catch (error) {
      if (error instanceof CliError && error.exitCode === EXIT.unreachable) {
        unreachable = true;
        ctx.note(`warning: components not looked up on the server: ${error.message} (--offline skips this)`);
      }
      return undefined; // 404 and other answers: unknown, reported by the graph check
    }
  };
  return {
    resolve: (name) => {
      if (!found.has(name)) found.set(name, lookup(name));
      return found.get(name)!;
    },
    // for "did you mean" and the list of available components in an unknown-component hint
    list: async () => {
      if (unreachable) return [];
      try {
        const body = (await ctx.client().request("GET", "/components")) as { components?: { name: string }[] };
        return (body.components ?? []).map((c) => c.name);
      } catch {
        return [];
      }
    },
  };
}
