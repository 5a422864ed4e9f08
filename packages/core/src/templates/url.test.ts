import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { TemplateResolutionError, type TemplateScope } from "./resolve";
import { resolveUrlTemplate } from "./url";

const SECRET = "ab#c d/e?f&g=h'(x)";
const scope: TemplateScope = {
  input: { id: "a/b#c", q: "x&y=z", url: "https://api.example.com/v1?k=1#top", base: "https://api.example.com/v1", up: "..", dot: ".", host: "evil.test", n: 7 },
  nodes: {},
  credential: { token: SECRET },
};
const resolve = (text: string) => resolveUrlTemplate(text, scope);

describe("templates in a URL", () => {
  test("values in the path, query and fragment are percent-encoded", () => {
    assert.equal(resolve("https://api.example.com/items/{{input.id}}?q={{input.q}}&n={{input.n}}#{{input.id}}"), "https://api.example.com/items/a%2Fb%23c?q=x%26y%3Dz&n=7#a%2Fb%23c");
  });

  test("a secret with # ? / & ' ( ) stays whole: the URL parser sees one path segment and one query value", () => {
    const out = resolve("https://api.example.com/bot{{credential.token}}/send?t={{credential.token}}") as string;
    const url = new URL(out);
    assert.equal(url.hash, "");
    assert.equal(url.pathname.split("/").length, 3);
    assert.equal(decodeURIComponent(url.pathname.split("/")[1]), `bot${SECRET}`);
    assert.equal(url.searchParams.get("t"), SECRET);
    assert.equal(url.toString(), out, "the URL parser changes nothing, so the stored URL is the encoded form the redactor knows");
  });

  test("a whole-URL template and a leading base are placed as they are", () => {
    assert.equal(resolve("{{input.url}}"), "https://api.example.com/v1?k=1#top");
    assert.equal(resolve("{{input.base}}/items/{{input.id}}"), "https://api.example.com/v1/items/a%2Fb%23c");
    assert.equal(resolveUrlTemplate(42, scope), 42);
    assert.equal(resolve("https://api.example.com/x"), "https://api.example.com/x");
  });

  test("a template cannot change the scheme or host", () => {
    for (const text of ["https://{{input.host}}/x", "https://api.example.com.{{input.host}}/x", "https://user:{{credential.token}}@api.example.com/", "https://api.example.com:{{input.n}}/", "http{{input.q}}://x.test/"]) {
      assert.throws(() => resolve(text), (e: unknown) => e instanceof TemplateResolutionError && /scheme or host/.test(e.message), text);
    }
  });

  test("a whole . or .. segment is refused; dots inside a segment are fine", () => {
    assert.throws(() => resolve("https://api.example.com/a/{{input.up}}/admin"), /move up/);
    assert.throws(() => resolve("https://api.example.com/a/{{input.dot}}"), /move up/);
    assert.equal(resolve("https://api.example.com/a/{{input.up}}x"), "https://api.example.com/a/..x");
    assert.equal(resolve("https://api.example.com/a?p={{input.up}}"), "https://api.example.com/a?p=..");
  });
});
