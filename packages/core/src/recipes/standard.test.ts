// Each standard recipe's config_example, run against a fake fetch: the request is checked field
// by field against the API's documentation (method, path, headers, body encoding, auth placement).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mustLoadRecipe } from "./load";
import { runRecipe } from "./run";
import type { Recipe } from "./schema";
import { resolveTemplates } from "../templates/resolve";
import { nodeParams } from "../workflow/schema";
import { fakeFetch, json, options, type Recorded } from "./test-helpers";

const RECIPES = new URL("../../../../recipes/", import.meta.url);
const load = (name: string) => mustLoadRecipe(readFileSync(new URL(`${name}.yaml`, RECIPES), "utf8"));

/** The config_example as a node would run it: workflow templates resolved against a sample run. */
function exampleParams(recipe: Recipe): Record<string, unknown> {
  const scope = {
    input: { email: "ada@example.com", order_id: "A-17", version: "2.4.0", run_id: "run_42", title: "Hello", month: "November" },
    nodes: { triage: { status: "succeeded", data: { title: "Printer on fire", priority: "high" } } },
  };
  return resolveTemplates(nodeParams(recipe.config_example as never), scope) as Record<string, unknown>;
}

async function runExample(name: string, answer: Response, credentials: Record<string, string>, params?: Record<string, unknown>) {
  const recipe = load(name);
  const { fetch, requests } = fakeFetch([answer]);
  const egress = (recipe.config_example.egress as string[] | undefined) ?? [];
  const result = await runRecipe(recipe, params ?? exampleParams(recipe), options(fetch, credentials, { egress }));
  return { recipe, result, requests, request: requests[0] as Recorded };
}

