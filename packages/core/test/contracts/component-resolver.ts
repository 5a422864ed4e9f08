/**
 * The ComponentResolver contract. `make(components)` returns a resolver that provides exactly
 * these components (as builtins in a static list, or behind a chain).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Component } from "../../src/components/types";
import type { ComponentResolver } from "../../src/ports/index";

const echo = (name: string): Component => ({ name, kind: "builtin", run: async (params) => ({ success: true, data: { name, params } }) });

export function describeComponentResolver(label: string, make: (components: Component[]) => Promise<ComponentResolver> | ComponentResolver): void {
  describe(`ComponentResolver contract: ${label}`, () => {
    test("resolves a known name to a component that runs", async () => {
      const resolver = await make([echo("alpha"), echo("bravo")]);
      const found = await resolver.resolve("bravo");
      assert.equal(found?.name, "bravo");
      const outcome = await found!.run({ x: 1 }, {} as never);
      assert.deepEqual(outcome, { success: true, data: { name: "bravo", params: { x: 1 } } });
    });

    test("an unknown name is undefined", async () => {
      const resolver = await make([echo("alpha")]);
      assert.equal(await resolver.resolve("nope"), undefined);
    });

    test("list names every component it provides", async () => {
      const resolver = await make([echo("alpha"), echo("bravo")]);
      assert.deepEqual([...(await resolver.list())].sort(), ["alpha", "bravo"]);
    });
  });
}
