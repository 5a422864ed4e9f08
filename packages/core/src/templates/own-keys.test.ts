import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { resolveTemplates, TemplateResolutionError, type TemplateScope } from "./resolve";

// JSON.parse makes `__proto__` an own key, as a webhook body would
const input = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "c-value", "toString": 5, "plain": {}}');
const scope: TemplateScope = {
  input,
  nodes: { fetch: { status: "succeeded", data: JSON.parse('{"hasOwnProperty": "h", "__proto__": [1, 2]}') } },
  credential: { api_token: "s3cret" },
};

describe("keys that are JavaScript property names are ordinary keys in templates", () => {
  test("an own key named like a property reads its value", () => {
    assert.equal(resolveTemplates("{{input.constructor}}", scope), "c-value");
    assert.equal(resolveTemplates("{{input.toString}}", scope), 5);
    assert.deepEqual(resolveTemplates("{{input.__proto__}}", scope), { polluted: true });
    assert.equal(resolveTemplates("{{fetch.data.hasOwnProperty}}", scope), "h");
    assert.deepEqual(resolveTemplates("{{fetch.data.__proto__}}", scope), [1, 2]);
  });

  test("an inherited property is a missing path, never Object's own machinery", () => {
    for (const template of ["{{input.plain.constructor}}", "{{input.plain.toString}}", "{{input.plain.__proto__}}", "{{input.plain.hasOwnProperty}}"]) {
      assert.throws(() => resolveTemplates(template, scope), TemplateResolutionError, template);
    }
    assert.throws(() => resolveTemplates("{{input.plain.constructor.name}}", scope), /does not exist/);
  });

  test("a node or credential named like a property of Object is not found", () => {
    assert.throws(() => resolveTemplates("{{constructor.data}}", scope), /has not run/);
    assert.throws(() => resolveTemplates("{{toString}}", scope), /has not run/);
    assert.throws(() => resolveTemplates("{{credential.toString}}", scope), /was not loaded/);
    assert.throws(() => resolveTemplates("{{credential.__proto__}}", scope), /was not loaded/);
  });

  test("resolved parameters keep `__proto__` as an own key", () => {
    const params = JSON.parse('{"__proto__": {"x": "{{input.constructor}}"}, "constructor": "{{input.toString}}"}');
    const out = resolveTemplates(params, scope) as Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ["__proto__", "constructor"]);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.equal(JSON.stringify(out), '{"__proto__":{"x":"c-value"},"constructor":5}');
    assert.equal((out as { x?: unknown }).x, undefined);
  });
});
