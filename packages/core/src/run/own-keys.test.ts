/**
 * Issue 10 item 10: keys that are JavaScript property names (`__proto__`, `constructor`,
 * `toString`, `hasOwnProperty`) flow through a run as ordinary keys: trigger input → templates
 * → node parameters → the code node (QuickJS) → its output → downstream templates → the record.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { newQuickJSWASMModuleFromVariant } from "quickjs-emscripten-core";
import variant from "@jitl/quickjs-wasmfile-release-sync";
import { createCodeComponent } from "../builtins/code";
import { executeWorkflow } from "./execute";
import { component, resolverOf, workflow } from "./testing";
import { Redactor } from "../redact/redactor";

const code = createCodeComponent({ loadQuickJS: () => newQuickJSWASMModuleFromVariant(variant) });
// as a webhook body arrives: JSON.parse makes `__proto__` an own key
const INPUT = JSON.parse('{"__proto__": {"admin": true}, "constructor": "c-value", "toString": 2, "hasOwnProperty": "h"}');

describe("JavaScript property names as data keys in a run", () => {
  test("input, parameters, QuickJS, output and downstream templates keep them as own keys", async () => {
    let received: Record<string, unknown> | undefined;
    const spy = component("spy", (params) => ((received = params), { success: true, data: params }));
    const wf = workflow(["input >> ON_SUCCESS >> js", "js >> ON_SUCCESS >> after"], {
      js: {
        component: "code",
        input: JSON.parse('{"whole": "{{input}}", "__proto__": "{{input.constructor}}", "constructor": "{{input.toString}}"}'),
        code: `return {
          keys: Object.keys(input), inner: Object.keys(input.whole),
          proto: input.whole.__proto__, admin: input.whole.admin === undefined,
          ctor: input.constructor, param_proto: input.__proto__, has: input.whole.hasOwnProperty,
          out: JSON.parse('{"__proto__": {"x": 1}, "toString": "t"}')
        }`,
      },
      after: { component: "spy", p: "{{js.data.out.__proto__}}", t: "{{js.data.out.toString}}", h: "{{input.hasOwnProperty}}" },
    });
    const record = await executeWorkflow(wf, { resolver: resolverOf(code, spy), input: INPUT });
    assert.equal(record.status, "succeeded", JSON.stringify(record.nodes));
    const js = record.nodes.find((n) => n.node === "js")!;
    assert.deepEqual(js.output, JSON.parse(`{
      "keys": ["whole", "__proto__", "constructor"], "inner": ["__proto__", "constructor", "toString", "hasOwnProperty"],
      "proto": {"admin": true}, "admin": true, "ctor": 2, "param_proto": "c-value", "has": "h",
      "out": {"__proto__": {"x": 1}, "toString": "t"}
    }`));
    assert.deepEqual(received, { p: { x: 1 }, t: "t", h: "h" });
    // the stored record, redacted (a copy is made when the run holds a secret), keeps them
    const stored = JSON.parse(JSON.stringify(new Redactor({ unrelated: "zzz-not-here" }).value(record)));
    const storedJs = stored.nodes.find((n: { node: string }) => n.node === "js");
    assert.deepEqual(Object.keys(storedJs.input.input.whole), ["__proto__", "constructor", "toString", "hasOwnProperty"]);
    assert.equal(storedJs.input.input.__proto__, "c-value");
    assert.deepEqual(storedJs.output.out, JSON.parse('{"__proto__": {"x": 1}, "toString": "t"}'));
    assert.equal(({} as { admin?: unknown }).admin, undefined, "nothing leaked into Object.prototype");
  });

  test("a required input named like a property of Object is still missing when not given", async () => {
    const strict = component("strict", () => ({ success: true, data: 1 }), {
      contract: { name: "strict", version: "1.0.0", description: "x", input_schema: { type: "object", required: ["constructor"] } },
    });
    const { compileWorkflow } = await import("../workflow/compile");
    const result = await compileWorkflow(`name: t\nflow:\n  - input >> ON_SUCCESS >> s\nconfig:\n  s: {component: strict, other: 1}\n`, { resolver: resolverOf(strict) });
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && result.issues.map((i) => i.code), ["missing_input"]);
  });
});
