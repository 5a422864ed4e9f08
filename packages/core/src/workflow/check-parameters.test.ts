import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Component } from "../components/types";
import { compileWorkflow } from "./compile";
import { FAKE_COMPONENTS, fakeResolver } from "./test-resolver";

const textCase: Component = {
  name: "text_case",
  kind: "wasm",
  run: async () => ({ success: true, data: null }),
  contract: {
    name: "text_case",
    version: "1.0.0",
    description: "change case",
    input_schema: {
      type: "object",
      required: ["text"],
      properties: {
        text: { type: "string" },
        case: { type: "string", enum: ["upper", "lower", "title"] },
        options: { type: "object", properties: { width: { type: "integer", minimum: 1 }, tags: { type: "array", items: { enum: ["a", "b"] }, maxItems: 2 } } },
      },
      additionalProperties: false,
    },
  },
};

async function issuesOf(config: string) {
  const yaml = `name: t
flow:
  - "input >> ON_SUCCESS >> shout"
config:
  shout:
${config}`;
  const result = await compileWorkflow(yaml, { resolver: fakeResolver([...FAKE_COMPONENTS, textCase]), file: "t.yaml" });
  return result.ok ? [] : result.issues;
}

describe("literal parameters against the component's input_schema", () => {
  test("a value outside the enum is an invalid_input issue with line, column, node and the schema's complaint", async () => {
    const issues = await issuesOf(`    component: text_case
    text: "{{input.name}}"
    case: shouting
`);
    assert.equal(issues.length, 1, JSON.stringify(issues));
    const [issue] = issues;
    assert.equal(issue.code, "invalid_input");
    assert.equal(issue.node, "shout");
    assert.equal(issue.line, 8);
    assert.equal(issue.column, 11);
    assert.match(issue.message, /case: value does not match any of \["upper","lower","title"\]/);
    assert.match(issue.hint!, /"upper", "lower", "title"/);
  });

  test("wrong types, nested values and forbidden keys are reported where they are written", async () => {
    const issues = await issuesOf(`    component: text_case
    text: 42
    shout_louder: true
    options:
      width: 0
      tags: [a, c]
`);
    assert.deepEqual(issues.map((i) => [i.line, i.message.replace(/ \(input_schema of text_case\)$/, "")]).sort(), [
      [7, 'node shout: text: value type "number" is invalid. Expected "string"'],
      [8, "node shout: shout_louder: is not allowed"],
      [10, "node shout: options.width: 0 is less than 1"],
      [11, "node shout: options.tags.1: value does not match any of [\"a\",\"b\"]"],
    ].sort());
  });

  test("templated values are left to the run; the shape around them is still checked", async () => {
    assert.deepEqual(await issuesOf(`    component: text_case
    text: "{{input.name}}"
    case: "{{input.case}}"
    options: {width: "{{input.width}}", tags: ["{{input.tag}}", b]}
`), []);
    const tooMany = await issuesOf(`    component: text_case
    text: "Hi {{input.name}}"
    options: {tags: ["{{input.tag}}", a, b]}
`);
    assert.equal(tooMany.length, 1, JSON.stringify(tooMany));
    assert.equal(tooMany[0].code, "invalid_input");
    assert.match(tooMany[0].message, /^node shout: options\.tags: .*2.* \(input_schema of text_case\)$/);
  });

  test("a missing required input stays one missing_input issue; valid literals pass", async () => {
    const missing = await issuesOf(`    component: text_case
    case: upper
`);
    assert.deepEqual(missing.map((i) => i.code), ["missing_input"]);
    assert.deepEqual(await issuesOf(`    component: text_case
    text: hello
    case: title
    options: {width: 3, tags: [a]}
`), []);
  });
});
