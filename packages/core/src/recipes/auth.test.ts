// OAuth 2 refresh-token grant (gmail_send) and Google service-account JWT (google_sheets_append).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mustLoadRecipe } from "./load";
import { runRecipe } from "./run";
import { memoryTokenCache } from "./tokens";
import { fakeClock, fakeFetch, json, options, type Recorded } from "./test-helpers";

const RECIPES = new URL("../../../../recipes/", import.meta.url);
const load = (name: string) => mustLoadRecipe(readFileSync(new URL(`${name}.yaml`, RECIPES), "utf8"));

const OAUTH = JSON.stringify({ client_id: "1234.apps.googleusercontent.com", client_secret: "GOCSPX-client-secret", refresh_token: "1//refresh-token-value", type: "authorized_user" });
const MAIL = { to: "ada@example.com", subject: "Grüße", text: "Hello\r\nworld" };

const b64url = (text: string) => Buffer.from(text, "base64url");
const isToken = (r: Recorded) => r.url.host === "oauth2.googleapis.com";

function tokenAnswer(access: string, expiresIn = 3599) {
  return json({ access_token: access, expires_in: expiresIn, token_type: "Bearer", scope: "https://www.googleapis.com/auth/gmail.send" });
}

describe("OAuth 2 refresh-token grant (gmail_send)", () => {
  test("gets a token with the refresh grant, then sends the RFC 5322 message base64url in raw", async () => {
    const { fetch, requests } = fakeFetch([tokenAnswer("ya29.access-1"), json({ id: "18c1", threadId: "18c1", labelIds: ["SENT"] })]);
    const result = await runRecipe(load("gmail_send"), MAIL, options(fetch, { google_oauth: OAUTH }));
    assert.deepEqual(result.outcome, { success: true, data: { id: "18c1", threadId: "18c1", labelIds: ["SENT"] } });

    const [token, send] = requests;
    assert.equal(token.method, "POST");
    assert.equal(token.url.href, "https://oauth2.googleapis.com/token");
    assert.equal(token.headers.get("content-type"), "application/x-www-form-urlencoded");
    const form = new URLSearchParams(token.body);
    assert.equal(form.get("grant_type"), "refresh_token");
    assert.equal(form.get("refresh_token"), "1//refresh-token-value");
    assert.equal(form.get("client_id"), "1234.apps.googleusercontent.com");
    assert.equal(form.get("client_secret"), "GOCSPX-client-secret");

    assert.equal(send.method, "POST");
    assert.equal(send.url.href, "https://gmail.googleapis.com/gmail/v1/users/me/messages/send");
    assert.equal(send.headers.get("authorization"), "Bearer ya29.access-1");
    assert.equal(send.headers.get("content-type"), "application/json");
    const body = JSON.parse(send.body);
    assert.deepEqual(Object.keys(body), ["raw"]);
    assert.match(body.raw, /^[A-Za-z0-9_-]+$/, "base64url, no padding");
    const message = b64url(body.raw).toString("utf8");
    const [head, content] = message.split("\r\n\r\n");
    assert.deepEqual(head.split("\r\n"), [
      "To: ada@example.com",
      `Subject: =?UTF-8?B?${Buffer.from("Grüße").toString("base64")}?=`,
      "MIME-Version: 1.0",
      'Content-Type: text/plain; charset="UTF-8"',
      "Content-Transfer-Encoding: base64",
    ]);
    assert.equal(Buffer.from(content.replace(/\r\n/g, ""), "base64").toString("utf8"), "Hello\r\nworld");

    for (const name of ["google_oauth", "google_oauth.refresh_token", "google_oauth.client_secret", "google_oauth.access_token"]) {
      assert.ok(result.secrets[name], `${name} is reported for redaction`);
    }
  });

  test("a header value with a line break is refused (no header injection)", async () => {
    const { fetch, requests } = fakeFetch([tokenAnswer("ya29.a"), json({})]);
    const result = await runRecipe(load("gmail_send"), { ...MAIL, subject: "hi\r\nBcc: everyone@example.com" }, options(fetch, { google_oauth: OAUTH }));
    assert.ok(!result.outcome.success);
    assert.equal(result.outcome.error.code, "invalid_input");
    assert.equal(requests.filter((r) => !isToken(r)).length, 0);
  });

  test("the access token is cached until it expires, then refreshed", async () => {
    const { clock, advance } = fakeClock();
    const cache = memoryTokenCache();
    const { fetch, requests } = fakeFetch((req) => (isToken(req) ? tokenAnswer(`ya29.t${requests.length}`, 3600) : json({ id: "m" })));
    const run = () => runRecipe(load("gmail_send"), MAIL, options(fetch, { google_oauth: OAUTH }, { clock, tokenCache: cache }));
    await run();
    await run();
    assert.equal(requests.filter(isToken).length, 1, "second run uses the cached token");
    assert.equal(requests[2].headers.get("authorization"), requests[1].headers.get("authorization"));
    advance(3600_000);
    await run();
    assert.equal(requests.filter(isToken).length, 2, "an expired token is refreshed");
  });

  test("a 401 renews the token once and retries; a second 401 is a failure", async () => {
    const cache = memoryTokenCache();
    const first = fakeFetch([tokenAnswer("ya29.stale"), json({ error: { code: 401, message: "Invalid Credentials", status: "UNAUTHENTICATED" } }, 401), tokenAnswer("ya29.fresh"), json({ id: "m2" })]);
    const ok = await runRecipe(load("gmail_send"), MAIL, options(first.fetch, { google_oauth: OAUTH }, { tokenCache: cache }));
    assert.deepEqual(ok.outcome, { success: true, data: { id: "m2" } });
    assert.deepEqual(first.requests.map((r) => (isToken(r) ? "token" : r.headers.get("authorization"))), ["token", "Bearer ya29.stale", "token", "Bearer ya29.fresh"]);

    const twice = fakeFetch((req) => (isToken(req) ? tokenAnswer("ya29.x") : json({ error: { code: 401, message: "Invalid Credentials", status: "UNAUTHENTICATED" } }, 401)));
    const failed = await runRecipe(load("gmail_send"), MAIL, options(twice.fetch, { google_oauth: OAUTH }));
    assert.ok(!failed.outcome.success);
    assert.equal(failed.outcome.error.code, "http_error");
    assert.match(failed.outcome.error.message, /401: Invalid Credentials/);
    assert.equal(twice.requests.filter(isToken).length, 2, "renewed exactly once");
    assert.equal(twice.requests.filter((r) => !isToken(r)).length, 2);
  });

  test("a refused refresh token is credential_expired, naming the credential and how to renew it, with no secret", async () => {
    const { fetch, requests } = fakeFetch([json({ error: "invalid_grant", error_description: "Token has been expired or revoked." }, 400)]);
    const result = await runRecipe(load("gmail_send"), MAIL, options(fetch, { google_oauth: OAUTH }));
    assert.equal(requests.length, 1);
    assert.ok(!result.outcome.success);
    assert.equal(result.outcome.error.code, "credential_expired");
    assert.match(result.outcome.error.message, /credential "google_oauth" was refused by https:\/\/oauth2\.googleapis\.com\/token \(invalid_grant\)/);
    assert.match(result.outcome.error.message, /new refresh token.*acr creds push/);
    assert.doesNotMatch(JSON.stringify(result.outcome), /refresh-token-value|GOCSPX/);
  });

  test("a credential that is not the expected JSON fails without echoing it", async () => {
    const { fetch, requests } = fakeFetch([]);
    const result = await runRecipe(load("gmail_send"), MAIL, options(fetch, { google_oauth: "just-a-token-123" }));
    assert.equal(requests.length, 0);
    assert.ok(!result.outcome.success && result.outcome.error.code === "credential_invalid");
    assert.doesNotMatch(result.outcome.error.message, /just-a-token-123/);
  });

  test("a provider echoing the access token in an error has it redacted", async () => {
    const { fetch } = fakeFetch([tokenAnswer("ya29.echoed-token"), json({ error: { message: "token ya29.echoed-token is not allowed" } }, 403)]);
    const result = await runRecipe(load("gmail_send"), MAIL, options(fetch, { google_oauth: OAUTH }));
    assert.ok(!result.outcome.success);
    assert.doesNotMatch(JSON.stringify(result.outcome), /ya29\.echoed-token/);
    assert.match(result.outcome.error.message, /\[redacted:google_oauth\.access_token\]/);
  });
});