describe("standard recipes build the documented requests", () => {
  test("telegram_send: POST /bot<token>/sendMessage, JSON chat_id/text/parse_mode, ok == true, result returned", async () => {
    const token = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11";
    const { result, request } = await runExample("telegram_send", json({ ok: true, result: { message_id: 42, chat: { id: -1001234567890 } } }), { telegram_bot_token: token });
    assert.equal(request.method, "POST");
    assert.equal(request.url.origin, "https://api.telegram.org");
    // Telegram documents /bot<token>/METHOD: the token's ":" stays literal (legal in a path segment, RFC 3986 § 3.3)
    assert.equal(request.url.pathname, `/bot${token}/sendMessage`);
    assert.equal(request.headers.get("content-type"), "application/json");
    assert.deepEqual(JSON.parse(request.body), { chat_id: "-1001234567890", text: "New signup: ada@example.com", parse_mode: "HTML" });
    assert.equal(request.headers.get("authorization"), null);
    assert.deepEqual(result.outcome, { success: true, data: { message_id: 42, chat: { id: -1001234567890 } } });
    assert.equal(result.secrets.telegram_bot_token, token, "the URL-path token is reported for redaction");
  });

  test("telegram_send: ok == false is a failure with the provider's description and error_code", async () => {
    const { result } = await runExample("telegram_send", json({ ok: false, error_code: 400, description: "Bad Request: chat not found" }, 400), { telegram_bot_token: "1:x" });
    assert.equal(result.outcome.success, false);
    assert.ok(!result.outcome.success);
    assert.equal(result.outcome.error.code, "http_error");
    assert.match(result.outcome.error.message, /400: Bad Request: chat not found/);
    assert.deepEqual(result.outcome.error.details, { status: 400, provider_code: 400, provider_message: "Bad Request: chat not found" });
    assert.equal(result.outcome.error.retryable, false);
  });

  test("line_push: POST /v2/bot/message/push, bearer channel token, {to, messages: [{type: text}]}", async () => {
    const { result, request } = await runExample("line_push", json({ sentMessages: [{ id: "461230966842064897", quoteToken: "IStG5h1Tz7b" }] }), { line_channel_access_token: "line-token-xyz" });
    assert.equal(request.method, "POST");
    assert.equal(request.url.href, "https://api.line.me/v2/bot/message/push");
    assert.equal(request.headers.get("authorization"), "Bearer line-token-xyz");
    assert.equal(request.headers.get("content-type"), "application/json");
    assert.equal(request.headers.get("x-line-retry-key"), null, "an absent optional header is not sent");
    assert.deepEqual(JSON.parse(request.body), { to: "U4af4980629aaaaaaaaaaaaaaaaaaaaaa", messages: [{ type: "text", text: "Order A-17 has shipped" }] });
    assert.ok(result.outcome.success);
  });

  test("slack_post: POST /api/chat.postMessage, bearer xoxb, JSON charset utf-8", async () => {
    const { result, request } = await runExample("slack_post", json({ ok: true, channel: "C0123456789", ts: "1503435956.000247", message: { text: "New signup: ada@example.com" } }), { slack_bot_token: "xoxb-1-2-abc" });
    assert.equal(request.method, "POST");
    assert.equal(request.url.href, "https://slack.com/api/chat.postMessage");
    assert.equal(request.headers.get("authorization"), "Bearer xoxb-1-2-abc");
    assert.equal(request.headers.get("content-type"), "application/json; charset=utf-8");
    assert.deepEqual(JSON.parse(request.body), { channel: "C0123456789", text: "New signup: ada@example.com" });
    assert.ok(result.outcome.success);
    assert.equal((result.outcome.data as { ts: string }).ts, "1503435956.000247");
  });

  test("slack_post: HTTP 200 with ok:false is a failure naming Slack's error", async () => {
    const { result } = await runExample("slack_post", json({ ok: false, error: "channel_not_found" }), { slack_bot_token: "xoxb-1" });
    assert.ok(!result.outcome.success);
    assert.equal(result.outcome.error.code, "http_error");
    assert.match(result.outcome.error.message, /ok is not true: channel_not_found/);
    assert.deepEqual(result.outcome.error.details, { status: 200, provider_code: "channel_not_found", provider_message: "channel_not_found" });
  });

  test("discord_post: POST to the webhook URL credential with ?wait=true, JSON content", async () => {
    const hook = "https://discord.com/api/webhooks/223704706495545344/3d89bb7572e0fb30d8128367b3b1b44fecd1726de135cbe28a41f8b2f777c372ba2939e72279b94526ff5d1bd4358d65cf11";
    const { result, request } = await runExample("discord_post", json({ id: "1180000000000000000", content: "Deploy finished: 2.4.0" }), { discord_webhook_url: hook });
    assert.equal(request.method, "POST");
    assert.equal(request.url.origin + request.url.pathname, hook);
    assert.equal(request.url.searchParams.get("wait"), "true");
    assert.equal(request.headers.get("content-type"), "application/json");
    assert.deepEqual(JSON.parse(request.body), { content: "Deploy finished: 2.4.0" });
    assert.ok(result.outcome.success);
    assert.equal(result.secrets.discord_webhook_url, hook);
  });

  test("discord_post: a webhook URL credential on an undeclared host is refused before any call", async () => {
    const { result, requests } = await runExample("discord_post", json({}), { discord_webhook_url: "https://evil.example/api/webhooks/1/2" });
    assert.equal(requests.length, 0);
    assert.ok(!result.outcome.success);
    assert.equal(result.outcome.error.code, "egress_denied");
  });

  test("github_issue_create: POST /repos/{owner}/{repo}/issues with the GitHub media type, API version and User-Agent", async () => {
    const { result, request } = await runExample("github_issue_create", json({ number: 1347, html_url: "https://github.com/octocat/hello-world/issues/1347" }, 201), { github_token: "github_pat_abc" });
    assert.equal(request.method, "POST");
    assert.equal(request.url.href, "https://api.github.com/repos/octocat/hello-world/issues");
    assert.equal(request.headers.get("authorization"), "Bearer github_pat_abc");
    assert.equal(request.headers.get("accept"), "application/vnd.github+json");
    assert.equal(request.headers.get("x-github-api-version"), "2022-11-28");
    assert.equal(request.headers.get("user-agent"), "arcrun");
    assert.deepEqual(JSON.parse(request.body), { title: "Failed run run_42", body: "See the trace for details.", labels: ["bug"] });
    assert.ok(result.outcome.success);
  });

  test("github_issue_create: owner and repo are percent-encoded path segments (no path traversal)", async () => {
    const recipe = load("github_issue_create");
    const { fetch, requests } = fakeFetch([json({}, 201)]);
    await runRecipe(recipe, { owner: "octo/../../orgs", repo: "r?x=1#f", title: "t" }, options(fetch, { github_token: "github_pat_11AAAA" }));
    assert.equal(requests[0].url.pathname, "/repos/octo%2F..%2F..%2Forgs/r%3Fx%3D1%23f/issues");
    assert.equal(requests[0].url.search, "");
    const dots = fakeFetch([json({}, 201)]);
    const refused = await runRecipe(recipe, { owner: "..", repo: "r", title: "t" }, options(dots.fetch, { github_token: "github_pat_11AAAA" }));
    assert.equal(dots.requests.length, 0);
    assert.ok(!refused.outcome.success && refused.outcome.error.code === "invalid_input");
  });

  test("notion_page_create: POST /v1/pages with Notion-Version, parent and properties as JSON", async () => {
    const { result, request } = await runExample("notion_page_create", json({ object: "page", id: "59833787-2cf9-4fdf-8782-e53db20768a5" }), { notion_token: "ntn_secret" });
    assert.equal(request.method, "POST");
    assert.equal(request.url.href, "https://api.notion.com/v1/pages");
    assert.equal(request.headers.get("authorization"), "Bearer ntn_secret");
    assert.equal(request.headers.get("notion-version"), "2022-06-28");
    assert.deepEqual(JSON.parse(request.body), {
      parent: { database_id: "d9824bdc-8445-4327-be8b-5b47500af6ce" },
      properties: { Name: { title: [{ text: { content: "Hello" } }] } },
    });
    assert.ok(result.outcome.success);
  });

  test("resend_email: POST /emails, bearer key, JSON from/to/subject/text", async () => {
    const { result, request } = await runExample("resend_email", json({ id: "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794" }), { resend_api_key: "re_123" });
    assert.equal(request.method, "POST");
    assert.equal(request.url.href, "https://api.resend.com/emails");
    assert.equal(request.headers.get("authorization"), "Bearer re_123");
    assert.deepEqual(JSON.parse(request.body), { from: "Acme <onboarding@acme.example>", to: "ada@example.com", subject: "Welcome", text: "Thanks for signing up." });
    assert.deepEqual(result.outcome, { success: true, data: { id: "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794" } });
  });

  test("resend_email: a missing html and text is refused before any call", async () => {
    const { result, requests } = await runExample("resend_email", json({}), { resend_api_key: "re_123" }, { from: "a@b.c", to: "d@e.f", subject: "s" });
    assert.equal(requests.length, 0);
    assert.ok(!result.outcome.success && result.outcome.error.code === "invalid_input");
  });

  test("webhook_post: POST the payload to the URL credential, allowed by the node's egress", async () => {
    const { result, request } = await runExample("webhook_post", new Response("ok", { status: 200 }), { webhook_url: "https://hooks.example.com/T000/abc123" });
    assert.equal(request.method, "POST");
    assert.equal(request.url.href, "https://hooks.example.com/T000/abc123");
    assert.deepEqual(JSON.parse(request.body), { event: "signup", email: "ada@example.com" });
    assert.deepEqual(result.outcome, { success: true, data: "ok" });
  });

  test("webhook_post: without an egress entry for its host nothing is sent", async () => {
    const recipe = load("webhook_post");
    const { fetch, requests } = fakeFetch([new Response("ok")]);
    const result = await runRecipe(recipe, { payload: {} }, options(fetch, { webhook_url: "https://hooks.example.com/x" }));
    assert.equal(requests.length, 0);
    assert.ok(!result.outcome.success && result.outcome.error.code === "egress_denied");
  });

  test("a missing credential fails the node naming it and the command that adds it, before any call", async () => {
    const { result, requests } = await runExample("slack_post", json({}), {});
    assert.equal(requests.length, 0);
    assert.ok(!result.outcome.success);
    assert.equal(result.outcome.error.code, "credential_missing");
    assert.match(result.outcome.error.message, /"slack_bot_token".*acr creds push/);
  });

  test("a node's credentials mapping picks another stored credential", async () => {
    const recipe = load("slack_post");
    const { fetch, requests } = fakeFetch([json({ ok: true })]);
    await runRecipe(recipe, exampleParams(recipe), options(fetch, { other_bot: "xoxb-other" }, { credentialNames: { slack_bot_token: "other_bot" } }));
    assert.equal(requests[0].headers.get("authorization"), "Bearer xoxb-other");
  });
});
