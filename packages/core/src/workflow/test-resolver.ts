/**
 * TEST ONLY: an in-memory ComponentResolver with a few fake components, so the compile
 * tests need no builtins, WASM or registry. Not exported from the package.
 *   code          — any params, base relations only
 *   if            — branches ON_TRUE / ON_FALSE
 *   switch        — branches = keys of params.cases
 *   validate_json — contract.input_schema.required: ["schema", "data"]
 *   telegram_send — requires token (injected from a credential) and text
 */
import type { Component, ComponentResolver } from "../components/types";
import { compileWorkflow } from "./compile";

const fake = (name: string, extra: Partial<Component> = {}): Component => ({
  name,
  kind: "builtin",
  run: async () => ({ success: true, data: null }),
  ...extra,
});

export const FAKE_COMPONENTS: Component[] = [
  fake("code"),
  fake("if", { branches: () => ["ON_TRUE", "ON_FALSE"] }),
  fake("switch", {
    branches: (params) => {
      const cases = params.cases;
      if (!cases || typeof cases !== "object") throw new Error("switch needs cases");
      return Object.keys(cases);
    },
  }),
  fake("validate_json", {
    kind: "wasm",
    contract: {
      name: "validate_json",
      version: "1.0.0",
      description: "validate data against a JSON schema",
      input_schema: { type: "object", required: ["schema", "data"] },
      config_example: { schema: { type: "object" }, data: "{{input}}" },
    },
  }),
  fake("telegram_send", {
    kind: "recipe",
    contract: {
      name: "telegram_send",
      version: "1.0.0",
      description: "send a Telegram message",
      input_schema: { type: "object", required: ["token", "chat_id", "text"] },
      credentials_required: [{ key: "telegram_token", inject_as: "token" }],
    },
  }),
];

export function fakeResolver(components: Component[] = FAKE_COMPONENTS): ComponentResolver {
  const byName = new Map(components.map((c) => [c.name, c]));
  return {
    resolve: async (name) => byName.get(name),
    list: async () => [...byName.keys()],
  };
}

/** Compile with the fake resolver and return the issues (empty when the workflow compiled). */
export async function issuesOf(source: string | Record<string, unknown>) {
  const result = await compileWorkflow(source, { resolver: fakeResolver(), file: "test.yaml" });
  return result.ok ? [] : result.issues;
}
