/**
 * Every standard recipe and AI provider end to end in workerd (issue 11 item 7), registered by
 * test/recipes-e2e.test.ts inside its describe so all cases share one workerd and one fake
 * (scripts/fake-apis.mjs). Each request is checked field by field against the API's
 * documentation: method, path, query, headers, body encoding, where the credential goes; then
 * 5xx and 429 retried (Retry-After / retry_after honoured), 4xx not, OAuth refresh (and once
 * more on a 401), pagination through a Link header, and no secret in the run record.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { jsonHeaders, yamlHeaders, type TestExecutor } from "@arcrun/local/host/test-executor";

export interface Fake {
  port: number;
  received: any[];
  tokens: any[];
  queue(key: string, ...answers: { status?: number; body?: unknown; headers?: Record<string, string> }[]): void;
}

/** Credentials these cases need, stored by the caller before they run. */
export const STANDARD_CREDENTIALS: Record<string, string> = {
  line_channel_access_token: "line-channel-token-0123456789",
  google_oauth: JSON.stringify({ client_id: "client-1.apps.googleusercontent.com", client_secret: "GOCSPX-client-secret-1", refresh_token: "1//refresh-token-abc" }),
  google_oauth_revoked: JSON.stringify({ client_id: "client-1.apps.googleusercontent.com", client_secret: "GOCSPX-client-secret-1", refresh_token: "1//revoked-refresh" }),
  discord_webhook_url: "https://discord.com/api/webhooks/112233445566778899/discord-webhook-token_AbC",
  github_token: "github_pat_11AAAAAAA0123456789_secret",
  notion_token: "ntn_notion_secret_0123456789",
  resend_api_key: "re_resend_secret_0123456789",
  webhook_url: "https://hooks.example.com/T000/hook-secret-path-123",
  openai_key: "sk-proj-openai-secret-0123456789",
  anthropic_key: "sk-ant-api03-anthropic-secret-0123",
  telegram_evil: "1:a/../../evil?x=1#frag",
};