async function serviceAccount() {
  const pair = await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  );
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey("pkcs8", pair.privateKey)).toString("base64");
  const pem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join("\n")}\n-----END PRIVATE KEY-----\n`;
  const key = JSON.stringify({ type: "service_account", client_email: "arcrun@demo-project.iam.gserviceaccount.com", private_key_id: "kid-1", private_key: pem, token_uri: "https://oauth2.googleapis.com/token" });
  return { key, publicKey: pair.publicKey };
}

describe("Google service account (google_sheets_append)", () => {
  const PARAMS = { spreadsheet_id: "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms", range: "Tickets!A1", values: [["Printer on fire", "high"]] };
  const APPENDED = { spreadsheetId: PARAMS.spreadsheet_id, tableRange: "Tickets!A1:B4", updates: { updatedRange: "Tickets!A5:B5", updatedRows: 1, updatedCells: 2 } };

  test("signs an RS256 JWT with the documented claims, exchanges it, then appends with valueInputOption", async () => {
    const { key, publicKey } = await serviceAccount();
    const { clock } = fakeClock();
    const { fetch, requests } = fakeFetch([json({ access_token: "ya29.sa-token", expires_in: 3599, token_type: "Bearer" }), json(APPENDED)]);
    const result = await runRecipe(load("google_sheets_append"), PARAMS, options(fetch, { google_service_account: key }, { clock }));
    assert.deepEqual(result.outcome, { success: true, data: APPENDED.updates });

    const [token, append] = requests;
    assert.equal(token.url.href, "https://oauth2.googleapis.com/token");
    const form = new URLSearchParams(token.body);
    assert.equal(form.get("grant_type"), "urn:ietf:params:oauth:grant-type:jwt-bearer");
    const [header, claims, signature] = form.get("assertion")!.split(".");
    assert.deepEqual(JSON.parse(b64url(header).toString()), { alg: "RS256", typ: "JWT", kid: "kid-1" });
    const iat = Math.floor(clock.now() / 1000);
    assert.deepEqual(JSON.parse(b64url(claims).toString()), {
      iss: "arcrun@demo-project.iam.gserviceaccount.com",
      scope: "https://www.googleapis.com/auth/spreadsheets",
      aud: "https://oauth2.googleapis.com/token",
      iat,
      exp: iat + 3600,
    });
    const valid = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", publicKey, b64url(signature), new TextEncoder().encode(`${header}.${claims}`));
    assert.ok(valid, "the signature verifies with the service account's public key");
    const tampered = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", publicKey, b64url(signature), new TextEncoder().encode(`${header}.${claims}x`));
    assert.equal(tampered, false);

    assert.equal(append.method, "POST");
    assert.equal(append.url.origin, "https://sheets.googleapis.com");
    assert.equal(append.url.pathname, `/v4/spreadsheets/${PARAMS.spreadsheet_id}/values/Tickets!A1:append`);
    assert.deepEqual([...append.url.searchParams], [["valueInputOption", "USER_ENTERED"]]);
    assert.equal(append.headers.get("authorization"), "Bearer ya29.sa-token");
    assert.deepEqual(JSON.parse(append.body), { majorDimension: "ROWS", values: [["Printer on fire", "high"]] });
    assert.ok(result.secrets["google_service_account.private_key"]);
    assert.ok(result.secrets["google_service_account.access_token"]);
  });

  test("with no service account stored, the OAuth 2 option is used", async () => {
    const { fetch, requests } = fakeFetch([tokenAnswer("ya29.user"), json(APPENDED)]);
    const result = await runRecipe(load("google_sheets_append"), { ...PARAMS, value_input_option: "RAW", insert_data_option: "INSERT_ROWS" }, options(fetch, { google_oauth: OAUTH }));
    assert.ok(result.outcome.success);
    assert.equal(new URLSearchParams(requests[0].body).get("grant_type"), "refresh_token");
    assert.deepEqual([...requests[1].url.searchParams], [["valueInputOption", "RAW"], ["insertDataOption", "INSERT_ROWS"]]);
  });

  test("with neither stored, the failure names both ways", async () => {
    const { fetch } = fakeFetch([]);
    const result = await runRecipe(load("google_sheets_append"), PARAMS, options(fetch, {}));
    assert.ok(!result.outcome.success);
    assert.equal(result.outcome.error.code, "credential_missing");
    assert.match(result.outcome.error.message, /google_service_account.*google_oauth/);
  });

  test("a key that is not PKCS #8 RSA is credential_invalid, without the key in the message", async () => {
    const bad = JSON.stringify({ client_email: "a@b.iam.gserviceaccount.com", private_key: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" });
    const { fetch, requests } = fakeFetch([]);
    const result = await runRecipe(load("google_sheets_append"), PARAMS, options(fetch, { google_service_account: bad }));
    assert.equal(requests.length, 0);
    assert.ok(!result.outcome.success && result.outcome.error.code === "credential_invalid");
    assert.doesNotMatch(result.outcome.error.message, /BEGIN PRIVATE KEY/);
  });
});
