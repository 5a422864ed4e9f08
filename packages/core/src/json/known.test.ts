import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { jsonOf, jsonOfFields, withJson } from "./known";

// every value a trace or record field can hold, and the awkward ones JSON.stringify has rules for
const samples: unknown[] = [
  null, undefined, 0, -1.5, 1e21, NaN, Infinity, "", "a \"quoted\"\nline", "\u2028 é 😀", true,
  [], [1, "two", null, undefined, { three: 3 }], {}, { a: 1, b: { c: [1, 2] } },
  { skipped: undefined, fn: () => 1, sym: Symbol("s"), kept: "yes" },
  { __proto__key: 1, ["__proto__"]: { x: 1 } }, new Date(0), { toJSON: () => ({ replaced: true }) },
  { toJSON: () => undefined }, [() => 1, Symbol("s")],
];

describe("jsonOf", () => {
  test("gives JSON.stringify(value ?? null) for every sample (null where JSON.stringify gives nothing)", () => {
    for (const value of samples) assert.equal(jsonOf(value), JSON.stringify(value ?? null) ?? "null", String(jsonOf(value)));
  });

  test("a text made once is given again for the same object, and a new object gets its own", () => {
    const value = { a: 1 };
    const first = jsonOf(value);
    assert.equal(jsonOf(value), first);
    assert.equal(jsonOf({ a: 2 }), '{"a":2}');
  });

  test("withJson keeps the text a value was parsed from; primitives are left alone", () => {
    const text = '{"b": 2}'; // not what JSON.stringify would write: proves the kept text is used
    const value = withJson(JSON.parse(text) as unknown, text);
    assert.equal(jsonOf(value), text);
    assert.equal(withJson(5, "5"), 5);
  });

  test("throws as JSON.stringify does on a cycle", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => jsonOf(cyclic), TypeError);
  });
});

describe("jsonOfFields", () => {
  test("equals JSON.stringify for objects, arrays, primitives and objects with toJSON", () => {
    for (const value of samples) assert.equal(jsonOfFields(value), JSON.stringify(value ?? null) ?? "null");
    assert.equal(jsonOfFields({ input: samples[14], n: 1, gone: undefined }), JSON.stringify({ input: samples[14], n: 1 }));
  });

  test("splices in the texts of values it holds", () => {
    const input = withJson(JSON.parse('{"x": 1}') as unknown, '{"x": 1}');
    assert.equal(jsonOfFields({ input, code: "return input" }), '{"input":{"x": 1},"code":"return input"}');
  });
});
