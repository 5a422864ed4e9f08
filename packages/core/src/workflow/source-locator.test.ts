import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { LineCounter, parseDocument } from "yaml";
import { yamlLocator } from "./source-locator";

const locatorFor = (text: string) => {
  const lineCounter = new LineCounter();
  return yamlLocator(parseDocument(text, { lineCounter }), lineCounter, text);
};

describe("yamlLocator", () => {
  const text = `name: t
config:
  a:
    component: code
    plain: hello {{x}}
    quoted: "say {{x}}"
    escaped: "tab\\t{{x}}"
    list: [one, "{{x}}"]
`;
  const locate = locatorFor(text);

  test("a scalar points at its value, a block map at its key", () => {
    assert.deepEqual(locate.at(["name"]), { line: 1, column: 7 });
    assert.deepEqual(locate.at(["config", "a"]), { line: 3, column: 3 });
    assert.deepEqual(locate.at(["config", "a", "list", 1]), { line: 8, column: 17 });
  });

  test("a missing path falls back to the nearest existing parent", () => {
    assert.deepEqual(locate.at(["config", "a", "nope", "deeper"]), { line: 3, column: 3 });
    assert.deepEqual(locate.at(["config", "ghost"]), { line: 2, column: 1 });
  });

  test("key() points at a key", () => {
    assert.deepEqual(locate.key(["config", "a", "component"]), { line: 4, column: 5 });
  });

  test("inString() finds a character inside plain and quoted strings", () => {
    assert.deepEqual(locate.inString(["config", "a", "plain"], 6), { line: 5, column: 18 });
    assert.deepEqual(locate.inString(["config", "a", "quoted"], 4), { line: 6, column: 18 });
  });

  test("inString() falls back to the value when escapes shift the offsets", () => {
    assert.deepEqual(locate.inString(["config", "a", "escaped"], 4), { line: 7, column: 14 });
  });
});
