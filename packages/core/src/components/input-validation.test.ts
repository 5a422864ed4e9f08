import { test } from "node:test";
import assert from "node:assert/strict";
import { inputProblems, validateInput } from "./input-validation";

const schema = {
  type: "object",
  required: ["schema", "data"],
  properties: {
    schema: { type: "object" },
    data: {},
    n: { type: "integer", minimum: 2 },
    items: { type: "array", items: { type: "object", required: ["name"], properties: { name: { type: "string" } } } },
    "a/b": { type: "string" },
  },
  additionalProperties: false,
};

test("every problem is named by its parameter path", () => {
  assert.deepEqual(inputProblems(schema, { n: 1.5, items: [{ name: 3 }, {}], extra: 1, "a/b": 1 }), [
    { path: "schema", message: "is required" },
    { path: "data", message: "is required" },
    { path: "n", message: 'value type "number" is invalid. Expected "integer"' },
    { path: "n", message: "1.5 is less than 2" },
    { path: "items.0.name", message: 'value type "number" is invalid. Expected "string"' },
    { path: "items.1.name", message: "is required" },
    { path: "a/b", message: 'value type "number" is invalid. Expected "string"' },
    { path: "extra", message: "is not allowed" },
  ]);
});

test("valid parameters have no problems; no schema accepts anything", () => {
  assert.deepEqual(inputProblems(schema, { schema: {}, data: null, n: 2.0 }), []);
  assert.equal(validateInput("x", undefined, { anything: 1 }), undefined);
});

test("the node error lists the fields in its message and details", () => {
  const error = validateInput("validate_json", schema, { data: 1 });
  assert.equal(error?.code, "invalid_input");
  assert.equal(error?.retryable, false);
  assert.equal(error?.message, 'Invalid input for component "validate_json": schema: is required.');
  assert.deepEqual(error?.details, [{ path: "schema", message: "is required" }]);
});
