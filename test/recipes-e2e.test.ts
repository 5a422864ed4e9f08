/**
 * Recipes end to end in workerd (issue 11), one workerd for every case: the standard recipes
 * resolve as nodes, their requests leave through ARCRUN_OUTBOUND_PROXY to scripts/fake-apis.mjs
 * (checked field by field against each API's documentation), tokens are redacted in the run
 * record (also from the URL path), and the /recipes routes store, show and remove recipes. The
 * other standard recipes and the AI providers are in recipes-e2e-standard.ts, registered here.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { encryptCredential, fingerprintCredential, generateEncryptionKey, parseEncryptionKey } from "@arcrun/core";
import { jsonHeaders, startExecutor, yamlHeaders, type TestExecutor } from "@arcrun/local/host/test-executor";
// @ts-expect-error plain .mjs script without types
import { startFakeApis } from "../scripts/fake-apis.mjs";
import { STANDARD_CREDENTIALS, standardRecipeTests } from "./recipes-e2e-standard";

const TELEGRAM_TOKEN = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11";
const SLACK_TOKEN = "xoxb-1111-2222-fakeSlackToken";
const example = readFileSync(new URL("../examples/notify_signup.yaml", import.meta.url), "utf8");
const triage = readFileSync(new URL("../examples/triage_ticket.yaml", import.meta.url), "utf8");
// a service account of our own: the fake token endpoint verifies the JWT with its public key
const SA_EMAIL = "arcrun-test@arcrun-demo.iam.gserviceaccount.com";
const saKeys = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
const SERVICE_ACCOUNT = JSON.stringify({ type: "service_account", client_email: SA_EMAIL, private_key: saKeys.privateKey, private_key_id: "k1" });

describe("recipes in workerd through ARCRUN_OUTBOUND_PROXY", () => {
  let ex: TestExecutor;
  let fake: { port: number; received: any[]; tokens: any[]; sheets: Map<string, unknown[][]>; queue(key: string, ...answers: unknown[]): void; close(): Promise<void> };
  before(async () => {
    fake = await startFakeApis({ serviceAccounts: { [SA_EMAIL]: saKeys.publicKey } });
    const keyText = generateEncryptionKey();
    ex = await startExecutor({ encryptionKey: keyText, outbound: { proxy: `http://127.0.0.1:${fake.port}` } });
    const key = await parseEncryptionKey(keyText);
    const credentials = { telegram_bot_token: TELEGRAM_TOKEN, slack_bot_token: SLACK_TOKEN, google_service_account: SERVICE_ACCOUNT, ...STANDARD_CREDENTIALS };
    for (const [name, value] of Object.entries(credentials)) {
      const sealed = { ...(await encryptCredential(key, name, value)), fingerprint: await fingerprintCredential(key, name, value) };
      const { status, body } = await ex.json(`/credentials/${name}`, { method: "PUT", headers: jsonHeaders, body: JSON.stringify(sealed) });
      assert.ok(status === 201 || status === 200, JSON.stringify(body));
    }
  });
  after(async () => {
    await ex?.stop();
    await fake?.close();
  });

  test("recipes send the run's traceparent: its trace id, a span id per node", async () => {
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const before = fake.received.length;
    const { body: run } = await ex.json("/execute", {
      method: "POST",
      headers: { ...jsonHeaders, traceparent: `00-${traceId}-b7ad6b7169203331-01` },
      body: JSON.stringify({ workflow: example, input: { email: "ada@example.com" } }),
    });
    assert.equal(run.status, "succeeded", JSON.stringify(run.nodes));
    assert.equal(run.trace_id, traceId);
    const sent = fake.received.slice(before).filter((r) => r.host === "api.telegram.org" || r.host === "slack.com");
    assert.equal(sent.length, 2);
    const spans = sent.map((r) => {
      const match = new RegExp(`^00-${traceId}-([0-9a-f]{16})-01$`).exec(r.headers.traceparent);
      assert.ok(match, `${r.host}: ${r.headers.traceparent}`);
      return match[1];
    });
    assert.notEqual(spans[0], spans[1]);
    assert.ok(!spans.includes("b7ad6b7169203331"), "a child span, not the caller's");
  });

  test("examples/notify_signup.yaml: validate → telegram_send and slack_post in parallel, each request as documented", async () => {
    const { status, body: run } = await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow: example, input: { email: " Ada@Example.com" } }) });
    assert.equal(status, 200);
    assert.equal(run.status, "succeeded", JSON.stringify(run.nodes));
    const tg = fake.received.find((r) => r.host === "api.telegram.org");
    assert.equal(tg.method, "POST");
    // on the wire exactly as Telegram documents it: /bot<token>/METHOD, the token's ":" literal (not %3A)
    assert.equal(tg.path, `/bot${TELEGRAM_TOKEN}/sendMessage`);
    assert.match(tg.headers["content-type"], /^application\/json/);
    assert.deepEqual(tg.body, { chat_id: "-1001234567890", text: "New signup: ada@example.com" });
    const slack = fake.received.find((r) => r.host === "slack.com");
    assert.equal(slack.method, "POST");
    assert.equal(slack.path, "/api/chat.postMessage");
    assert.equal(slack.headers.authorization, `Bearer ${SLACK_TOKEN}`);
    assert.equal(slack.headers["content-type"], "application/json; charset=utf-8");
    assert.deepEqual(slack.body, { channel: "C0123456789", text: "New signup: ada@example.com" });
    const node = (name: string) => run.nodes.find((n: any) => n.node === name);
    assert.equal(node("telegram").output.text, "New signup: ada@example.com");
    assert.equal(node("slack").output.channel, "C0123456789");
    // stored record too (waitUntil): neither token anywhere, in any form
    const stored = JSON.stringify((await ex.json(`/runs/${run.run_id}`)).body) + JSON.stringify(run);
    for (const secret of [TELEGRAM_TOKEN, SLACK_TOKEN, encodeURIComponent(TELEGRAM_TOKEN), "ABC-DEF1234ghIkl", "123456:"]) assert.ok(!stored.includes(secret), `leaked ${secret}`);
  });

  test("examples/triage_ticket.yaml: ai_extract (OpenAI-compatible) → google_sheets_append with a service-account JWT verified by its public key", async () => {
    const from = fake.received.length;
    const input = { from: "ada@example.com", message: "I was charged twice for billing this month, this is urgent" };
    const { status, body: run } = await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow: triage, input }) });
    assert.equal(status, 200);
    assert.equal(run.status, "succeeded", JSON.stringify(run.nodes));
    const calls = fake.received.slice(from);
    // 1. the model: POST {base_url}/chat/completions with the schema as response_format
    const model = calls.find((c) => c.path === "/v1/chat/completions");
    assert.equal(model.host, "127.0.0.1:11434");
    assert.equal(model.body.model, "llama3.2");
    assert.equal(model.body.response_format.type, "json_schema");
    assert.deepEqual(model.body.response_format.json_schema.schema.required, ["title", "category", "priority", "summary"]);
    assert.match(JSON.stringify(model.body.messages), /charged twice/);
    // 2. the token: the JWT bearer grant, form-encoded, RS256 signed by the service account's key
    const token = calls.find((c) => c.host === "oauth2.googleapis.com");
    assert.equal(token.path, "/token");
    assert.match(token.headers["content-type"], /^application\/x-www-form-urlencoded/);
    const grant = fake.tokens.at(-1);
    assert.equal(grant.grant, "urn:ietf:params:oauth:grant-type:jwt-bearer");
    assert.equal(grant.verified, true, "signature checked with the public key");
    assert.deepEqual([grant.header.alg, grant.header.typ, grant.header.kid], ["RS256", "JWT", "k1"]);
    assert.equal(grant.claims.iss, SA_EMAIL);
    assert.equal(grant.claims.aud, "https://oauth2.googleapis.com/token");
    assert.equal(grant.claims.scope, "https://www.googleapis.com/auth/spreadsheets");
    assert.equal(grant.claims.exp - grant.claims.iat, 3600);
    assert.ok(Math.abs(grant.claims.iat - Date.now() / 1000) < 60);
    // 3. values.append: the range in the path, valueInputOption in the query, the rows as JSON
    const append = calls.find((c) => c.host === "sheets.googleapis.com");
    assert.equal(append.method, "POST");
    assert.equal(decodeURIComponent(append.path), "/v4/spreadsheets/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/values/Tickets!A1:append");
    assert.equal(new URLSearchParams(append.query).get("valueInputOption"), "RAW");
    assert.match(append.headers.authorization, /^Bearer ya29\.fake-/);
    const row = append.body.values[0];
    assert.deepEqual([append.body.majorDimension, row[0], row[2], row[3]], ["ROWS", "ada@example.com", "billing", "urgent"]);
    assert.equal(run.nodes.find((n: any) => n.node === "append").output.updatedRows, 1);
    const stored = JSON.stringify((await ex.json(`/runs/${run.run_id}`)).body) + JSON.stringify(run);
    for (const secret of ["PRIVATE KEY", saKeys.privateKey.split("\n")[1], append.headers.authorization.slice(7), new URLSearchParams(token.text).get("assertion")!]) {
      assert.ok(!stored.includes(secret), `leaked ${secret.slice(0, 20)}`);
    }
  });

  test("a failing provider answer is the node's failure with the provider's message (Slack ok:false)", async () => {
    const workflow = { name: "bad_slack", flow: ["input >> ON_SUCCESS >> s"], config: { s: { component: "slack_post", channel: "", text: "x" } } };
    const { body: run } = await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow, input: {} }) });
    assert.equal(run.status, "failed");
    assert.match(JSON.stringify(run.nodes[0].error), /channel_not_found/);
    assert.ok(!JSON.stringify(run).includes(SLACK_TOKEN));
  });

  test("a workflow naming an unknown recipe is refused at push with the install hint", async () => {
    const yaml = example.replace("component: telegram_send", "component: telegram_sned");
    const { status, body } = await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: yaml });
    assert.equal(status, 422);
    assert.match(JSON.stringify(body), /acr recipe push recipes\/telegram_sned\.yaml/);
  });

  test("/recipes: list, show, put (refused with line and column when invalid), use, delete refused while used", async () => {
    const list = await ex.json("/recipes");
    assert.equal(list.status, 200);
    const telegram = list.body.recipes.find((r: any) => r.name === "telegram_send");
    assert.deepEqual([telegram.source, telegram.hosts, telegram.fields.slice(0, 2)], ["standard", ["api.telegram.org"], ["chat_id", "text"]]);
    const show = await ex.json("/recipes/slack_post");
    assert.match(show.body.yaml, /chat.postMessage/);
    assert.equal((await ex.json("/recipes/nope_recipe")).body.error.code, "recipe_not_found");

    const mine = readFileSync(new URL("../recipes/telegram_send.yaml", import.meta.url), "utf8").replace("name: telegram_send", "name: team_ping");
    const bad = await ex.json("/recipes/team_ping", { method: "PUT", headers: yamlHeaders, body: mine.replace("kind: path", "kind: carrier_pigeon") });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.code, "invalid_recipe");
    assert.ok(bad.body.error.issues[0].line > 0, JSON.stringify(bad.body));
    assert.equal((await ex.json("/recipes/telegram_send", { method: "PUT", headers: yamlHeaders, body: readFileSync(new URL("../recipes/telegram_send.yaml", import.meta.url), "utf8") })).status, 409);

    const put = await ex.json("/recipes/team_ping", { method: "PUT", headers: yamlHeaders, body: mine });
    assert.equal(put.status, 201, JSON.stringify(put.body));
    assert.equal((await ex.json("/recipes/team_ping", { method: "PUT", headers: yamlHeaders, body: mine })).body.status, "updated");

    const flow = `name: pinger\nflow: ["input >> ON_SUCCESS >> p"]\nconfig:\n  p: {component: team_ping, chat_id: 5, text: "hi", credentials: {telegram_bot_token: telegram_bot_token}}\n`;
    assert.equal((await ex.json("/workflows", { method: "POST", headers: yamlHeaders, body: flow })).status, 201);
    const before = fake.received.length;
    const ran = await ex.json("/execute", { method: "POST", headers: jsonHeaders, body: JSON.stringify({ workflow: flow, input: {} }) });
    assert.equal(ran.body.status, "succeeded", JSON.stringify(ran.body.nodes));
    assert.equal(fake.received[before].body.chat_id, 5);

    const refused = await ex.json("/recipes/team_ping", { method: "DELETE" });
    assert.equal(refused.status, 409);
    assert.deepEqual(refused.body.error.workflows, ["pinger"]);
    assert.equal((await ex.json("/workflows/pinger", { method: "DELETE" })).status, 200);
    assert.deepEqual((await ex.json("/recipes/team_ping", { method: "DELETE" })).body, { name: "team_ping", deleted: true });
    assert.equal((await ex.json("/recipes/team_ping")).status, 404);
  });

  standardRecipeTests(() => ({ ex, fake }));
});
