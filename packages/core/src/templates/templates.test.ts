import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { collectTemplates, findTemplates, parsePath, TemplateSyntaxError } from "./parse";
import { resolveTemplates, TemplateResolutionError, type TemplateScope } from "./resolve";

const scope: TemplateScope = {
  input: { email: "a@b.c", n: 3, user: { tags: ["x", "y"] }, "odd key": true, nothing: null },
  nodes: {
    fetch: { status: "succeeded", data: { items: [{ id: 7 }, { id: 8 }] } },
    check: { status: "failed", error: { code: "invalid_input", message: "email missing" } },
  },
  credential: { api_token: "s3cret" },
};

describe("parsePath", () => {
  test("dots, indexes and quoted keys", () => {
    assert.deepEqual(parsePath("fetch.data.items[0].id"), ["fetch", "data", "items", 0, "id"]);
    assert.deepEqual(parsePath(`input["odd key"]`), ["input", "odd key"]);
    assert.deepEqual(parsePath("input.list.0"), ["input", "list", "0"]);
  });
  test("malformed paths are syntax errors", () => {
    for (const bad of ["", "1abc", "input.", "input[x]", "input..a", "input a"]) {
      assert.throws(() => parsePath(bad), TemplateSyntaxError, bad);
    }
  });
});

describe("findTemplates / collectTemplates", () => {
  test("finds every template with its offsets", () => {
    const refs = findTemplates("Hi {{ input.email }}, id {{fetch.data.items[1].id}}");
    assert.deepEqual(refs.map((r) => [r.root, r.path, r.start]), [["input", ["email"], 3], ["fetch", ["data", "items", 1, "id"], 25]]);
  });
  test("a text is parsed once: the same frozen refs for every caller", () => {
    const text = "{{input.user.tags[1]}} and {{fetch.data}}";
    const first = findTemplates(text);
    assert.equal(findTemplates(text), first);
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first[0]) && Object.isFrozen(first[0].path));
    assert.throws(() => ((first[0] as unknown as { root: string }).root = "x"), TypeError);
    assert.deepEqual(resolveTemplates(text, scope), 'y and {"items":[{"id":7},{"id":8}]}');
  });
  test("a long text is parsed each time, not kept (the cache is bounded by characters too)", () => {
    const long = "x".repeat(5000) + "{{input.n}}";
    const first = findTemplates(long);
    assert.notEqual(findTemplates(long), first, "not cached");
    assert.deepEqual(findTemplates(long).map((r) => [r.root, r.path, r.start]), [["input", ["n"], 5000]]);
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first[0]));
    assert.equal(resolveTemplates(long, scope), "x".repeat(5000) + "3");
  });
  test("walks nested objects and arrays", () => {
    const refs = collectTemplates({ a: ["{{input}}", { b: "x {{check.error.message}}" }], c: 5 });
    assert.deepEqual(refs.map((r) => r.root), ["input", "check"]);
  });
});

describe("resolveTemplates", () => {
  test("a value that is exactly one template keeps its JSON type", () => {
    assert.equal(resolveTemplates("{{input.n}}", scope), 3);
    assert.deepEqual(resolveTemplates("{{input.user.tags}}", scope), ["x", "y"]);
    assert.equal(resolveTemplates("{{input.nothing}}", scope), null);
    assert.equal(resolveTemplates("{{ fetch.data.items[0].id }}", scope), 7);
  });
  test("inside text values are stringified, objects as JSON", () => {
    assert.equal(resolveTemplates("n={{input.n}} tags={{input.user.tags}}", scope), 'n=3 tags=["x","y"]');
    assert.equal(resolveTemplates("why: {{check.error.message}}", scope), "why: email missing");
  });
  test("resolves deeply and leaves non-templates alone", () => {
    const out = resolveTemplates({ to: "{{input.email}}", list: ["{{input.n}}", 1, true, null], raw: "no {braces}" }, scope);
    assert.deepEqual(out, { to: "a@b.c", list: [3, 1, true, null], raw: "no {braces}" });
  });
  test("credentials resolve by name", () => {
    assert.equal(resolveTemplates("Bearer {{credential.api_token}}", scope), "Bearer s3cret");
  });
  test("a missing path is an error naming the path, never an empty string", () => {
    assert.throws(() => resolveTemplates("{{input.user.name}}", scope), (e: unknown) =>
      e instanceof TemplateResolutionError && /input\.user\.name does not exist/.test(e.message));
    assert.throws(() => resolveTemplates("{{fetch.data.items[5].id}}", scope), /out of range \(the list has 2 items\)/);
    assert.throws(() => resolveTemplates("{{input.email[0]}}", scope), /is not a list/);
    assert.throws(() => resolveTemplates("{{input.nothing.x}}", scope), /input\.nothing is null/);
    assert.throws(() => resolveTemplates("{{later.data}}", scope), /has not run before this node/);
    assert.throws(() => resolveTemplates("{{credential.other}}", scope), /credential "other" was not loaded/);
  });
  test("does not read inherited properties", () => {
    assert.throws(() => resolveTemplates("{{input.constructor}}", scope), TemplateResolutionError);
    assert.throws(() => resolveTemplates("{{input.__proto__}}", scope), TemplateResolutionError);
  });
});
