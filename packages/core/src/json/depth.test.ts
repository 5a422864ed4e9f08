import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ArcrunError } from "../errors";
import { assertDepth, depthExceeds, MAX_INPUT_DEPTH } from "./depth";

const nested = (levels: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

describe("depthExceeds", () => {
  test("scalars have depth 0; each object or list adds one", () => {
    assert.equal(depthExceeds("x", 0), false);
    assert.equal(depthExceeds({}, 0), true);
    assert.equal(depthExceeds({}, 1), false);
    assert.equal(depthExceeds({ a: [1, { b: null }] }, 3), false);
    assert.equal(depthExceeds({ a: [1, { b: null }] }, 2), true);
    assert.equal(depthExceeds(nested(MAX_INPUT_DEPTH), MAX_INPUT_DEPTH), false);
    assert.equal(depthExceeds(nested(MAX_INPUT_DEPTH + 1), MAX_INPUT_DEPTH), true);
  });

  test("a value nested 200,000 levels deep is measured without overflowing the stack", () => {
    const deep = JSON.parse("[".repeat(200_000) + "]".repeat(200_000));
    assert.throws(() => JSON.stringify(deep), RangeError); // what the engine would hit later
    assert.equal(depthExceeds(deep, MAX_INPUT_DEPTH), true);
  });

  test("wide input is fine", () => {
    assert.equal(depthExceeds({ list: Array.from({ length: 10_000 }, (_, i) => ({ i })) }, 3), false);
  });
});

describe("assertDepth", () => {
  test("throws 400 input_too_deep naming the limit", () => {
    assert.throws(
      () => assertDepth(nested(10_000), "the input"),
      (error: unknown) =>
        error instanceof ArcrunError &&
        error.code === "input_too_deep" &&
        error.status === 400 &&
        error.message.includes(`${MAX_INPUT_DEPTH} levels`) &&
        (error.details as { limit: number }).limit === MAX_INPUT_DEPTH,
    );
    assertDepth(nested(10), "the input");
  });
});
