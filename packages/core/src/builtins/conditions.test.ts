import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { evaluateCondition, ConditionError } from "./conditions";

const t = (value: unknown, op: string, to?: unknown, extra: Record<string, unknown> = {}) =>
  evaluateCondition({ value, op, ...(to === undefined ? {} : { to }), ...extra });

describe("conditions", () => {
  test("comparisons: numbers, numeric strings, text", () => {
    assert.equal(t(18, "gte", 18), true);
    assert.equal(t("18", "gte", 18), true);
    assert.equal(t(17, "gt", 18), false);
    assert.equal(t("10", "gt", "9"), true); // numeric strings compare as numbers
    assert.equal(t("b", "gt", "a"), true);
    assert.equal(t(3, "lt", 4), true);
    assert.equal(t(4, "lte", 4), true);
    assert.equal(t(null, "gt", 1), false);
    assert.equal(t("abc", "gt", 1), false);
  });
  test("equality is deep, and numbers equal numeric strings", () => {
    assert.equal(t({ a: [1, 2] }, "eq", { a: [1, 2] }), true);
    assert.equal(t({ a: [1, 2] }, "eq", { a: [2, 1] }), false);
    assert.equal(t("5", "eq", 5), true);
    assert.equal(t("x", "ne", "y"), true);
    assert.equal(t(null, "eq", null), true);
  });
  test("text and list operators", () => {
    assert.equal(t("hello world", "contains", "lo w"), true);
    assert.equal(t(["a", "b"], "contains", "b"), true);
    assert.equal(t({ k: 1 }, "contains", "k"), true);
    assert.equal(t("abc", "not_contains", "z"), true);
    assert.equal(t("ada@example.com", "ends_with", "@example.com"), true);
    assert.equal(t("ada@example.com", "starts_with", "ada"), true);
    assert.equal(t("ADA", "matches", "^ada$", { flags: "i" }), true);
    assert.equal(t("gold", "in", ["silver", "gold"]), true);
    assert.equal(t("old", "in", "gold"), true);
  });
  test("exists, empty, is_type, path", () => {
    assert.equal(t(0, "exists"), true);
    assert.equal(t(null, "exists"), false);
    assert.equal(t({ user: {} }, "exists", undefined, { path: "user.email" }), false);
    assert.equal(t({ items: [{ id: 7 }] }, "eq", 7, { path: "items[0].id" }), true);
    for (const v of ["", [], {}, null]) assert.equal(t(v, "empty"), true);
    assert.equal(t(" ", "empty"), false);
    assert.equal(t(3, "is_type", "integer"), true);
    assert.equal(t(3, "is_type", "number"), true);
    assert.equal(t(3.5, "is_type", "integer"), false);
    assert.equal(t([], "is_type", "array"), true);
    assert.equal(t({}, "is_type", "object"), true);
  });
  test("all, any, not, lists and booleans", () => {
    const adult = { value: 20, op: "gte", to: 18 };
    const member = { value: "no", op: "eq", to: "yes" };
    assert.equal(evaluateCondition({ all: [adult, member] }), false);
    assert.equal(evaluateCondition({ any: [adult, member] }), true);
    assert.equal(evaluateCondition({ not: member }), true);
    assert.equal(evaluateCondition([adult, { not: member }]), true);
    assert.equal(evaluateCondition(true), true);
    assert.equal(evaluateCondition({ op: "gt", to: 1 }, { subject: { value: 2 } }), true);
  });
  test("mistakes are ConditionErrors that say where and how to fix", () => {
    const err = (c: unknown) => {
      try {
        evaluateCondition(c);
      } catch (error) {
        assert.ok(error instanceof ConditionError);
        return error.message;
      }
      assert.fail("expected a ConditionError");
    };
    assert.match(err({ all: [{ value: 1, op: "gt", to: 0 }, { value: 1, op: "greater", to: 0 }] }), /condition\.all\[1\]\.op: unknown operator "greater"/);
    assert.match(err({ value: 1, op: "gte_" , to: 1 }), /did you mean "gte"/);
    assert.match(err({ value: 1, op: "gt" }), /needs "to"/);
    assert.match(err({ op: "exists" }), /missing "value"/);
    assert.match(err({ value: "a", op: "matches", to: "(" }), /invalid regular expression/);
    assert.match(err({ value: 1, op: "eq", to: 1, vlaue: 2 }), /unknown key "vlaue"/);
    assert.match(err({ all: [], any: [] }), /must be the only key/);
    assert.match(err("yes"), /expected a condition object/);
    assert.match(err({ value: 1, op: "in", to: 5 }), /needs a list/);
    assert.match(err({ value: 1, op: "is_type", to: "float" }), /is_type needs one of/);
  });
});

describe("conditions read own keys only", () => {
  test("a path named like a property of Object is missing on an object that lacks it", () => {
    for (const path of ["constructor", "toString", "__proto__", "hasOwnProperty", "constructor.name"]) {
      assert.equal(evaluateCondition({ value: { a: 1 }, path, op: "exists" }), false, path);
    }
    const data = JSON.parse('{"__proto__": {"x": 1}, "constructor": "c"}');
    assert.equal(evaluateCondition({ value: data, path: "__proto__.x", op: "eq", to: 1 }), true);
    assert.equal(evaluateCondition({ value: data, path: "constructor", op: "eq", to: "c" }), true);
  });

  test("equal objects compare own keys: {toString: 1} is not {valueOf: 1}", () => {
    assert.equal(evaluateCondition({ value: { toString: 1 }, op: "eq", to: { valueOf: 1 } }), false);
    assert.equal(evaluateCondition({ value: { toString: 1 }, op: "eq", to: { toString: 1 } }), true);
  });
});
