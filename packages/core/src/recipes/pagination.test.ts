import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { mustLoadRecipe } from "./load";
import { nextFromLinkHeader, runRecipe } from "./run";
import type { RecipeInput } from "./schema";
import { fakeFetch, json, options } from "./test-helpers";

function recipe(pagination: unknown, request?: unknown) {
  return mustLoadRecipe({
    name: "lister", version: "1.0.0", description: "lists", hosts: ["api.example.com"],
    credentials: [{ key: "list_token", description: "t" }],
    inputs: { type: "object", properties: { limit: { type: "integer", default: 2 } } },
    request: request ?? { method: "GET", url: "https://api.example.com/items", query: { limit: "{{params.limit}}" } },
    auth: { kind: "bearer", credential: "list_token" },
    pagination,
    config_example: { component: "lister" },
  } as RecipeInput as Record<string, unknown>);
}

const creds = { list_token: "list-token-123456" };

describe("pagination", () => {
  test("cursor in the query: pages until the cursor is empty, items concatenated", async () => {
    const { fetch, requests } = fakeFetch([
      json({ items: [1, 2], meta: { next: "c2" } }),
      json({ items: [3, 4], meta: { next: "c3" } }),
      json({ items: [5], meta: { next: "" } }),
    ]);
    const result = await runRecipe(recipe({ kind: "cursor", cursor_path: "meta.next", param: "cursor", items_path: "items" }), {}, options(fetch, creds));
    assert.deepEqual(result.outcome, { success: true, data: { items: [1, 2, 3, 4, 5], pages: 3, has_more: false } });
    assert.deepEqual(requests.map((r) => r.url.search), ["?limit=2", "?limit=2&cursor=c2", "?limit=2&cursor=c3"]);
    assert.ok(requests.every((r) => r.headers.get("authorization") === `Bearer ${creds.list_token}`));
  });

  test("the page cap stops early and says there is more", async () => {
    const { fetch, requests } = fakeFetch((req) => json({ items: [req.url.searchParams.get("cursor") ?? "first"], meta: { next: `c${Math.random()}` } }));
    const result = await runRecipe(recipe({ kind: "cursor", cursor_path: "meta.next", param: "cursor", items_path: "items", max_pages: 3 }), {}, options(fetch, creds));
    assert.equal(requests.length, 3);
    assert.ok(result.outcome.success);
    assert.deepEqual((result.outcome.data as { pages: number; has_more: boolean }).has_more, true);
    assert.equal((result.outcome.data as { items: unknown[] }).items.length, 3);
  });

  test("cursor in a JSON body (Notion-style start_cursor)", async () => {
    const { fetch, requests } = fakeFetch([json({ results: ["a"], next_cursor: "n1" }), json({ results: ["b"], next_cursor: null })]);
    const r = recipe(
      { kind: "cursor", cursor_path: "next_cursor", param: "start_cursor", in: "body", items_path: "results" },
      { method: "POST", url: "https://api.example.com/query", body: { kind: "json", value: { page_size: "{{params.limit}}" } } },
    );
    const result = await runRecipe(r, {}, options(fetch, creds));
    assert.deepEqual(requests.map((q) => JSON.parse(q.body)), [{ page_size: 2 }, { page_size: 2, start_cursor: "n1" }]);
    assert.deepEqual(result.outcome, { success: true, data: { items: ["a", "b"], pages: 2, has_more: false } });
  });

  test("next link from the Link header (GitHub-style)", async () => {
    const { fetch, requests } = fakeFetch([
      json([1, 2], 200, { link: '<https://api.example.com/items?page=2>; rel="next", <https://api.example.com/items?page=3>; rel="last"' }),
      json([3], 200, { link: '<https://api.example.com/items?page=1>; rel="first", <https://api.example.com/items?page=1>; rel="prev"' }),
    ]);
    const result = await runRecipe(recipe({ kind: "next_link", from: "link_header" }), {}, options(fetch, creds));
    assert.deepEqual(result.outcome, { success: true, data: { items: [1, 2, 3], pages: 2, has_more: false } });
    assert.deepEqual(requests.map((r) => r.url.href), ["https://api.example.com/items?limit=2", "https://api.example.com/items?page=2"]);
    assert.equal(requests[1].headers.get("authorization"), `Bearer ${creds.list_token}`);
  });

  test("a page that is not a list is invalid_response, not a throw", async () => {
    const { fetch } = fakeFetch([json({ not: "a list" })]);
    const result = await runRecipe(recipe({ kind: "next_link", from: "link_header" }), {}, options(fetch, creds));
    assert.ok(!result.outcome.success && result.outcome.error.code === "invalid_response");
    assert.match(result.outcome.error.message, /without a list as its body/);
  });

  test("next link from a body field, relative links resolved, capped", async () => {
    const { fetch, requests } = fakeFetch((req) => {
      const page = Number(req.url.searchParams.get("page") ?? "1");
      return json({ data: [page], links: { next: `/items?page=${page + 1}` } });
    });
    const result = await runRecipe(recipe({ kind: "next_link", from: "body", next_path: "links.next", items_path: "data", max_pages: 4 }), {}, options(fetch, creds));
    assert.deepEqual(result.outcome, { success: true, data: { items: [1, 2, 3, 4], pages: 4, has_more: true } });
    assert.deepEqual(requests.map((r) => r.url.href), [
      "https://api.example.com/items?limit=2",
      "https://api.example.com/items?page=2",
      "https://api.example.com/items?page=3",
      "https://api.example.com/items?page=4",
    ]);
  });

  test("a next link to an undeclared host is refused", async () => {
    const { fetch, requests } = fakeFetch([json({ data: [1], links: { next: "https://evil.example/items?page=2" } })]);
    const result = await runRecipe(recipe({ kind: "next_link", from: "body", next_path: "links.next", items_path: "data" }), {}, options(fetch, creds));
    assert.equal(requests.length, 1);
    assert.ok(!result.outcome.success && result.outcome.error.code === "egress_denied");
  });

  test("Link header parsing picks rel=next only", () => {
    assert.equal(nextFromLinkHeader('<https://a.example/?p=2>; rel="next", <https://a.example/?p=9>; rel="last"'), "https://a.example/?p=2");
    assert.equal(nextFromLinkHeader('<https://a.example/?p=1>; rel="prev"'), undefined);
    assert.equal(nextFromLinkHeader(null), undefined);
  });
});