export function standardRecipeTests(env: () => { ex: TestExecutor; fake: Fake }) {
  /** Runs a one-node workflow; returns the run record and the calls the fake received meanwhile. */
  const runNode = async (config: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const { ex, fake } = env();
    const from = fake.received.length;
    const workflow = { name: "one_node", flow: ["input >> ON_SUCCESS >> n"], config: { n: config }, ...extra };
    const { status, body: run } = await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow, input: {} }) });
    assert.equal(status, 200, JSON.stringify(run));
    const stored = JSON.stringify((await ex.json(`/runs/${run.run_id}`)).body) + JSON.stringify(run);
    return { run, node: run.nodes[0], calls: fake.received.slice(from), stored };
  };
  const noSecrets = (stored: string, ...names: string[]) => {
    for (const name of names) {
      const value = STANDARD_CREDENTIALS[name];
      // a JSON credential: each of its secrets on its own (client_secret, refresh_token, ...)
      const parts = value.startsWith("{") ? Object.values(JSON.parse(value) as Record<string, string>).filter((v) => !v.endsWith(".apps.googleusercontent.com")) : [value];
      for (const part of parts) assert.ok(!stored.includes(part), `${name} (${part.slice(0, 6)}…) leaked into the run record`);
    }
  };

  test("line_push: POST /v2/bot/message/push, Bearer channel token, JSON {to, messages: [{type: text}]}, X-Line-Retry-Key; a 400 is not retried", async () => {
    const retryKey = "123e4567-e89b-12d3-a456-426614174000";
    const { run, node, calls, stored } = await runNode({ component: "line_push", to: "U4af4980629aaaaaaaaaaaaaaaaaaaaaa", text: "Shipped", retry_key: retryKey });
    assert.equal(run.status, "succeeded", JSON.stringify(run.nodes));
    const [call] = calls;
    assert.equal(calls.length, 1);
    assert.deepEqual([call.method, call.host, call.path, call.query], ["POST", "api.line.me", "/v2/bot/message/push", ""]);
    assert.equal(call.headers.authorization, `Bearer ${STANDARD_CREDENTIALS.line_channel_access_token}`);
    assert.match(call.headers["content-type"], /^application\/json/);
    assert.equal(call.headers["x-line-retry-key"], retryKey);
    assert.deepEqual(call.body, { to: "U4af4980629aaaaaaaaaaaaaaaaaaaaaa", messages: [{ type: "text", text: "Shipped" }] }, "unset optional fields are left out");
    assert.equal(node.output.sentMessages.length, 1);
    noSecrets(stored, "line_channel_access_token");

    const bad = await runNode({ component: "line_push", to: "", text: "x" });
    assert.equal(bad.run.status, "failed");
    assert.equal(bad.calls.length, 1, "4xx is not retried");
    assert.match(bad.node.error.message, /400.*The request body has 1 error\(s\)/);
  });

  test("gmail_send: OAuth 2 refresh grant, then users.messages.send with an RFC 5322 message base64url in raw; a 401 renews the token once", async () => {
    const { fake } = env();
    const tokensBefore = fake.tokens.length;
    const { run, node, calls, stored } = await runNode({ component: "gmail_send", to: "bo@example.com", subject: "Your report — März", text: "The report is ready.\nLine two." });
    assert.equal(run.status, "succeeded", JSON.stringify(run.nodes));
    const token = calls.find((c) => c.host === "oauth2.googleapis.com");
    assert.deepEqual([token.method, token.path], ["POST", "/token"]);
    assert.match(token.headers["content-type"], /^application\/x-www-form-urlencoded/);
    const form = new URLSearchParams(token.text);
    const oauth = JSON.parse(STANDARD_CREDENTIALS.google_oauth);
    assert.deepEqual([form.get("grant_type"), form.get("client_id"), form.get("client_secret"), form.get("refresh_token")], ["refresh_token", oauth.client_id, oauth.client_secret, oauth.refresh_token]);
    const send = calls.find((c) => c.host === "gmail.googleapis.com");
    assert.deepEqual([send.method, send.path], ["POST", "/gmail/v1/users/me/messages/send"]);
    assert.match(send.headers.authorization, /^Bearer ya29\.fake-/);
    assert.deepEqual(Object.keys(send.body), ["raw"]);
    assert.match(send.body.raw, /^[A-Za-z0-9_-]+$/, "base64url: no +, / or padding");
    const message = Buffer.from(send.body.raw, "base64url").toString("utf8");
    const [head, ...rest] = message.split("\r\n\r\n");
    assert.match(head, /^To: bo@example\.com$/m);
    assert.match(head, /^Subject: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/m, "a non-ASCII subject is an RFC 2047 encoded word");
    assert.match(head, /^MIME-Version: 1\.0$/m);
    assert.ok(!/(^|[^\r])\n/.test(head), "header lines end in CRLF");
    assert.ok(rest.join("").length > 0);
    assert.equal(node.output.labelIds[0], "SENT");
    noSecrets(stored, "google_oauth");
    assert.ok(!stored.includes(send.headers.authorization.slice(7)), "the access token is redacted");

    // the provider says the token is no longer good: one renewal, then the call again
    fake.queue("POST gmail.googleapis.com/gmail/v1/users/me/messages/send", { status: 401, body: { error: { code: 401, message: "Request had invalid authentication credentials.", status: "UNAUTHENTICATED" } } });
    const again = await runNode({ component: "gmail_send", to: "bo@example.com", subject: "Again", text: "x" });
    assert.equal(again.run.status, "succeeded", JSON.stringify(again.run.nodes));
    const sends = again.calls.filter((c) => c.host === "gmail.googleapis.com");
    assert.equal(sends.length, 2);
    assert.notEqual(sends[0].headers.authorization, sends[1].headers.authorization, "a fresh token after the 401");
    assert.ok(fake.tokens.length >= tokensBefore + 2);
  });

  test("gmail_send: a refresh token Google refuses is credential_expired naming the credential and how to renew it", async () => {
    const { run, node, calls, stored } = await runNode({ component: "gmail_send", to: "bo@example.com", subject: "x", text: "x", credentials: { google_oauth: "google_oauth_revoked" } });
    assert.equal(run.status, "failed");
    assert.equal(node.error.code, "credential_expired");
    assert.match(node.error.message, /google_oauth_revoked.*invalid_grant.*authorise the app again.*acr creds push/);
    assert.equal(calls.length, 1, "no call to Gmail without a token; the 400 is not retried");
    noSecrets(stored, "google_oauth_revoked");
  });

  test("google_sheets_append: valueInputOption defaults to USER_ENTERED in the query; a 5xx is retried", async () => {
    env().fake.queue("POST sheets.googleapis.com/v4/spreadsheets/sheet-1/values/Log!A:C:append", { status: 503, body: { error: { code: 503, message: "The service is currently unavailable.", status: "UNAVAILABLE" } } });
    const { run, node, calls } = await runNode({ component: "google_sheets_append", spreadsheet_id: "sheet-1", range: "Log!A:C", values: [["a", 1, true]] });
    assert.equal(run.status, "succeeded", JSON.stringify(run.nodes));
    const appends = calls.filter((c) => c.host === "sheets.googleapis.com");
    assert.equal(appends.length, 2, "503 retried once");
    assert.equal(appends[1].path, "/v4/spreadsheets/sheet-1/values/Log!A:C:append", "the range's ! and : stay literal in the segment");
    assert.equal(new URLSearchParams(appends[1].query).get("valueInputOption"), "USER_ENTERED");
    assert.equal(new URLSearchParams(appends[1].query).has("insertDataOption"), false);
    assert.deepEqual(appends[1].body, { majorDimension: "ROWS", values: [["a", 1, true]] });
    assert.equal(node.attempts >= 1, true);
    assert.equal(node.output.updatedCells, 3);
  });

  test("discord_post: the webhook URL is the credential, ?wait=true, JSON content; a 429 waits retry_after, then succeeds", async () => {
    const { fake } = env();
    fake.queue("POST discord.com/api/webhooks/112233445566778899/discord-webhook-token_AbC", {
      status: 429,
      body: { message: "You are being rate limited.", retry_after: 0.4, global: false },
      headers: { "x-ratelimit-scope": "shared" },
    });
    const { run, node, calls, stored } = await runNode({ component: "discord_post", content: "Deploy finished", username: "arcrun" });
    assert.equal(run.status, "succeeded", JSON.stringify(run.nodes));
    assert.equal(calls.length, 2);
    for (const c of calls) {
      assert.deepEqual([c.method, c.host, c.path, c.query], ["POST", "discord.com", "/api/webhooks/112233445566778899/discord-webhook-token_AbC", "?wait=true"]);
      assert.equal(c.headers.authorization, undefined);
      assert.deepEqual(c.body, { content: "Deploy finished", username: "arcrun" });
    }
    assert.ok(calls[1].at - calls[0].at >= 380, `waited ${calls[1].at - calls[0].at} ms for retry_after 0.4 s`);
    assert.equal(node.output.content, "Deploy finished");
    noSecrets(stored, "discord_webhook_url");
    assert.ok(!stored.includes("discord-webhook-token_AbC"));
  });

  test("github_issue_create: POST /repos/{owner}/{repo}/issues with the documented headers; 502 retried, 422 not", async () => {
    const { fake } = env();
    fake.queue("POST api.github.com/repos/octo/hello-world/issues", { status: 502, body: { message: "Server Error" } });
    const { run, node, calls, stored } = await runNode({ component: "github_issue_create", owner: "octo", repo: "hello-world", title: "Failed run", body: "See the trace.", labels: ["bug"] });
    assert.equal(run.status, "succeeded", JSON.stringify(run.nodes));
    assert.equal(calls.length, 2, "502 retried once");
    const call = calls[1];
    assert.deepEqual([call.method, call.host, call.path], ["POST", "api.github.com", "/repos/octo/hello-world/issues"]);
    assert.equal(call.headers.authorization, `Bearer ${STANDARD_CREDENTIALS.github_token}`);
    assert.equal(call.headers.accept, "application/vnd.github+json");
    assert.equal(call.headers["x-github-api-version"], "2022-11-28");
    assert.equal(call.headers["user-agent"], "arcrun");
    assert.deepEqual(call.body, { title: "Failed run", body: "See the trace.", labels: ["bug"] });
    assert.deepEqual([node.output.number > 0, node.output.state, node.output.labels], [true, "open", [{ name: "bug" }]]);
    noSecrets(stored, "github_token");

    fake.queue("POST api.github.com/repos/octo/hello-world/issues", { status: 422, body: { message: "Validation Failed", errors: [{ resource: "Issue", code: "invalid", field: "labels" }] } });
    const refused = await runNode({ component: "github_issue_create", owner: "octo", repo: "hello-world", title: "x" });
    assert.equal(refused.calls.length, 1, "4xx is not retried");
    assert.match(refused.node.error.message, /422: Validation Failed/);
  });

  test("pagination: a stored recipe listing GitHub issues follows the Link header's rel=next and concatenates the pages", async () => {
    const { ex } = env();
    const recipe = [
      "name: github_issues_list", "version: 1.0.0", "description: List a repository's issues", "hosts: [api.github.com]",
      "credentials: [{key: github_token, description: a token}]",
      "inputs: {type: object, required: [owner, repo], properties: {owner: {type: string}, repo: {type: string}}}",
      'request: {method: GET, url: "https://api.github.com/repos/{{params.owner}}/{{params.repo}}/issues", query: {per_page: "2"}, headers: {user-agent: arcrun, accept: application/vnd.github+json}}',
      "auth: {kind: bearer, credential: github_token}", "pagination: {kind: next_link, from: link_header, max_pages: 5}",
      "config_example: {component: github_issues_list, owner: octo, repo: hello}", "",
    ].join("\n");
    assert.equal((await ex.json("/recipes/github_issues_list", { method: "PUT", headers: yamlHeaders, body: recipe })).status, 201);
    const { run, node, calls } = await runNode({ component: "github_issues_list", owner: "octo", repo: "hello-world" });
    assert.equal(run.status, "succeeded", JSON.stringify(run.nodes));
    assert.deepEqual(calls.map((c) => `${c.method} ${c.path}${c.query}`), [
      "GET /repos/octo/hello-world/issues?per_page=2",
      "GET /repos/octo/hello-world/issues?per_page=2&page=2",
      "GET /repos/octo/hello-world/issues?per_page=2&page=3",
    ]);
    assert.ok(calls.every((c) => c.headers.authorization === `Bearer ${STANDARD_CREDENTIALS.github_token}`));
    assert.deepEqual(node.output.items.map((i: { number: number }) => i.number), [1, 2, 3, 4, 5]);
    assert.deepEqual([node.output.pages, node.output.has_more], [3, false]);
    assert.equal((await ex.json("/recipes/github_issues_list", { method: "DELETE" })).status, 200);
  });

  test("notion_page_create: POST /v1/pages, Bearer integration secret, Notion-Version 2022-06-28, parent and properties as JSON", async () => {
    const properties = { Name: { title: [{ text: { content: "Hello" } }] } };
    const { run, node, calls, stored } = await runNode({ component: "notion_page_create", parent: { database_id: "d9824bdc-8445-4327-be8b-5b47500af6ce" }, properties });
    assert.equal(run.status, "succeeded", JSON.stringify(run.nodes));
    const [call] = calls;
    assert.deepEqual([calls.length, call.method, call.host, call.path], [1, "POST", "api.notion.com", "/v1/pages"]);
    assert.equal(call.headers.authorization, `Bearer ${STANDARD_CREDENTIALS.notion_token}`);
    assert.equal(call.headers["notion-version"], "2022-06-28");
    assert.match(call.headers["content-type"], /^application\/json/);
    assert.deepEqual(call.body, { parent: { database_id: "d9824bdc-8445-4327-be8b-5b47500af6ce" }, properties });
    assert.equal(node.output.object, "page");
    noSecrets(stored, "notion_token");
  });

  test("resend_email: POST /emails, Bearer key, JSON from/to/subject/text, Idempotency-Key header; Resend's 422 message is the node's error", async () => {
    const { run, node, calls, stored } = await runNode({ component: "resend_email", from: "Acme <hi@acme.example>", to: ["ada@example.com"], subject: "Welcome", text: "Thanks", idempotency_key: "signup-42" });
    assert.equal(run.status, "succeeded", JSON.stringify(run.nodes));
    const [call] = calls;
    assert.deepEqual([call.method, call.host, call.path], ["POST", "api.resend.com", "/emails"]);
    assert.equal(call.headers.authorization, `Bearer ${STANDARD_CREDENTIALS.resend_api_key}`);
    assert.equal(call.headers["idempotency-key"], "signup-42");
    assert.deepEqual(call.body, { from: "Acme <hi@acme.example>", to: ["ada@example.com"], subject: "Welcome", text: "Thanks" });
    assert.match(node.output.id, /^[0-9a-f-]{36}$/);
    noSecrets(stored, "resend_api_key");

    env().fake.queue("POST api.resend.com/emails", { status: 422, body: { statusCode: 422, name: "validation_error", message: "The acme.example domain is not verified." } });
    const refused = await runNode({ component: "resend_email", from: "a@acme.example", to: "b@example.com", subject: "s", text: "t" });
    assert.equal(refused.calls.length, 1);
    assert.match(refused.node.error.message, /domain is not verified/);
    assert.deepEqual([refused.node.error.code, refused.node.error.details?.status, refused.node.error.details?.provider_code], ["http_error", 422, "validation_error"]);
  });

  test("webhook_post: the URL is the credential, the payload is the JSON body, a text answer is the output", async () => {
    const { run, node, calls, stored } = await runNode({ component: "webhook_post", egress: ["hooks.example.com"], payload: { event: "signup", email: "ada@example.com" } });
    assert.equal(run.status, "succeeded", JSON.stringify(run.nodes));
    const [call] = calls;
    assert.deepEqual([call.method, call.host, call.path], ["POST", "hooks.example.com", "/T000/hook-secret-path-123"]);
    assert.match(call.headers["content-type"], /^application\/json/);
    assert.deepEqual(call.body, { event: "signup", email: "ada@example.com" });
    assert.equal(node.output, "ok");
    noSecrets(stored, "webhook_url");
    assert.ok(!stored.includes("hook-secret-path-123"));
  });

  test("ai_chat and ai_embed with provider openai: POST /v1/chat/completions and /v1/embeddings on api.openai.com, Bearer key, system first", async () => {
    const ai = { provider: "openai", model: "gpt-4o-mini", api_key: "{{credential.openai_key}}" };
    const chat = await runNode({ component: "ai_chat", ...ai, system: "Be brief.", prompt: "Hello there", temperature: 0.3, max_tokens: 50 });
    assert.equal(chat.run.status, "succeeded", JSON.stringify(chat.run.nodes));
    const [call] = chat.calls;
    assert.deepEqual([chat.calls.length, call.method, call.host, call.path], [1, "POST", "api.openai.com", "/v1/chat/completions"]);
    assert.equal(call.headers.authorization, `Bearer ${STANDARD_CREDENTIALS.openai_key}`);
    assert.match(call.headers["content-type"], /^application\/json/);
    assert.deepEqual([call.body.model, call.body.temperature, call.body.max_tokens], ["gpt-4o-mini", 0.3, 50]);
    assert.deepEqual(call.body.messages, [{ role: "system", content: "Be brief." }, { role: "user", content: "Hello there" }]);
    assert.deepEqual([chat.node.output.text, chat.node.output.finish_reason, chat.node.output.usage], ["You said: Hello there", "stop", { input_tokens: 12, output_tokens: 7 }]);
    noSecrets(chat.stored, "openai_key");

    const embed = await runNode({ component: "ai_embed", ...ai, model: "text-embedding-3-small", texts: ["a", "bc"] });
    assert.equal(embed.run.status, "succeeded", JSON.stringify(embed.run.nodes));
    assert.deepEqual([embed.calls[0].path, embed.calls[0].body.model, embed.calls[0].body.input], ["/v1/embeddings", "text-embedding-3-small", ["a", "bc"]]);
    assert.deepEqual([embed.node.output.vectors.length, embed.node.output.dimensions], [2, 8]);

    env().fake.queue("POST api.openai.com/v1/chat/completions", { status: 500, body: { error: { message: "The server had an error" } } });
    const retried = await runNode({ component: "ai_chat", ...ai, prompt: "again" });
    assert.equal(retried.run.status, "succeeded");
    assert.equal(retried.calls.length, 2, "500 retried once");
    env().fake.queue("POST api.openai.com/v1/chat/completions", { status: 400, body: { error: { message: "Invalid 'temperature': decimal above maximum value." } } });
    const refused = await runNode({ component: "ai_chat", ...ai, prompt: "x" });
    assert.equal(refused.calls.length, 1, "400 is not retried");
    assert.match(refused.node.error.message, /400.*decimal above maximum value/);
  });

  test("ai_chat with provider anthropic: POST /v1/messages, x-api-key (no Authorization), anthropic-version, system top-level, max_tokens default", async () => {
    const { run, node, calls, stored } = await runNode({ component: "ai_chat", provider: "anthropic", model: "claude-3-5-haiku-latest", api_key: "{{credential.anthropic_key}}", system: "Be brief.", prompt: "Hi" });
    assert.equal(run.status, "succeeded", JSON.stringify(run.nodes));
    const [call] = calls;
    assert.deepEqual([calls.length, call.method, call.host, call.path], [1, "POST", "api.anthropic.com", "/v1/messages"]);
    assert.equal(call.headers["x-api-key"], STANDARD_CREDENTIALS.anthropic_key);
    assert.equal(call.headers.authorization, undefined);
    assert.equal(call.headers["anthropic-version"], "2023-06-01");
    assert.deepEqual([call.body.model, call.body.system, call.body.max_tokens, call.body.messages], ["claude-3-5-haiku-latest", "Be brief.", 1024, [{ role: "user", content: "Hi" }]]);
    assert.deepEqual([node.output.text, node.output.usage], ["You said: Hi", { input_tokens: 5, output_tokens: 4 }]);
    noSecrets(stored, "anthropic_key");
  });

  test("429 with a Retry-After header (Slack) and with Telegram's parameters.retry_after: each waits as told, then succeeds", async () => {
    const { fake } = env();
    fake.queue("POST slack.com/api/chat.postMessage", { status: 429, body: { ok: false, error: "ratelimited" }, headers: { "retry-after": "1" } });
    const slack = await runNode({ component: "slack_post", channel: "C0123456789", text: "hi" });
    assert.equal(slack.run.status, "succeeded", JSON.stringify(slack.run.nodes));
    assert.equal(slack.calls.length, 2);
    assert.ok(slack.calls[1].at - slack.calls[0].at >= 950, `waited ${slack.calls[1].at - slack.calls[0].at} ms for Retry-After: 1`);

    fake.queue("POST api.telegram.org/bot123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11/sendMessage", {
      status: 429,
      body: { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } },
    });
    const telegram = await runNode({ component: "telegram_send", chat_id: 1, text: "hi" });
    assert.equal(telegram.run.status, "succeeded", JSON.stringify(telegram.run.nodes));
    assert.equal(telegram.calls.length, 2);
    assert.ok(telegram.calls[1].at - telegram.calls[0].at >= 950, `waited ${telegram.calls[1].at - telegram.calls[0].at} ms for retry_after 1`);
  });

  test("a path credential with /, ?, # stays one segment: the host and the path cannot change (and a 401 is not retried)", async () => {
    const { run, node, calls, stored } = await runNode({ component: "telegram_send", chat_id: 1, text: "x", credentials: { telegram_bot_token: "telegram_evil" } });
    assert.equal(calls.length, 1);
    assert.equal(calls[0].host, "api.telegram.org");
    assert.equal(calls[0].path, "/bot1:a%2F..%2F..%2Fevil%3Fx%3D1%23frag/sendMessage");
    assert.equal(calls[0].query, "");
    assert.equal(run.status, "failed");
    assert.match(node.error.message, /401.*Unauthorized/);
    noSecrets(stored, "telegram_evil");
    assert.ok(!stored.includes("evil%3Fx"), "the encoded form is redacted too");
  });
}
